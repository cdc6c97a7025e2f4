import { describe, expect, it } from "vitest";
import { Outbox } from "../../../src/runner/outbox";
import type { OutputItem } from "../../../src/runner/protocol";

const log = (text: string): OutputItem => ({ kind: "log", level: "log", text });

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

  it("turns a rejected item into an error line instead of stalling", async () => {
    const sent: OutputItem[] = [];
    const box = new Outbox((items) => sent.push(...items));
    box.push(Promise.reject(new Error("boom")));
    box.push(log("after"));
    await box.settled();
    expect(sent.map((i) => (i.kind === "log" ? i.text : i.kind))).toEqual(["[output failed: Error: boom]", "after"]);
  });
});
