// title: What a graph is: values, ops and edges
// part: Computation graphs
// lesson: Computation graphs — what a graph is. jit runs a function once on abstract tensors (shape and dtype, no data) and records every op as a node; the tensors flowing between ops are the edges, each with its shape. The recorded graph is compiled once per input signature: calling again with the same shapes reuses it, and new shapes retrace (the Graph panel says why). The same graph prints as text, one line per op, like JAX's jaxpr.
// look at: the Graph panel: click a node to find its line; IR text for the same graph as text; Stats for nodes, kernels and memory
// panel: graph
import { jit, randn, manualSeed, setMode, type Tensor } from "webgrad";

// The toolbar's Graph switch does this too: in graph mode `jit` traces instead of running eagerly.
setMode("graph");
manualSeed(0);

// A tiny layer. Called with real tensors, jit first *traces* it: every op is recorded as a node
// of a graph, with the shape and dtype of what it produces (the edges), but nothing is computed.
const layer = jit(
  (x: Tensor, w: Tensor, b: Tensor) => {
    const z = x.matmul(w).add(b); // matmul, then a broadcast add
    const h = z.relu(); // elementwise
    return h.sum(1); // a reduction over the last axis
  },
  { name: "layer" },
);

const x = randn([8, 4]);
const w = randn([4, 3]);
const b = randn([3]);
console.log("out", await layer(x, w, b).tolist());

// The second call with the same shapes reuses the compiled graph: no new trace.
await layer(randn([8, 4]), w, b).tolist();
// New shapes are a new signature: jit traces again, and the Graph panel says why.
await layer(randn([2, 4]), w, b).tolist();
console.log("traces:", layer.traceCount);

// The same graph as text (jaxpr-like): one line per op, %n are the values.
console.log(layer.lower(x, w, b).text());
