/**
 * Every gallery example runs under Node on the CPU backend, in Eager and in Graph mode, and gives
 * the same results in both (issue 7: "every example runs in Eager and in Graph mode"). What is
 * compared: each console line and each plotted point (tests/shared/same-output.ts). Runs are
 * quick (Settings → "Quick runs"): every `steps(n)` loop stops after a few steps, as in e2e.
 *
 * The same runs check that the page's validator (src/runner/validate.ts) accepts every event an
 * example emits in either mode, after the structured clone the worker protocol applies: a limit
 * that refused real output would show "runner: refused …" in the console.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { getMode, onEvent, setDefaultBackend, setMode, setStepLimit } from "webgrad";
import { QUICK_STEP_LIMIT } from "../../../src/runner/protocol";
import { checkEvent } from "../../../src/runner/validate";
import { outputDifference } from "../../shared/same-output";
import { usesJit } from "../../shared/uses-jit";

// The example programs only: not the lessons and exercises beside them.
const sources = import.meta.glob<string>(["../../../src/examples/*.ts", "!../../../src/examples/*.lesson.ts", "!../../../src/examples/*.exercises.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const ids = Object.keys(sources)
  .map((p) => p.replace(/^.*\//, "").replace(/\.ts$/, ""))
  .sort();

interface Output {
  lines: string[];
  points: string[];
  /** Graphs the run traced (graph events). */
  graphs: number;
  /** Events the page's validator refused, as "type: reason". */
  refused: string[];
}

/** Imports the example as a fresh module instance (the query makes a new module id per mode). */
async function runExample(id: string, mode: "eager" | "graph"): Promise<Output> {
  setDefaultBackend("cpu");
  setMode(mode);
  setStepLimit(QUICK_STEP_LIMIT);
  const lines: string[] = [];
  const points: string[] = [];
  let graphs = 0;
  const refused: string[] = [];
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((...a: unknown[]) => void lines.push(a.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ")));
  const off = onEvent((e) => {
    if (e.type === "plot") points.push(`${e.chart}/${e.series}: ${e.x} ${e.y}`);
    if (e.type === "graph") graphs++;
    const checked = checkEvent(structuredClone(e));
    if (!checked.ok) refused.push(`${e.type}: ${checked.reason}`);
  });
  try {
    await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?mode=${mode}`);
  } finally {
    off();
    log.mockRestore();
  }
  return { lines, points, graphs, refused };
}

function expectSame(a: string[], b: string[], what: string): void {
  expect(outputDifference(a, b), what).toBeUndefined();
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
      expect(eager.refused, "events the page's validator refuses (Eager)").toEqual([]);
      expect(graph.refused, "events the page's validator refuses (Graph)").toEqual([]);
      // An example that never mentions jit traces nothing in Graph mode (tests/e2e/examples.spec.ts runs it once).
      if (!usesJit(sources[`../../../src/examples/${id}.ts`])) expect(graph.graphs, "graphs traced without jit").toBe(0);
    });
  }
});
