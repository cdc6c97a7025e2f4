/**
 * The course's training examples in Graph mode compile each jit function once: the whole training
 * step (forward, backward, optimizer) is one cached graph that every later step reuses, with no
 * retrace after the first step (a retrace per step would pay tracing and the pass pipeline each time).
 */
import { afterAll, describe, expect, it } from "vitest";
import { getMode, onEvent, setDefaultBackend, setMode, setStepLimit } from "webgrad";

const programs = import.meta.glob<unknown>(["../../../src/examples/63-mnist.ts", "../../../src/examples/64-tiny-transformer.ts"]);

describe("training examples in Graph mode trace each jit function once", () => {
  const initial = getMode();
  afterAll(() => {
    setMode(initial);
    setStepLimit();
  });
  for (const [path, load] of Object.entries(programs)) {
    const id = path.replace(/^.*\//, "").replace(/\.ts$/, "");
    it(id, async () => {
      setDefaultBackend("cpu");
      setMode("graph");
      setStepLimit(8);
      const traces: string[] = [];
      const reasons: (string | undefined)[] = [];
      const off = onEvent((e) => {
        if (e.type === "graph" && e.phase === "compiled") {
          traces.push(e.name);
          reasons.push(e.reason);
        }
      });
      const log = console.log;
      console.log = () => undefined;
      try {
        await load();
      } finally {
        console.log = log;
        off();
      }
      expect(traces).toContain("train step");
      expect(new Set(traces).size, `traces: ${traces.join(", ")}; reasons: ${reasons.join("; ")}`).toBe(traces.length);
    });
  }
});
