import { checkpoint, dist, grad, hessian, jit, linspace, onEvent, randn, tensor, plot, type Tensor } from "webgrad";

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
// A deep stack of tanh layers. Backward needs each layer's input (for matmul) and output (for tanh);
// the output of one layer is the input of the next, so without checkpointing every hidden state is
// kept. Checkpointing a block of layers keeps only the block's input and recomputes the rest.
const depth = 8,
  width = 64,
  batch = 32,
  layersPerBlock = 2;
const Ws = Array.from({ length: depth }, (_, i) =>
  randn([width, width], { seed: i })
    .mul(1 / Math.sqrt(width))
    .requiresGrad_(),
);
const x = randn([batch, width], { seed: 99 });
const layer = (i: number) => (h: Tensor) => h.matmul(Ws[i]!).tanh();
const block = (first: number) => (h: Tensor) => {
  for (let i = first; i < first + layersPerBlock; i++) h = layer(i)(h);
  return h;
};

async function run(useCheckpoint: boolean) {
  let h = x;
  for (let i = 0; i < depth; i += layersPerBlock) h = useCheckpoint ? checkpoint(block(i))(h) : block(i)(h);
  const loss = h.square().mean();
  const nodes = loss.tape();
  // What checkpointing changes: the activations autograd keeps until backward (each tensor once, even
  // when two ops save it). The weights are saved by every matmul too, but they stay in memory anyway.
  const saved = dist.activationBytes([loss], Ws, { precision: "fp32", optimizerSlots: 0 });
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
const KiB = (b: number) => (b / 1024).toFixed(1);
console.log(`without checkpoint: ${plain.nodes} tape nodes, ${KiB(plain.saved)} KiB of activations kept for backward, ${plain.recomputed} ops recomputed`);
console.log(`with checkpoint:    ${ckpt.nodes} tape nodes, ${KiB(ckpt.saved)} KiB of activations kept for backward, ${ckpt.recomputed} ops recomputed`);
const weights = Ws.reduce((sum, W) => sum + W.nbytes, 0);
console.log(`(blocks of ${layersPerBlock} layers; the ${KiB(weights)} KiB of weights stay in memory either way, so they are not counted)`);
console.log(`same gradients: max |difference| = ${maxDiff.toExponential(1)}`);
