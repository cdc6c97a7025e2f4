import { describe, expect, it } from "vitest";
import { nn, optim, data, noGrad, manualSeed } from "webgrad";

describe("spirals MLP", () => {
  it("reaches ≥ 95% training accuracy (3 classes, Adam, seeded)", () => {
    manualSeed(0);
    const { x, y } = data.spirals({ n: 300, classes: 3, seed: 0 });
    const model = nn.sequential(nn.linear(2, 64), nn.relu(), nn.linear(64, 64), nn.relu(), nn.linear(64, 3));
    const opt = optim.adam(model.parameters(), { lr: 1e-2 });
    const t0 = performance.now();
    let acc = 0,
      steps = 0,
      loss = NaN;
    for (; steps < 200; steps++) {
      const l = nn.crossEntropy(model.call(x), y);
      opt.zeroGrad();
      l.backward();
      opt.step();
      if (steps % 50 === 49) {
        loss = l.itemSync();
        acc = noGrad(() => model.forward(x).argmax(-1).eq(y).float().mean().itemSync());
      }
    }
    const ms = performance.now() - t0;
    console.log(`spirals: accuracy ${(acc * 100).toFixed(1)}% after ${steps} steps, loss ${loss.toFixed(4)}, ${ms.toFixed(0)} ms`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });
});
