// CPU-backend micro-benchmarks (Node): eager op overhead with and without the tape, and matmul GFLOP/s.
// Run: npm run bench:cpu   (builds dist/lib first). Timings are for notes, never for assertions.
import { tensor, randn, manualSeed, noGrad } from "../dist/lib/webgrad.js";

function timeIt(fn, minMs = 400) {
  fn(); // warm-up
  let iters = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < minMs) {
    fn();
    iters++;
    t1 = performance.now();
  }
  return (t1 - t0) / iters;
}

const rows = [];
const OPS = 1000;

// Small tensors: overhead dominates. A chain of OPS elementwise ops on a [4] tensor.
const small = tensor([1, 2, 3, 4]);
const noTape = timeIt(() => {
  let y = small;
  for (let i = 0; i < OPS; i++) y = y.mul(1.0001).add(0.5);
});
rows.push(["eager op, no tape ([4] tensor)", `${((noTape / (2 * OPS)) * 1000).toFixed(2)} µs/op`]);

const leaf = tensor([1, 2, 3, 4], { requiresGrad: true });
const withTape = timeIt(() => {
  let y = leaf;
  for (let i = 0; i < OPS; i++) y = y.mul(1.0001).add(0.5);
});
rows.push(["eager op, with tape ([4] tensor)", `${((withTape / (2 * OPS)) * 1000).toFixed(2)} µs/op`]);

const bwd = timeIt(() => {
  let y = leaf;
  for (let i = 0; i < OPS; i++) y = y.mul(1.0001).add(0.5);
  y.sum().backward();
});
rows.push(["forward + backward ([4] tensor)", `${((bwd / (2 * OPS)) * 1000).toFixed(2)} µs/op`]);

manualSeed(0);
for (const n of [64, 256, 512]) {
  const a = randn([n, n]),
    b = randn([n, n]);
  const ms = noGrad(() => timeIt(() => a.matmul(b), 800));
  rows.push([`matmul ${n}³ f32`, `${((2 * n ** 3) / (ms * 1e6)).toFixed(2)} GFLOP/s (${ms.toFixed(2)} ms)`]);
}

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`webgrad CPU backend, Node ${process.version}`);
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
