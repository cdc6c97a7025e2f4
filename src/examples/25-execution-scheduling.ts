import { jit, manualSeed, memoryAwareOrder, peakLiveBytes, randn, scheduleOf, setMode, slider, topologicalOrder, type IRNode, type Tensor } from "webgrad";

setMode("graph"); // this lesson is about how a graph runs, so trace in both toolbar modes
manualSeed(0);

// Drag the knobs: more branches are more work that could run side by side (streams), but a
// breadth-first order then holds every branch's hidden activation at once.
const branches = slider("branches", 1, 4, 3, { step: 1 });
const hidden = slider("hidden width", 32, 256, 64, { step: 32 });
const [N, D] = [8, 16];

// A residual block with parallel MLP branches and an RMS normalisation (a reduction). Fusion merges
// each matmul with its activation, but the matmuls and the reduction stay kernels of their own.
const weights = Array.from({ length: branches }, () => [randn([D, hidden]).mul(0.25), randn([hidden, D]).mul(0.1)]);
const block = jit(
  (x: Tensor) => {
    let h = x;
    for (const [w1, w2] of weights) h = h.add(x.matmul(w1).relu().matmul(w2));
    return h.div(h.mul(h).mean(-1, true).add(1e-5).sqrt());
  },
  { name: "residualBlock" },
);

const x = randn([N, D]);
const y = block(x);
console.log("y", y.shape, "mean of y² per row (RMS norm makes it ≈ 1):", (await y.mul(y).mean().item()).toFixed(4));

// The same optimized graph, in two orders. Each is topological (a node runs after its inputs).
const lowered = block.lower(x);
const g = lowered.optimized;
const name = (n: IRNode) => `${n.op}[${g.nodes.indexOf(n)}]`; // a node by its position in the graph
for (const [label, order] of [
  ["topological (Kahn, first ready first run)", topologicalOrder(g)],
  ["memory-aware (least live memory next)", memoryAwareOrder(g)],
] as const) {
  console.log(`${label}:\n  ${order.map(name).join(" → ")}\n  peak live intermediates: ${peakLiveBytes(g, order)} B`);
}
const bytes = 4; // float32
console.log(
  `closed form: Kahn ${(branches * N * hidden + N * D) * bytes} B, memory-aware ${(Math.min(branches, 2) * N * hidden + Math.max(branches - 1, 1) * N * D) * bytes} B`,
);

// Streams, dispatch and the memory plan (the Graph panel's Schedule view draws them).
const s = scheduleOf(g, lowered.graph);
console.log(`streams ${s.streams}, stages on the critical path ${s.stages} (of ${g.nodes.length} nodes)`);
console.log(`dispatches: eager ${s.dispatches.eager} (one per op, unfused) · graph ${s.dispatches.graph} kernels in ${s.dispatches.submits} submit`);
for (const o of s.orders)
  console.log(`memory plan, ${o.name}: ${o.buffers.length} buffers, arena ${o.arenaBytes} B (one buffer per value: ${o.unplannedBytes} B)`);
