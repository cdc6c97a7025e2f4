import { data, decisionGrid, jit, manualSeed, nn, noGrad, optim, plot, scatter, steps, type Tensor } from "webgrad";

manualSeed(0);
const { x, y } = data.spirals({ n: 300, classes: 3, noise: 0.2, seed: 0 });
const model = nn.sequential(nn.linear(2, 64), nn.relu(), nn.linear(64, 64), nn.relu(), nn.linear(64, 3));
const opt = optim.adam(model.parameters(), { lr: 0.01 });

const train = jit(
  (x: Tensor, y: Tensor) => {
    const logits = model.forward(x);
    const loss = nn.crossEntropy(logits, y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return [loss, noGrad(() => logits.argmax(-1).eq(y).cast("float32").mean())] as const;
  },
  { name: "train step" },
);

const grid = decisionGrid([-1.1, 1.1], [-1.1, 1.1], 56);
const probs = jit((p: Tensor) => noGrad(() => model.forward(p).softmax(-1)), { name: "probabilities" });

const n = steps(300);
for (let i = 0; i < n; i++) {
  const [loss, acc] = train(x, y);
  // Read back only every few steps: each read waits for the device, training steps need not.
  if (i % 5 === 0 || i === n - 1) {
    await scatter("spirals", x, y, { background: { grid, probs: probs(grid.points) } });
    plot("loss", i, await loss.item());
    plot("accuracy", i, await acc.item());
  }
  if (i % 100 === 0 || i === n - 1) console.log(`step ${i}: loss ${(await loss.item()).toFixed(4)}, accuracy ${(100 * (await acc.item())).toFixed(1)} %`);
}
