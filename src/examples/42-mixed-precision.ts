import { jit, plot, randn, steps, tensor, type Tensor } from "webgrad";

// 1. What a half holds. Printed with more digits than the tensor's own view shows.
const show = async (t: Tensor) => Array.from(await t.data(), (v) => +Number(v).toPrecision(6)).join(", ");
const xs = tensor([0.1, 1 / 3, 2049, 65504, 70000, 1e-5, 1e-8], { dtype: "float16" });
console.log(`0.1, 1/3, 2049, 65504, 70000, 1e-5, 1e-8 as float16 → ${await show(xs)}`);
console.log(`bytes per element: float32 ${tensor([0]).nbytes}, float16 ${tensor([0], { dtype: "float16" }).nbytes}`);

// 2. The three failures.
const act = tensor([300], { dtype: "float16" });
console.log(`overflow:  300² in float16 = ${await show(act.square())} (float32: ${await show(act.float().square())})`);
const g = tensor([3e-8, 1e-8], { dtype: "float32" });
console.log(
  `underflow: gradients ${await show(g)} as float16 = ${await show(g.half())}; scaled by S = 1024 first: ${await show(g.mul(1024).half())} (÷ S in float32 later)`,
);
const w = tensor([1], { dtype: "float16" });
console.log(`lost update: 1 − 0.0002 in float16 = ${await show(w.sub(0.0002))}; in float32 = ${await show(w.float().sub(0.0002))}`);

// 3. Train y = X·w* three ways: float32, pure float16 (weights, gradients and updates in half) and
// mixed (float32 master weights, float16 forward and backward with loss scaling).
const X = randn([128, 16], { seed: 1 }),
  wTrue = randn([16, 1], { seed: 2 }).mul(0.5);
const Y = X.matmul(wTrue);
const X16 = X.half(),
  Y16 = Y.half();
const lr = 0.05,
  S = 1024;
const mse = (x: Tensor, w: Tensor, y: Tensor) => x.matmul(w).sub(y).square().mean();

// One step of plain SGD in the weights' own dtype.
const plainStep = jit(
  (x: Tensor, y: Tensor, wt: Tensor) => {
    const wg = wt.detach().requiresGrad_();
    const loss = mse(x, wg, y);
    loss.backward();
    return [wt.sub(wg.grad!.mul(lr)), loss] as const;
  },
  { name: "plain step" },
);

// One mixed-precision step: cast the master weights to half, backward the scaled loss in half,
// unscale the gradient in float32 and update the float32 master.
const mixedStep = jit(
  (x16: Tensor, y16: Tensor, master: Tensor) => {
    const w16 = master.half().detach().requiresGrad_();
    const loss = mse(x16, w16, y16);
    loss.mul(S).backward();
    const grad32 = w16.grad!.float().div(S);
    return [master.sub(grad32.mul(lr)), loss] as const;
  },
  { name: "mixed step" },
);

let w32 = tensor(new Array(16).fill(0), { dtype: "float32" }).reshape([16, 1]);
let w16 = w32.half();
let master = w32;
const n = steps(300);
const last = { float32: 0, float16: 0, mixed: 0 };
for (let i = 0; i < n; i++) {
  let l: Tensor;
  [w32, l] = plainStep(X, Y, w32);
  last.float32 = await l.item();
  [w16, l] = plainStep(X16, Y16, w16);
  last.float16 = await l.item();
  [master, l] = mixedStep(X16, Y16, master);
  last.mixed = await l.item();
  if (i % 5 === 0 || i === n - 1)
    for (const [name, v] of Object.entries(last)) plot("loss (log10) vs step", i, Math.log10(Math.max(v, 1e-12)), { series: name });
}
console.log(
  `after ${n} steps, loss: float32 ${last.float32.toExponential(2)} · pure float16 ${last.float16.toExponential(2)} · mixed ${last.mixed.toExponential(2)}`,
);
