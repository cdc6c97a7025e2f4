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
