import { data, image, jit, manualSeed, nn, noGrad, optim, plot, steps, type Tensor } from "webgrad";

manualSeed(0);
const { train, test } = await data.mnist(); // train.x: [6000, 784] in [0, 1], train.y: [6000] labels
console.log(`MNIST subset: ${train.x.shape[0]} training and ${test.x.shape[0]} test digits of 28×28`);

const model = nn.sequential(nn.linear(784, 64), nn.relu(), nn.linear(64, 10));
const opt = optim.adam(model.parameters(), { lr: 3e-3 });

const trainStep = jit(
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
const predict = jit((x: Tensor) => noGrad(() => model.forward(x).argmax(-1)), { name: "predict" });

// A few test digits to look at, and their labels.
const shown = 40;
const shownX = test.x.narrow(0, 0, shown);
const shownImages = shownX.reshape([shown, 28, 28]);
const shownLabels = [...(await test.y.narrow(0, 0, shown).data())];
const testLabels = await test.y.data();

async function evaluate(step: number): Promise<number> {
  const preds = await predict(test.x).data();
  let right = 0;
  for (let i = 0; i < preds.length; i++) if (preds[i] === testLabels[i]) right++;
  const acc = right / preds.length;
  const some = [...preds.subarray(0, shown)];
  await image("test digits", shownImages, { captions: some, correct: some.map((p, i) => p === shownLabels[i]) });
  plot("accuracy", step, acc, { series: "test" });
  return acc;
}

const batches = data.batches(train, 100, { shuffle: true, seed: 0, dropLast: true });
const n = steps(300); // 5 epochs of 60 batches
let step = 0;
await evaluate(0);
while (step < n) {
  for (const { x, y } of batches) {
    if (step >= n) break;
    const [loss, acc] = trainStep(x, y);
    step++;
    if (step % 5 === 0 || step === n) {
      plot("loss", step, await loss.item());
      plot("accuracy", step, await acc.item(), { series: "train batch" });
    }
    if (step % 60 === 0 || step === n) {
      const testAcc = await evaluate(step);
      console.log(`step ${step}: loss ${(await loss.item()).toFixed(3)}, test accuracy ${(100 * testAcc).toFixed(1)} %`);
    }
  }
}
