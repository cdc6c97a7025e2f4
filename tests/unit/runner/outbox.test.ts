import { describe, expect, it } from "vitest";
import { HEAD_LINES, Outbox, TAIL_LINES } from "../../../src/runner/outbox";
import type { OutputItem } from "../../../src/runner/protocol";

const log = (text: string): OutputItem => ({ kind: "log", level: "log", text });
const start: OutputItem = { kind: "event", event: { type: "plot", chart: "c", series: "c", x: 0, y: 0 } };

describe("Outbox", () => {
  it("keeps program order when an item is a promise", async () => {
    const sent: string[] = [];
    const box = new Outbox((items) => items.forEach((i) => i.kind === "log" && sent.push(i.text)));
    box.push(log("1"));
    box.push(new Promise<OutputItem>((r) => setTimeout(() => r(log("2 (slow tensor)")), 20)));
    box.push(log("3"));
    box.push(Promise.resolve(log("4")));
    box.push(log("5"));
    await box.settled();
    expect(sent).toEqual(["1", "2 (slow tensor)", "3", "4", "5"]);
  });

  it("sends the first item at once and batches a burst", async () => {
    const batches: number[] = [];
    const box = new Outbox((items) => batches.push(items.length));
    for (let i = 0; i < 200; i++) box.push(log(String(i)));
    expect(batches[0]).toBe(1); // Run → first output is not delayed
    await box.settled();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200);
    expect(batches.length).toBeLessThan(5);
  });

  it("counts instead of sending a flood of log lines, but keeps every event", async () => {
    const sent: OutputItem[] = [];
    const box = new Outbox((items) => sent.push(...items));
    box.flush();
    for (let i = 0; i < 100_000; i++) {
      box.push(log(String(i)));
      box.push({ kind: "event", event: { type: "plot", chart: "c", series: "c", x: i, y: i } });
    }
    await box.settled();
    const logs = sent.filter((i) => i.kind === "log").length;
    const skipped = sent.reduce((n, i) => n + (i.kind === "skipped" ? i.lines : 0), 0);
    expect(sent.filter((i) => i.kind === "event").length).toBe(100_000);
    expect(logs + skipped).toBe(100_000);
    expect(skipped).toBeGreaterThan(0);
  });

  it("keeps the first and last lines of a flood and every warning and error, in order", async () => {
    const sent: OutputItem[] = [];
    const box = new Outbox((items) => sent.push(...items), 60_000);
    box.push(log("start")); // sent at once; the next pushes land in one batch (the interval has not passed)
    for (let i = 0; i < 1000; i++) box.push(log(String(i)));
    box.push({ kind: "log", level: "warn", text: "w" });
    for (let i = 1000; i < 2000; i++) box.push(log(String(i)));
    box.push({ kind: "log", level: "error", text: "x" });
    await box.settled();
    sent.shift(); // the start line
    const texts = sent.map((i) => (i.kind === "log" ? i.text : i.kind === "skipped" ? `…${i.lines}` : i.kind));
    // One batch: the head, the marker, the tail before the warning, the warning, then (the head
    // quota spent) a marker, the tail before the error, the error.
    expect(texts.slice(0, HEAD_LINES)).toEqual(Array.from({ length: HEAD_LINES }, (_, i) => String(i)));
    expect(texts[HEAD_LINES]).toBe(`…${1000 - HEAD_LINES - TAIL_LINES}`);
    expect(texts.slice(HEAD_LINES + 1, HEAD_LINES + 1 + TAIL_LINES)).toEqual(Array.from({ length: TAIL_LINES }, (_, i) => String(1000 - TAIL_LINES + i)));
    expect(texts[HEAD_LINES + 1 + TAIL_LINES]).toBe("w");
    expect(texts.at(-1)).toBe("x");
    expect(texts.at(-2)).toBe("1999");
    expect(texts.filter((t) => t === "w" || t === "x")).toEqual(["w", "x"]);
    const logs = sent.filter((i) => i.kind === "log").length;
    const skipped = sent.reduce((n, i) => n + (i.kind === "skipped" ? i.lines : 0), 0);
    expect(logs + skipped).toBe(2002);
  });

  it("sends a program's first line at once after a batch of events, as a run starts", () => {
    // No await: a program that logs once and then spins never lets a timer fire.
    const sent: OutputItem[][] = [];
    const box = new Outbox((items) => sent.push(items), 60_000);
    box.push(start);
    box.push(start);
    box.push(log("spinning"));
    expect(sent.map((b) => b.map((i) => i.kind))).toEqual([["event"], ["event", "log"]]);
    // A second line within the interval waits for the batch (a flood stays batched).
    box.push(log("again"));
    expect(sent.length).toBe(2);
  });

  it("delivers a batch of 200 000 events (whether a batch holds console lines is a flag, not a search per push)", async () => {
    // A search of the batch on every push would make this quadratic: minutes, past the test's timeout.
    let events = 0;
    const box = new Outbox((items) => (events += items.length), 60_000);
    for (let i = 0; i < 200_000; i++) box.push(start);
    await box.settled();
    expect(events).toBe(200_000);
  });

  it("never drops errors, even in a flood of them", async () => {
    const sent: OutputItem[] = [];
    const box = new Outbox((items) => sent.push(...items), 60_000);
    box.push(start);
    for (let i = 0; i < 1000; i++) box.push({ kind: "log", level: "error", text: String(i) });
    await box.settled();
    expect(sent.filter((i) => i.kind === "log").length).toBe(1000);
  });

  it("sends the last lines of a flood when the run ends", async () => {
    const sent: OutputItem[] = [];
    const box = new Outbox((items) => sent.push(...items), 60_000);
    box.push(log("start")); // sent at once; the flood lands in one batch
    for (let i = 0; i < 1000; i++) box.push(log(String(i)));
    await box.settled();
    expect(sent.at(-1)).toEqual(log("999"));
    expect(sent.some((i) => i.kind === "skipped" && i.lines === 1000 - HEAD_LINES - TAIL_LINES)).toBe(true);
  });

  it("turns a rejected item into an error line instead of stalling", async () => {
    const sent: OutputItem[] = [];
    const box = new Outbox((items) => sent.push(...items));
    box.push(Promise.reject(new Error("boom")));
    box.push(log("after"));
    await box.settled();
    expect(sent.map((i) => (i.kind === "log" ? i.text : i.kind))).toEqual(["[output failed: Error: boom]", "after"]);
  });
});
