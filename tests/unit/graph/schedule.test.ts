import { describe, expect, it } from "vitest";
import { jit, onEvent, randn, manualSeed, setMode, type Tensor, type WebgradEvent } from "webgrad";
import {
  dependencies,
  liveBytes,
  memoryAwareOrder,
  nodeDepths,
  peakLiveBytes,
  scheduleOf,
  streamLanes,
  topologicalOrder,
} from "../../../src/lib/graph/schedule";
import type { IRGraph } from "../../../src/lib/graph/ir";

const [N, D, H] = [8, 16, 64];
const F32 = 4;

/** Example 25's block: k parallel MLP branches added to the residual, then an RMS normalisation (a reduction). */
function block(k: number, hidden = H) {
  manualSeed(0);
  const ws = Array.from({ length: k }, () => [randn([D, hidden]), randn([hidden, D])]);
  const f = jit((x: Tensor) => {
    let h = x;
    for (const [w1, w2] of ws) h = h.add(x.matmul(w1).relu().matmul(w2));
    return h.div(h.mul(h).mean(-1, true).add(1e-5).sqrt());
  });
  setMode("graph");
  return f.lower(randn([N, D]));
}

/** Every node runs after the nodes it waits for. */
function expectValidOrder(g: IRGraph, order: readonly { id: number }[]): void {
  expect(order.map((n) => n.id).sort()).toEqual(g.nodes.map((n) => n.id).sort());
  const at = new Map(order.map((n, s) => [n.id, s]));
  dependencies(g).forEach((deps, i) => deps.forEach((p) => expect(at.get(g.nodes[p].id)!).toBeLessThan(at.get(g.nodes[i].id)!)));
}

describe("execution scheduling (graph/schedule.ts)", () => {
  it("both orders are topological; Kahn's runs every branch's first matmul before any second one", () => {
    const g = block(3).optimized;
    const topo = topologicalOrder(g);
    const mem = memoryAwareOrder(g);
    expectValidOrder(g, topo);
    expectValidOrder(g, mem);
    expect(topo.slice(0, 3).map((n) => n.op)).toEqual(["fused", "fused", "fused"]);
    expect(mem.slice(0, 3).map((n) => n.op)).toEqual(["fused", "fused", "matmul"]);
  });

  for (const k of [2, 3, 4]) {
    it(`peak live bytes with ${k} branches: k·NH + ND first-ready-first-run, 2·NH + (k−1)·ND memory-aware (bytes of f32)`, () => {
      const g = block(k).optimized;
      // Kahn's order holds every branch's hidden activation [N, H] while the first [N, D] result is made.
      expect(peakLiveBytes(g, topologicalOrder(g))).toBe((k * N * H + N * D) * F32);
      // The greedy order finishes a branch before opening the next: two hidden activations at most
      // (the one fusion joined into the final add, and the branch being run), plus the branch results so far.
      expect(peakLiveBytes(g, memoryAwareOrder(g))).toBe((2 * N * H + (k - 1) * N * D) * F32);
    });
  }

  it("example 25's closed forms hold over its knobs (branches 1–4, hidden width 32–256)", () => {
    for (const k of [1, 2, 3, 4])
      for (const h of [32, 64, 128, 256]) {
        const g = block(k, h).optimized;
        expect(peakLiveBytes(g, topologicalOrder(g))).toBe((k * N * h + N * D) * F32);
        expect(peakLiveBytes(g, memoryAwareOrder(g))).toBe((Math.min(k, 2) * N * h + Math.max(k - 1, 1) * N * D) * F32);
      }
  });

  it("live bytes step by step for 4 branches (what the Schedule view draws)", () => {
    const g = block(4).optimized;
    expect(liveBytes(g, topologicalOrder(g))).toEqual([2048, 4096, 6144, 8192, 8704, 7168, 5632, 4096, 1024, 1056, 576, 1056]);
    expect(liveBytes(g, memoryAwareOrder(g))).toEqual([2048, 4096, 4608, 4608, 5120, 5120, 5632, 4096, 1024, 1056, 576, 1056]);
  });

  it("streams: one per branch; stages: the critical path; dispatches: one per op eagerly, one per kernel in one submit", () => {
    const l = block(3);
    const g = l.optimized;
    expect(Math.max(...streamLanes(g)) + 1).toBe(3);
    expect(Math.max(...nodeDepths(g)) + 1).toBe(7);
    const s = scheduleOf(g, l.graph);
    expect(s.streams).toBe(3);
    expect(s.stages).toBe(7);
    // Traced: per branch matmul, relu, matmul, add (4·3); then mul, sum, div (mean), add, sqrt, div (6).
    expect(s.dispatches).toEqual({ eager: 18, graph: 10, submits: 1 });
    // Nodes in one stream with no path to another stream's nodes: the three first matmuls sit in stage 0, each in its own stream.
    const first = s.nodes.filter((n) => n.stage === 0);
    expect(new Set(first.map((n) => n.lane)).size).toBe(3);
  });

  it("the memory plan of the memory-aware order reuses one buffer for three branches' hidden activations", () => {
    const s = scheduleOf(block(4).optimized);
    const [topo, mem] = s.orders;
    expect(topo.name).toBe("topological");
    expect(mem.name).toBe("memory-aware");
    expect(topo.peak).toBe(8704);
    expect(mem.peak).toBe(5632);
    const shared = mem.buffers.find((b) => b.bytes === N * H * F32 && b.values.length === 3)!;
    expect(shared).toBeDefined();
    // Lifetimes in one buffer never overlap.
    for (const b of [...topo.buffers, ...mem.buffers])
      b.values.forEach((v, i) => b.values.slice(i + 1).forEach((w) => expect(w.start >= v.end || v.start >= w.end).toBe(true)));
    expect(mem.arenaBytes).toBeLessThan(topo.arenaBytes);
    expect(topo.unplannedBytes).toBe(mem.unplannedBytes);
  });

  it("jit's graph event carries the schedule of the optimized graph", () => {
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    try {
      setMode("graph");
      manualSeed(0);
      const w = randn([D, H]);
      jit((x: Tensor) => x.matmul(w).relu().sum())(randn([N, D]));
    } finally {
      off();
    }
    const e = events.find((x) => x.type === "graph");
    expect(e?.type === "graph" && e.schedule?.orders.length).toBe(2);
  });
});
