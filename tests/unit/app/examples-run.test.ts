/**
 * Every gallery example runs under Node on the CPU backend, in Eager and in Graph mode, and gives
 * the same results in both (issue 7: "every example runs in Eager and in Graph mode"). What is
 * compared: each console line and each plotted point, numbers within a relative tolerance. Lines
 * and charts that report wall-clock time (they mention "ms" / "time") are left out, since timings
 * differ from run to run by nature. Runs are quick (Settings → "Quick runs"): every `steps(n)` loop
 * stops after a few steps, as in the e2e suite.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { getMode, onEvent, setDefaultBackend, setMode, setStepLimit } from "webgrad";
import { QUICK_STEP_LIMIT } from "../../../src/runner/protocol";

const sources = import.meta.glob<string>("../../../src/examples/*.ts", { query: "?raw", import: "default", eager: true });
const ids = Object.keys(sources).map((p) => p.replace(/^.*\//, "").replace(/\.ts$/, "")).sort();

interface Output {
  lines: string[];
  points: string[];
}

/** Imports the example as a fresh module instance (the query makes a new module id per mode). */
async function runExample(id: string, mode: "eager" | "graph"): Promise<Output> {
  setDefaultBackend("cpu");
  setMode(mode);
  setStepLimit(QUICK_STEP_LIMIT);
  const lines: string[] = [];
  const points: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ")));
  const off = onEvent((e) => {
    if (e.type === "plot") points.push(`${e.chart}/${e.series}: ${e.x} ${e.y}`);
  });
  try {
    await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?mode=${mode}`);
  } finally {
    off();
    log.mockRestore();
  }
  return { lines, points };
}

const timing = /\bms\b|µs\b|time/i;

/** Splits a line into its text and its numbers, so that numbers can be compared with a tolerance. */
function parts(line: string): { text: string; nums: number[] } {
  const nums: number[] = [];
  // Digits glued to a name (folded139, const2, f32) are identifiers, and some come from global
  // counters that differ between two runs in one process: not results, so they are dropped.
  const text = line.replace(/([A-Za-z_])\d+/g, "$1").replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, (m) => {
    nums.push(Number(m));
    return "#";
  });
  return { text, nums };
}

function expectSame(a: string[], b: string[], what: string): void {
  const ka = a.filter((l) => !timing.test(l));
  const kb = b.filter((l) => !timing.test(l));
  expect(kb.length, `${what}: count`).toBe(ka.length);
  ka.forEach((la, i) => {
    const pa = parts(la), pb = parts(kb[i]!);
    expect(pb.text, `${what} ${i}`).toBe(pa.text);
    pa.nums.forEach((x, j) => {
      const y = pb.nums[j]!;
      const tol = 2e-3 * Math.max(1, Math.abs(x), Math.abs(y));
      expect(Math.abs(x - y) <= tol, `${what} ${i}: "${la}" vs "${kb[i]}"`).toBe(true);
    });
  });
}

describe("every example runs in Eager and in Graph mode (CPU) with the same results", () => {
  const initial = getMode();
  afterAll(() => {
    setMode(initial);
    setStepLimit();
  });
  for (const id of ids) {
    it(id, async () => {
      const eager = await runExample(id, "eager");
      const graph = await runExample(id, "graph");
      expect(eager.lines.length + eager.points.length, "it prints or plots something").toBeGreaterThan(0);
      expectSame(eager.lines, graph.lines, "console");
      expectSame(eager.points, graph.points, "plot");
    });
  }
});
