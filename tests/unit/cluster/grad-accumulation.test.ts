/**
 * Lesson 50's gradient accumulation: k microbatch losses divided by k, backpropagated into the same
 * .grad, give the batch's gradient (to float rounding), while each backward keeps about 1/k of the
 * batch's activations (dist.activationBytes, the same measure the lesson prints).
 */
import { describe, expect, it } from "vitest";
import { dist, nn, randn, tensor } from "webgrad";

describe("gradient accumulation (lesson 50)", () => {
  const make = () => nn.sequential(nn.linear(8, 32, { seed: 1 }), nn.tanh(), nn.linear(32, 1, { seed: 2 }));
  const x = randn([64, 8], { seed: 3 });
  const y = tensor((x.tolistSync() as number[][]).map((r) => [Math.sin(r[0]) + r[1] * r[2]]));
  const memory = { precision: "fp32", optimizerSlots: 0 } as const;
  for (const k of [1, 2, 4, 8, 16]) {
    it(`k = ${k}: the same gradient as the batch of 64, and about 1/k of its activations`, () => {
      const whole = make(),
        acc = make();
      const big = nn.mse(whole.forward(x), y);
      const bigBytes = dist.activationBytes([big], whole.parameters(), memory);
      big.backward();
      const b = 64 / k;
      let microBytes = 0;
      for (let j = 0; j < k; j++) {
        const l = nn.mse(acc.forward(x.narrow(0, j * b, b)), y.narrow(0, j * b, b)).div(k);
        microBytes = Math.max(microBytes, dist.activationBytes([l], acc.parameters(), memory));
        l.backward();
      }
      whole.parameters().forEach((q, i) => expect(q.grad!.sub(acc.parameters()[i].grad!).abs().max().itemSync()).toBeLessThan(1e-6));
      // The activations scale with the samples; a few scalars (the loss, the 1/k) do not.
      expect(Math.abs(microBytes - bigBytes / k)).toBeLessThanOrEqual(64);
    });
  }
});
