import { describe, expect, it } from "vitest";
import { jit, onEvent, randn, setMode, tensor, type Tensor, type WebgradEvent } from "webgrad";

describe("jit guards and retraces (JitFunction.guards, retraceReasons)", () => {
  it("a shape change breaks the shape guard and retraces; the same shape again reuses its trace", () => {
    setMode("graph");
    const f = jit((x: Tensor, scale: number) => x.mul(scale).relu(), { name: "scaled" });
    expect(f.guards).toEqual([]);
    f(randn([2, 3]), 2);
    expect(f.guards).toEqual(["grad mode: on", "arg0: float32[2, 3] on cpu", "arg1: 2"]);
    expect(f.traceCount).toBe(1);
    f(randn([4, 3]), 2);
    expect(f.traceCount).toBe(2);
    expect(f.guards).toContain("arg0: float32[4, 3] on cpu");
    f(randn([2, 3]), 2); // cached: no retrace, and the guards shown are those of the trace that ran
    expect(f.traceCount).toBe(2);
    expect(f.guards).toContain("arg0: float32[2, 3] on cpu");
    f(randn([2, 3]), 3); // a Python-value (here JS number) guard
    f(randn([2, 3], { dtype: "float64" }), 3); // a dtype guard
    expect(f.traceCount).toBe(4);
    expect(f.retraceReasons).toEqual(["arg0: float32[2, 3] → float32[4, 3]", "arg1: 2 → 3", "arg0: float32[2, 3] → float64[2, 3]"]);
  });

  it("the graph event carries the trace's guards and the trace count", () => {
    setMode("graph");
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    try {
      const f = jit((x: Tensor) => x.exp(), { name: "e" });
      f(tensor([1, 2]));
      f(tensor([1, 2, 3]));
    } finally {
      off();
    }
    const graphs = events.filter((e) => e.type === "graph");
    expect(graphs.map((e) => e.type === "graph" && e.traceCount)).toEqual([1, 2]);
    expect(graphs[1].type === "graph" && graphs[1].guards).toContain("arg0: float32[3] on cpu");
  });

  /** Example 26's serving loop: 16 requests cycling over batch sizes 1..n, exact or padded to a power of two. */
  const serve = (n: number, bucketed: boolean) => {
    setMode("graph");
    const w = randn([4, 3]);
    const f = jit((x: Tensor) => x.matmul(w).relu().sum(-1));
    let padded = 0;
    for (let r = 0; r < 16; r++) {
      const m = 1 + (r % n);
      const b = bucketed ? 2 ** Math.ceil(Math.log2(m)) : m;
      f(randn([b, 4]));
      padded += b - m;
    }
    return { traces: f.traceCount, retraces: f.retraceReasons.length, padded };
  };

  it("example 26: exact shapes trace once per batch size, bucketed once per power of two (ceil(log2 n) + 1)", () => {
    for (let n = 1; n <= 8; n++) {
      expect(serve(n, false)).toMatchObject({ traces: n, retraces: n - 1, padded: 0 });
      expect(serve(n, true).traces).toBe(Math.ceil(Math.log2(n)) + 1);
    }
    // 5 sizes bucketed: 1, 2, 4, 4, 8 → the 16 requests 1..5 cycling pad 3 → 4 and 5 → 8: 1 + 3 per round of five, 3 full rounds and one 1.
    expect(serve(5, true).padded).toBe(3 * (1 + 3));
  });
});
