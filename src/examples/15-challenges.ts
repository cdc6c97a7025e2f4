import { checkpoint, grad, hessian, jit, linspace, onEvent, randn, tensor, plot, type Tensor } from "webgrad";

// ---------------------------------------------------------------- 1. the Hessian
// f(a, b, c) = a²·b + sin(b·c). Its Hessian by hand:
//   [ 2b   2a                  0               ]
//   [ 2a   −c² sin(bc)         cos(bc) − bc sin(bc) ]
//   [ 0    cos(bc) − bc sin(bc)  −b² sin(bc)      ]
const f = (x: Tensor) => {
  const [a, b, c] = x.split(1);
  return a!.square().mul(b!).add(b!.mul(c!).sin()).sum();
};
const [a, b, c] = [0.5, 1.2, -0.7];
const H = (await jit(hessian(f), { name: "hessian" })(tensor([a, b, c])).tolist()) as number[][];
const s = Math.sin(b * c),
  co = Math.cos(b * c);
const closed = [
  [2 * b, 2 * a, 0],
  [2 * a, -c * c * s, co - b * c * s],
  [0, co - b * c * s, -b * b * s],
];
console.log("Hessian by hessian():", H.map((r) => r.map((v) => v.toFixed(4)).join("  ")).join(" | "));
console.log("Hessian by hand:     ", closed.map((r) => r.map((v) => v.toFixed(4)).join("  ")).join(" | "));

// ---------------------------------------------------------------- 2. higher order: tanh
// Summing first makes each level a scalar function whose gradient is the elementwise derivative.
const d1 = grad((x: Tensor) => x.tanh().sum());
const d2 = grad((x: Tensor) => d1(x).sum());
const d3 = grad((x: Tensor) => d2(x).sum());
const xs = linspace(-3, 3, 61);
const curves = { tanh: (x: Tensor) => x.tanh(), "tanh′": d1, "tanh″": d2, "tanh‴": d3 };
const px = (await xs.tolist()) as number[];
for (const [name, fn] of Object.entries(curves)) {
  const compiled = jit(fn, { name });
  const ys = (await compiled(xs).tolist()) as number[];
  px.forEach((x, i) => plot("tanh and its derivatives", x, ys[i]!, { series: name }));
  // Each order differentiates the program of the previous one: count its ops.
  console.log(`${name.padEnd(6)} ${String(jit(fn).lower(xs).graph.nodes.length).padStart(3)} ops`);
}
// Check the third derivative at 0.5 against the closed form (6t² − 2)(1 − t²), t = tanh x.
const t = Math.tanh(0.5);
console.log(`tanh‴(0.5) = ${(await d3(tensor([0.5])).item()).toFixed(5)}, closed form ${((6 * t * t - 2) * (1 - t * t)).toFixed(5)}`);

// ---------------------------------------------------------------- 3. memory vs recomputation
// A deep stack of tanh layers. Backward needs each layer's input (for matmul) and output (for tanh).
const depth = 8,
  width = 64,
  batch = 32;
const Ws = Array.from({ length: depth }, (_, i) =>
  randn([width, width], { seed: i })
    .mul(1 / Math.sqrt(width))
    .requiresGrad_(),
);
const x = randn([batch, width], { seed: 99 });
const layer = (i: number) => (h: Tensor) => h.matmul(Ws[i]!).tanh();

async function run(useCheckpoint: boolean) {
  let h = x;
  for (let i = 0; i < depth; i++) h = useCheckpoint ? checkpoint(layer(i))(h) : layer(i)(h);
  const loss = h.square().mean();
  const nodes = loss.tape();
  const saved = nodes.reduce((sum, n) => sum + n.savedBytes, 0);
  // Count the forward ops recomputed during backward (each one is recorded again as it runs).
  let recomputed = 0;
  const off = onEvent((e) => {
    if (e.type === "tape" && e.phase === "record") recomputed++;
  });
  for (const W of Ws) W.grad = null;
  loss.backward();
  off();
  const grads = await Promise.all(Ws.map((W) => W.grad!.data()));
  return { nodes: nodes.length, saved, recomputed, grads };
}

const plain = await run(false);
const ckpt = await run(true);
let maxDiff = 0;
plain.grads.forEach((g, i) => g.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - ckpt.grads[i]![j]!)))));
console.log(`without checkpoint: ${plain.nodes} tape nodes, ${(plain.saved / 1024).toFixed(1)} KiB saved for backward, ${plain.recomputed} ops recomputed`);
console.log(`with checkpoint:    ${ckpt.nodes} tape nodes, ${(ckpt.saved / 1024).toFixed(1)} KiB saved for backward, ${ckpt.recomputed} ops recomputed`);
console.log(`same gradients: max |difference| = ${maxDiff.toExponential(1)}`);
