import { describe, expect, it } from "vitest";
import { jit, grad, tensor, zeros, type Tensor } from "webgrad";
import { planMemory } from "../../../src/lib/graph/passes/memory";
import { nodeStages } from "../../../src/lib/graph/passes/schedule";
import { f64, graphEvents } from "./helpers";

describe("retracing says why", () => {
  it("a new shape, a new non-tensor argument, a .grad that appeared since tracing", () => {
    const f = jit((x: Tensor, k: number) => x.mul(k).sum());
    const events = graphEvents(() => {
      f(f64([1, 2]), 2);
      f(f64([3, 4]), 2); // cached
      f(f64([1, 2, 3]), 2);
      f(f64([1, 2, 3]), 3);
    });
    expect(f.traceCount).toBe(3);
    expect(events.map((e) => e.reason)).toEqual([undefined, "arg0: float64[2] → float64[3]", "arg1: 2 → 3"]);

    const w = tensor([1, 2], { requiresGrad: true, dtype: "float64" });
    const g = jit(() => {
      const l = w.mul(w).sum();
      l.backward();
      return l;
    });
    const again = graphEvents(() => {
      g(); // traced with w.grad null: the graph assumes it still is
      g(); // now w.grad is set: accumulating needs another graph
    });
    expect(again.map((e) => e.reason)).toEqual([undefined, expect.stringMatching(/\.grad was null when traced and is set now/)]);
  });
});

describe("the IR as JSON, and graph-level autodiff", () => {
  it("JSON has every node with its op, inputs, shape and dtype; regions of fused nodes", () => {
    const l = jit((x: Tensor) => x.mul(2).add(1).exp().sum()).lower(f64([1, 2, 3]));
    const j = l.json();
    expect(j.inputs[0]).toEqual({ id: j.inputs[0]!.id, shape: [3], dtype: "float64", name: "arg0", kind: "arg" });
    expect(j.inputs.slice(1).map((i) => i.shape)).toEqual([[], []]); // the constants 2 and 1
    expect(j.nodes.map((n) => n.op)).toEqual(["mul", "add", "exp", "sum"]);
    const defined = new Set([...j.inputs.map((i) => i.id), ...j.nodes.map((n) => n.output)]);
    expect(j.nodes.every((n) => n.inputs.every((v) => defined.has(v)))).toBe(true);
    expect(j.outputs).toEqual([{ id: j.nodes[3]!.output, name: "result0", kind: "result" }]);
    const fused = l.json("optimized").nodes.find((n) => n.op === "fused")!;
    expect(fused.region!.nodes.map((n) => n.op)).toEqual(["mul", "add", "exp"]);
    expect(JSON.parse(JSON.stringify(l.json()))).toEqual(l.json()); // plain data
  });

  it("grad inside jit builds the backward as IR next to the forward (phase: backward)", () => {
    const l = jit(grad((x: Tensor) => x.sin().mul(x).sum())).lower(f64([0.5, 1]));
    const forward = l.graph.nodes.filter((n) => n.phase !== "backward").map((n) => n.op);
    const backward = l.graph.nodes.filter((n) => n.phase === "backward").map((n) => n.op);
    expect(forward.filter((op) => op !== "identity")).toEqual(["sin", "mul", "sum"]);
    expect(backward).toContain("cos"); // d sin = cos
    expect(backward.length).toBeGreaterThan(forward.length);
    expect(l.json().nodes.filter((n) => n.phase === "backward")).toHaveLength(backward.length);
  });
});

describe("memory planning and scheduling", () => {
  it("liveness-based reuse and in-place writes lower the peak; the pass reports before → after", () => {
    const f = (x: Tensor) => {
      let y = x;
      for (let i = 0; i < 6; i++) y = y.mul(1.5).exp();
      return y.sum();
    };
    const l = jit(f).lower(zeros([1000], { dtype: "float64" }));
    const plan = planMemory(l.graph);
    expect(plan.peakBefore).toBe(12 * 8000 + 8); // one buffer per intermediate
    expect(plan.peakAfter).toBeLessThanOrEqual(2 * 8000 + 8); // a chain needs at most two live buffers
    expect(plan.inPlace).toBeGreaterThan(0);
    const stage = l.stages.find((s) => s.pass === "memory")!;
    expect(stage.changes[0]).toMatch(/^peak intermediate memory [\d.]+ K?i?B → [\d.]+ K?i?B \(\d+ buffers for \d+ values, \d+ in place\)$/);
    // the stats of every stage report the planned peak
    expect(l.stages[0]!.stats.peakBytes).toBe(plan.peakAfter);
  });

  it("scheduling groups independent nodes into stages that could run at once", () => {
    const l = jit((x: Tensor, y: Tensor) => x.exp().add(y.sin()).mul(x.cos())).lower(f64([1]), f64([2]));
    const stages = nodeStages(l.graph);
    const byOp = Object.fromEntries(l.graph.nodes.map((n, i) => [n.op, stages[i]]));
    expect(byOp.exp).toBe(0);
    expect(byOp.sin).toBe(0);
    expect(byOp.cos).toBe(0);
    expect(byOp.add).toBe(1);
    expect(byOp.mul).toBe(2);
    const schedule = l.stages.find((s) => s.pass === "schedule")!;
    expect(schedule.changes[0]).toMatch(/in \d+ stages \(widest: \d+ independent nodes\)/);
  });
});
