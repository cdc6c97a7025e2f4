import { checkpoint, choice, dist, grad, hessian, jit, linspace, onEvent, randn, tensor, plot, steps, type Tensor } from "webgrad";

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

// ---------------------------------------------------------------- 3. complex numbers
// L(z) = |z² + 1|² is real, so it is not holomorphic: there is no f′(z) to take. Write z = x + iy and
// differentiate the real pair; PyTorch reports the gradient of a real loss as z.grad = ∂L/∂x + i·∂L/∂y,
// which is 2·∂L/∂z̄ (the conjugate Wirtinger derivative, times 2): the steepest-ascent direction.
const lossXY = (p: Tensor) => {
  const [x, y] = p.split(1);
  const re = x!.square().sub(y!.square()).add(1); // Re(z² + 1)
  const im = x!.mul(y!).mul(2); // Im(z² + 1)
  return re.square().add(im.square()).sum();
};
/** 2·∂L/∂z̄ = 2·f(z)·conj(f′(z)) for L = |f(z)|², f(z) = z² + 1, f′(z) = 2z: as (re, im). */
const wirtinger2 = (x: number, y: number): [number, number] => {
  const [fr, fi] = [x * x - y * y + 1, 2 * x * y];
  const [dr, di] = [2 * x, -2 * y]; // conj(2z)
  return [2 * (fr * dr - fi * di), 2 * (fr * di + fi * dr)];
};
const z0: [number, number] = [0.5, 0.8];
const cx = (re: number, im: number) => `${re.toFixed(4)} ${im < 0 ? "−" : "+"} ${Math.abs(im).toFixed(4)}i`;
const [gx, gy] = (await grad(lossXY)(tensor(z0)).tolist()) as number[];
const [wr, wi] = wirtinger2(...z0);
console.log(`z = 0.5 + 0.8i: ∂L/∂x + i·∂L/∂y   = ${cx(gx!, gy!)} (webgrad on the real pair)`);
console.log(`               2·f(z)·conj(f′(z)) = ${cx(wr, wi)} (closed form: PyTorch's z.grad)`);
// Gradient descent with that z.grad walks z to a root of z² + 1 (here +i).
let [zx, zy] = z0;
for (let k = 0; k < steps(40); k++) {
  plot("complex descent: z in the plane", zx, zy, { series: "z ← z − η·z.grad" });
  const [dx, dy] = wirtinger2(zx, zy);
  [zx, zy] = [zx - 0.05 * dx, zy - 0.05 * dy];
}
console.log(`after descent: z = ${cx(zx, zy)}, |z² + 1| = ${Math.hypot(zx * zx - zy * zy + 1, 2 * zx * zy).toExponential(1)}`);

// ---------------------------------------------------------------- 4. differentiable programming
// A ball thrown with speed v0 against linear drag, simulated by T explicit Euler steps: a loop.
// grad differentiates through every step of it; by hand, x_T = Σ dt·v_t with v_t = (1 − k·dt)^t·v0.
const [dt, drag, T, target] = [0.1, 0.5, 30, 4];
const simulate = (v0: Tensor) => {
  let [x, v] = [v0.mul(0), v0];
  for (let t = 0; t < T; t++) [x, v] = [x.add(v.mul(dt)), v.sub(v.mul(drag * dt))];
  return x;
};
const dxdv = await grad((v0: Tensor) => simulate(v0).sum())(tensor([1])).item();
console.log(`∂x_T/∂v0 through ${T} loop steps: ${dxdv.toFixed(5)}, closed form (1 − (1 − k·dt)^T)/k = ${((1 - (1 - drag * dt) ** T) / drag).toFixed(5)}`);
// Round the landing spot to a whole metre (a bin, like argmax picking a class): piecewise constant,
// so its gradient is 0 almost everywhere and gradient descent cannot move v0.
const hit = (v0: Tensor) => simulate(v0).round().sub(target).square().sum();
const dRounded = await grad(hit)(tensor([1.5])).item();
const dSmooth = await grad((v0: Tensor) => simulate(v0).sub(target).square().sum())(tensor([1.5])).item();
console.log(`∂/∂v0 of (round(x_T) − ${target})² = ${dRounded}; of the smooth (x_T − ${target})² = ${dSmooth.toFixed(4)}`);

// ---------------------------------------------------------------- 5. memory vs recomputation
// A deep stack of tanh layers. Backward needs each layer's input (for matmul) and output (for tanh);
// the output of one layer is the input of the next, so without checkpointing every hidden state is
// kept. Checkpointing a block of layers keeps only the block's input and recomputes the rest.
// The knob picks which hidden states to keep: every k-th (blocks of k layers), or all ("none").
const depth = 8,
  width = 64,
  batch = 32;
const every = choice("checkpoint blocks of (layers)", ["none", 1, 2, 4, 8], 2);
const Ws = Array.from({ length: depth }, (_, i) =>
  randn([width, width], { seed: i })
    .mul(1 / Math.sqrt(width))
    .requiresGrad_(),
);
const x = randn([batch, width], { seed: 99 });
const layer = (i: number) => (h: Tensor) => h.matmul(Ws[i]!).tanh();
const block = (first: number, k: number) => (h: Tensor) => {
  for (let i = first; i < first + k; i++) h = layer(i)(h);
  return h;
};

async function run(k: number | "none") {
  let h = x;
  if (k === "none") h = block(0, depth)(h);
  else for (let i = 0; i < depth; i += k) h = checkpoint(block(i, k))(h);
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

const plain = await run("none");
const ckpt = await run(every);
let maxDiff = 0;
plain.grads.forEach((g, i) => g.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - ckpt.grads[i]![j]!)))));
const KiB = (b: number) => (b / 1024).toFixed(1);
const state = batch * width * 4; // one hidden state h_i, fp32
const report = (name: string, r: typeof plain) =>
  console.log(`${`${name}:`.padEnd(14)} ${r.nodes} tape nodes, ${KiB(r.saved)} KiB of activations kept for backward, ${r.recomputed} ops recomputed`);
report("keep all", plain);
report(every === "none" ? "keep all" : `blocks of ${every}`, ckpt);
const weights = Ws.reduce((sum, W) => sum + W.nbytes, 0);
console.log(`(the ${KiB(weights)} KiB of weights stay in memory either way, so they are not counted)`);
console.log(`same gradients: max |difference| = ${maxDiff.toExponential(1)}`);
// Closed forms, one hidden state S = batch·width·4 bytes: kept (L/k + 1)·S; recomputed 2L ops (each
// block's matmul and tanh once more); peak in backward ≈ (L/k + 1 + k − 1)·S while one block is rebuilt.
console.log("k    | kept (KiB) | recomputed ops | peak in backward (KiB)");
for (const k of [1, 2, 4, 8]) {
  const kept = (depth / k + 1) * state;
  const peak = (depth / k + k) * state;
  console.log(
    `${String(k).padEnd(4)} | ${KiB(kept).padStart(10)} | ${String(2 * depth).padStart(14)} | ${KiB(peak).padStart(9)}${k === every ? "   ← your choice" : ""}`,
  );
  plot("checkpointing: memory by block size k", k, kept / 1024, { series: "kept for backward (KiB)" });
  plot("checkpointing: memory by block size k", k, peak / 1024, { series: "peak in backward (KiB)" });
}
