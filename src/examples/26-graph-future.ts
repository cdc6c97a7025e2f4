import { choice, jit, randn, setMode, slider, type Tensor } from "webgrad";

setMode("graph"); // this lesson is about tracing, so trace in both toolbar modes

// Drag the knobs: serve requests of more distinct batch sizes, with exact shapes or with shapes
// padded up to a power of two (bucketing). Each new shape breaks a guard, and jit retraces.
const sizes = slider("distinct batch sizes", 1, 8, 5, { step: 1 });
const shapes = choice("shapes", ["exact", "bucketed"], "exact");

const w = randn([4, 3]);
const score = jit((x: Tensor, temperature: number) => x.matmul(w).div(temperature).relu().sum(-1), { name: "score" });

// 1. Tracing + guards. The first call traces; the trace is cached under guards: what a later call
//    must match to reuse it (each tensor's dtype and shape, each JS value).
score(randn([2, 4]), 1);
console.log(`guards of the cached trace:\n  ${score.guards.join("\n  ")}`);

// 2. A guard that fails retraces: another JS value, another shape, requiresGrad switched on.
const calls: [string, Tensor, number][] = [
  ["same shape and value", randn([2, 4]), 1],
  ["another temperature", randn([2, 4]), 0.5],
  ["another batch size", randn([3, 4]), 0.5],
  ["now requiring grad", randn([3, 4]).requiresGrad_(), 0.5],
  ["the first signature again", randn([2, 4]), 1],
];
for (const [what, x, temperature] of calls) {
  const before = score.traceCount;
  score(x, temperature);
  console.log(`${what}: ${score.traceCount > before ? `retrace (${score.retraceReasons.at(-1)})` : "cache hit"}`);
}

// 3. Dynamic shapes: 16 requests of varying batch size. Exact shapes trace once per size; padding
//    the batch to the next power of two (bucketing) needs fewer traces but computes padded rows.
const serve = jit((x: Tensor) => x.matmul(w).relu().sum(-1), { name: "serve" });
let rows = 0,
  padded = 0;
for (let r = 0; r < 16; r++) {
  const n = 1 + (r % sizes);
  const b = shapes === "bucketed" ? 2 ** Math.ceil(Math.log2(n)) : n; // the next power of two ≥ n
  serve(randn([b, 4]));
  rows += n;
  padded += b - n;
}
console.log(`${shapes} shapes: ${serve.traceCount} traces (${serve.traceCount - 1} retraces) for 16 requests; ${padded} padded rows of ${rows + padded}`);

// 4. A graph break: a decision in JS on a tensor's value cannot be traced, so the program runs as
//    two graphs with a read-back to the host in between (what torch.compile does at a break).
const encode = jit((x: Tensor) => x.matmul(w), { name: "before the break" });
const decode = jit((h: Tensor, k: number) => h.mul(k).tanh(), { name: "after the break" });
const h = encode(randn([2, 4]));
const k = (await h.max().item()) > 0 ? 1 : -1; // the host reads a value: the graph breaks here
console.log(`graph break: 2 graphs, 1 read-back (k = ${k}), result shape ${JSON.stringify(decode(h, k).shape)}`);

// 5. Lowering through levels, as MLIR lowers through dialects: tensor ops (like stablehlo), fused
//    loops (like linalg.generic), then one GPU kernel each (the Graph panel's WGSL view).
const lowered = score.lower(randn([2, 4]), 2);
console.log(`tensor level:\n${lowered.text()}\nafter fusion:\n${lowered.text("optimized")}`);
