import { data, decisionGrid, jit, manualSeed, nn, noGrad, optim, plot, scatter, steps, type Tensor } from "webgrad";

manualSeed(0); // the same initial weights in every run (Eager and Graph alike)
const { x, y } = data.xor({ n: 200, noise: 0.05, seed: 1 });
const model = nn.sequential(nn.linear(2, 8), nn.tanh(), nn.linear(8, 2));
const opt = optim.adam(model.parameters(), { lr: 0.05 });

// One training step; jit compiles it into one graph in Graph mode (Eager runs it line by line).
const train = jit(
  (x: Tensor, y: Tensor) => {
    const loss = nn.crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  },
  { name: "train step" },
);

// Class probabilities on a 40×40 grid over the data: the background of the picture.
const grid = decisionGrid([-1.2, 1.2], [-1.2, 1.2], 40);
const probs = jit((p: Tensor) => noGrad(() => model.forward(p).softmax(-1)), { name: "probabilities" });
const accuracy = jit((x: Tensor, y: Tensor) => noGrad(() => model.forward(x).argmax(-1).eq(y).cast("float32").mean()), { name: "accuracy" });

const n = steps(200);
for (let i = 0; i < n; i++) {
  const loss = train(x, y);
  // Read back only every few steps: each read waits for the device, training steps need not.
  if (i % 5 === 0 || i === n - 1) {
    await scatter("xor", x, y, { background: { grid, probs: probs(grid.points) } });
    plot("loss", i, await loss.item());
  }
  if (i === n - 1) console.log(`after ${n} steps: loss ${(await loss.item()).toFixed(3)}, accuracy ${(100 * (await accuracy(x, y).item())).toFixed(1)} %`);
}
