import { describe, expect, it } from "vitest";
import { checkEvent, checkFromWorker, checkItem, cleanText, LIMITS } from "../../../src/runner/validate";
import { PROTOCOL_VERSION } from "../../../src/runner/protocol";

const v = PROTOCOL_VERSION;
const image = (over: Record<string, unknown> = {}) => ({
  type: "image",
  name: "digits",
  count: 2,
  height: 2,
  width: 3,
  pixels: new Uint8Array(12),
  range: [0, 1],
  colormap: "gray",
  ...over,
});

describe("checkFromWorker", () => {
  it("accepts each message of the protocol", () => {
    const messages = [
      { type: "ready", v, exports: ["tensor", "grad"] },
      { type: "backend", v, name: "webgpu", detail: "SwiftShader", source: "library" },
      { type: "mode", v, runId: 1, applied: false, note: "no setMode" },
      { type: "output", v, runId: 1, items: [{ kind: "log", level: "log", text: "hi" }, { kind: "clear" }, { kind: "skipped", lines: 3 }] },
      { type: "done", v, runId: 1, ok: true, durationMs: 12 },
      { type: "fatal", v, message: "could not load" },
      {
        type: "check",
        v,
        runId: 2,
        report: {
          cases: [
            { name: { en: "x = 0", zh: "x = 0" }, pass: false, expected: "[1]", got: "[0]" },
            { name: { en: "b", zh: "乙" }, pass: true },
          ],
        },
      },
      { type: "check", v, runId: 3, report: { cases: [], error: { kind: "program", message: "threw" } } },
    ];
    for (const m of messages) expect(checkFromWorker(m)).toMatchObject({ ok: true, value: m });
  });

  it("refuses what does not match the protocol", () => {
    for (const m of [
      null,
      "done",
      [],
      { type: "done", v: v - 1, runId: 1, ok: true, durationMs: 1 },
      { type: "done", v, runId: "1", ok: true, durationMs: 1 },
      { type: "done", v, runId: 1, ok: "yes", durationMs: 1 },
      { type: "done", v, runId: 1, ok: true, durationMs: Infinity },
      { type: "status", v, text: "Finished in 1 ms" },
      { type: "check", v, runId: 1, report: { cases: [{ name: "x", pass: true }] } },
      { type: "check", v, runId: 1, report: { cases: [{ name: { en: "x", zh: "x" }, pass: "yes" }] } },
      { type: "check", v, runId: 1, report: { cases: Array.from({ length: 51 }, () => ({ name: { en: "x", zh: "x" }, pass: true })) } },
      { type: "check", v, runId: 1, report: { cases: [], error: { kind: "page", message: "?" } } },
      { type: "backend", v, name: "webgpu", detail: "x", source: "page" },
      { type: "output", v, runId: 1, items: "not a list" },
    ]) {
      expect(checkFromWorker(m).ok, JSON.stringify(m)).toBe(false);
    }
  });

  it("replaces invalid output items with one error line and keeps the valid ones", () => {
    const r = checkFromWorker({
      type: "output",
      v,
      runId: 1,
      items: [
        { kind: "log", level: "log", text: "ok" },
        { kind: "event", event: image({ height: 60000, width: 60000 }) },
        { kind: "html", html: "<b>x</b>" },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.type !== "output") return;
    expect(r.value.items[0]).toEqual({ kind: "log", level: "log", text: "ok", frames: undefined });
    expect(r.value.items).toHaveLength(2);
    expect(r.value.items[1]).toMatchObject({ kind: "log", level: "error" });
    expect((r.value.items[1] as { text: string }).text).toMatch(/refused 2 invalid output items/);
  });

  it("caps and cleans the backend's text for the status bar", () => {
    const r = checkFromWorker({ type: "backend", v, name: "x".repeat(1000), detail: "a\u202eb\u0007c" + "d".repeat(5000), source: "runner" });
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.type !== "backend") return;
    expect(r.value.name.length).toBeLessThan(100);
    expect(r.value.detail.startsWith("abcd")).toBe(true);
    expect(r.value.detail.length).toBeLessThan(LIMITS.detail + 40);
  });
});

describe("checkItem", () => {
  it("cuts a huge log line instead of passing it on", () => {
    const r = checkItem({ kind: "log", level: "log", text: "x".repeat(10_000_000) });
    expect(r.ok).toBe(true);
    if (r.ok && r.value.kind === "log") expect(r.value.text.length).toBeLessThan(LIMITS.text + 50);
  });

  it("refuses unknown levels and malformed frames", () => {
    expect(checkItem({ kind: "log", level: "html", text: "x" }).ok).toBe(false);
    expect(checkItem({ kind: "error", name: "E", message: "m", frames: [{ text: 1 }], uncaught: true }).ok).toBe(false);
    expect(checkItem({ kind: "error", name: "E", message: "m", frames: [{ text: "f", line: -3 }], uncaught: true }).ok).toBe(false);
  });

  it("keeps at most LIMITS.frames stack frames", () => {
    const r = checkItem({ kind: "error", name: "E", message: "m", frames: Array.from({ length: 1000 }, () => ({ text: "f" })), uncaught: false });
    expect(r.ok && r.value.kind === "error" && r.value.frames.length).toBe(LIMITS.frames);
  });
});

describe("checkEvent", () => {
  it("accepts a real image and refuses forged sizes", () => {
    expect(checkEvent(image()).ok).toBe(true);
    expect(checkEvent(image({ height: 60000, width: 60000, pixels: new Uint8Array(12) })).ok).toBe(false);
    expect(checkEvent(image({ count: 3 })).ok).toBe(false); // pixels do not match count·h·w
    expect(checkEvent(image({ pixels: [1, 2, 3] })).ok).toBe(false);
    expect(checkEvent(image({ height: 2.5 })).ok).toBe(false);
    expect(checkEvent(image({ colormap: "url(javascript:alert(1))" })).ok).toBe(false);
    expect(checkEvent(image({ range: [0, NaN] })).ok).toBe(false);
  });

  it("checks scatter plots", () => {
    const ok = { type: "scatter", name: "s", points: new Float32Array(4), classes: 2, extent: [0, 1, 0, 1] };
    expect(checkEvent(ok).ok).toBe(true);
    expect(checkEvent({ ...ok, points: new Float32Array(3) }).ok).toBe(false);
    expect(checkEvent({ ...ok, labels: new Int32Array(5) }).ok).toBe(false);
    expect(checkEvent({ ...ok, background: { width: 60000, height: 60000, channels: 1, levels: new Uint8Array(1) } }).ok).toBe(false);
  });

  it("checks plots, tape, kernel, graph and comm events", () => {
    expect(checkEvent({ type: "plot", chart: "loss", series: "loss", x: 1, y: NaN }).ok).toBe(true);
    expect(checkEvent({ type: "plot", chart: "loss", series: "loss", x: "1", y: 2 }).ok).toBe(false);
    expect(checkEvent({ type: "tape", phase: "reset" }).ok).toBe(true);
    expect(
      checkEvent({
        type: "tape",
        phase: "record",
        node: { id: 1, op: "add", category: "binary", inputs: [0], output: 1, shape: [2], dtype: "float32", savedBytes: 0 },
      }).ok,
    ).toBe(true);
    expect(
      checkEvent({
        type: "tape",
        phase: "record",
        node: { id: 1, op: "add", category: "arithmetic", inputs: [0], output: 1, shape: [2], dtype: "float32", savedBytes: 0 },
      }).ok,
    ).toBe(false);
    expect(checkEvent({ type: "tape", phase: "record", node: null }).ok).toBe(false);
    const step = { type: "tape", phase: "backward", nodeId: 1, gradShapes: [[2]], gradNorms: [1] };
    expect(checkEvent({ ...step, gradValues: [[0.5, NaN], null], gradOut: { shape: [2], values: [1, 2] } }).ok).toBe(true);
    expect(checkEvent({ ...step, gradOut: { shape: [2], values: null } }).ok).toBe(true);
    expect(checkEvent({ ...step, gradValues: [["0.5"]] }).ok).toBe(false);
    expect(checkEvent({ ...step, gradOut: { shape: [2], values: [{}] } }).ok).toBe(false);
    expect(
      checkEvent({
        type: "tape",
        phase: "record",
        node: { id: 1, op: "add", category: "binary", inputs: [0], output: 1, shape: [2], dtype: "float32", savedBytes: 0, rule: 42 },
      }).ok,
    ).toBe(false);
    expect(checkEvent({ type: "kernel", phase: "dispatch", kernel: "k", workgroups: [1, 1, 1], bytes: 4 }).ok).toBe(true);
    expect(checkEvent({ type: "kernel", phase: "unknown" }).ok).toBe(false);
    expect(checkEvent({ type: "graph", phase: "compiled", name: "f", stages: [{ pass: "p", text: "t", stats: {}, json: {} }] }).ok).toBe(true);
    const t = (n: number) => ({
      t0: new Float64Array(n),
      t1: new Float64Array(n),
      src: new Int32Array(n),
      dst: new Int32Array(n),
      link: new Int32Array(n),
      bytes: new Float64Array(n),
      chunk: new Int32Array(n),
      step: new Int32Array(n),
    });
    const collective = {
      type: "comm",
      phase: "collective",
      cluster: 0,
      collective: "allReduce",
      algorithm: "ring",
      devices: [0, 1],
      bytes: 8,
      time: 1,
      algbw: 1,
      busbw: 1,
      transfers: t(3),
      routes: [],
    };
    expect(checkEvent(collective).ok).toBe(true);
    expect(checkEvent({ ...collective, transfers: { ...t(3), src: new Int32Array(2) } }).ok).toBe(false);
    expect(checkEvent({ type: "surprise" }).ok).toBe(false);
  });

  it("checks knob events: a finite range holding its values, or distinct options holding the value", () => {
    const slider = { type: "knob", control: "slider", name: "lr", label: "learning rate", min: 0.001, max: 1, log: true, initial: 0.1, value: 0.02 };
    const linear = { type: "knob", control: "slider", name: "n", label: "n", min: 1, max: 32, step: 1, log: false, initial: 8, value: 16 };
    const pick = { type: "knob", control: "choice", name: "stage", label: "stage", options: [0, 1, 2, 3], initial: 2, value: 3 };
    for (const ok of [slider, linear, pick, { ...pick, options: ["ring", "tree"], initial: "ring", value: "tree" }])
      expect(checkEvent(ok), JSON.stringify(ok)).toMatchObject({ ok: true });
    for (const bad of [
      { ...slider, min: 2 }, // min ≥ max
      { ...slider, min: 0 }, // log from 0
      { ...slider, value: 5 }, // outside the range
      { ...slider, initial: NaN },
      { ...slider, max: Infinity },
      { ...slider, log: "yes" },
      { ...slider, label: "x".repeat(LIMITS.name + 1) },
      { ...linear, step: undefined }, // a linear slider needs its grid
      { ...linear, step: 1e-6 }, // too many positions for a control
      { ...linear, step: -1 },
      { ...slider, control: "knob" },
      { ...pick, options: [] },
      { ...pick, options: [1, 1, 2] },
      { ...pick, options: [1, { x: 1 }] },
      { ...pick, value: 7 },
      { ...pick, initial: "2" },
      { ...pick, options: Array.from({ length: 101 }, (_, i) => i) },
    ])
      expect(checkEvent(bad).ok, JSON.stringify(bad)).toBe(false);
  });

  it("checks evaluation-trace events: rows of text and numbers, inputs within the rows", () => {
    const row = { name: "v₁", expr: "ln v₋₁", value: 0.69, derivExpr: "v̇₋₁ / v₋₁", deriv: 0.5 };
    const trace = { type: "evaltrace", name: "f", mode: "forward", inputs: 1, seed: [1], rows: [{ ...row, name: "v₀", expr: "x₁" }, row] };
    expect(checkEvent(trace)).toMatchObject({ ok: true });
    for (const bad of [
      { ...trace, mode: "sideways" },
      { ...trace, inputs: 3 }, // more inputs than rows
      { ...trace, inputs: 0 },
      { ...trace, seed: ["1"] },
      { ...trace, rows: [{ ...row, value: "0.69" }] },
      { ...trace, rows: [{ ...row, expr: undefined }] },
      { ...trace, rows: "v₁" },
      { ...trace, name: "x".repeat(LIMITS.name + 1) },
    ])
      expect(checkEvent(bad).ok, JSON.stringify(bad)).toBe(false);
  });

  it("refuses data nested too deep or too large where the shape checks do not look", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = { deep };
    expect(checkEvent({ type: "graph", phase: "compiled", name: "f", stages: [{ pass: "p", text: "t", stats: {}, json: deep }] }).ok).toBe(false);
    const wide = Array.from({ length: LIMITS.nodes + 1 }, () => 0);
    expect(checkEvent({ type: "graph", phase: "compiled", name: "f", stages: [{ pass: "p", text: "t", stats: {}, json: wide }] }).ok).toBe(false);
  });
});

describe("cleanText", () => {
  it("drops control and bidi characters and caps the length", () => {
    expect(cleanText("a\u0000b\u202ec\nd\te", 100)).toBe("abc\nd\te");
    expect(cleanText("abcdef", 3)).toBe("abc… (3 more characters)");
  });
});
