import { concat, data, jit, linspace, manualSeed, nn, noGrad, optim, plot, scatter, steps, tensor, type Tensor } from "webgrad";

manualSeed(0);
const { x, y } = data.sine({ n: 64, noise: 0.1, seed: 0 }); // x, y: [64, 1]
const model = nn.sequential(nn.linear(1, 32), nn.tanh(), nn.linear(32, 32), nn.tanh(), nn.linear(32, 1));
const opt = optim.adam(model.parameters(), { lr: 0.01 });

const train = jit(
  (x: Tensor, y: Tensor) => {
    const loss = nn.mse(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  },
  { name: "train step" },
);

// The curves are drawn on 120 points from -4 to 4 (a little beyond the data).
const xs = linspace(-4, 4, 120).reshape([120, 1]);
const curve = jit((xs: Tensor) => noGrad(() => concat([xs, model.forward(xs)], 1)), { name: "curve" });
const samples = concat([x, y], 1);
const truth = concat([xs, xs.sin()], 1);

const n = steps(800);
let loss = 0;
for (let i = 0; i < n; i++) {
  const l = train(x, y);
  // Read back only every few steps: each read waits for the device, training steps need not.
  if (i % 10 === 0 || i === n - 1) {
    await scatter("fit", samples, undefined, { lines: { model: curve(xs), "sin(x)": truth }, y: [-1.6, 1.6] });
    loss = await l.item();
    plot("loss", i, loss);
  }
}
const at = tensor([[0.5], [1.5], [2.5]]);
const pred = await noGrad(() => model.forward(at)).data();
console.log(`after ${n} steps: loss ${loss.toFixed(4)}`);
console.log(`model(0.5, 1.5, 2.5) = ${[...pred].map((v) => v.toFixed(3)).join(", ")}; sin = ${[0.5, 1.5, 2.5].map((v) => Math.sin(v).toFixed(3)).join(", ")}`);
