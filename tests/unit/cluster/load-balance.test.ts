/**
 * Switch Transformer's load-balancing loss (Fedus et al. 2022, eqs. 4–6) against its formula, its
 * two limits (α for an even gate, α·N for a collapsed one), its gradient in closed form, and its
 * effect on real routing: lesson 41's training spreads the tokens over the experts only with α > 0.
 */
import { describe, expect, it } from "vitest";
import { dist, nn, optim, randn, tensor } from "webgrad";

describe("dist.loadBalancingLoss", () => {
  it("is α·N·Σ fᵢ·Pᵢ with fᵢ the top-1 share and Pᵢ the mean probability", () => {
    const logits = randn([32, 5], { seed: 1 }).mul(2);
    const rows = logits.tolistSync() as number[][];
    const probs = rows.map((r) => {
      const z = r.map((v) => Math.exp(v - Math.max(...r)));
      const s = z.reduce((a, b) => a + b, 0);
      return z.map((v) => v / s);
    });
    const f = [0, 0, 0, 0, 0];
    for (const r of rows) f[r.indexOf(Math.max(...r))] += 1 / 32;
    const P = [0, 1, 2, 3, 4].map((i) => probs.reduce((a, p) => a + p[i], 0) / 32);
    const lb = dist.loadBalancingLoss(logits, { alpha: 0.01 });
    expect(lb.fraction.map((x) => x)).toEqual(f);
    lb.probability.forEach((p, i) => expect(p).toBeCloseTo(P[i], 6));
    expect(lb.load.reduce((a, b) => a + b, 0)).toBe(32);
    expect(lb.loss.itemSync()).toBeCloseTo(0.01 * 5 * f.reduce((a, fi, i) => a + fi * P[i], 0), 7);
  });

  it("is α for an even gate and α·N when one expert takes every token with certainty", () => {
    expect(
      dist
        .loadBalancingLoss(
          tensor([
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [1, 1, 1, 1],
            [2, 2, 2, 2],
          ]),
          { alpha: 0.1 },
        )
        .loss.itemSync(),
    ).toBeCloseTo(0.1 * 4 * 0.25, 7);
    const collapsed = tensor(Array.from({ length: 6 }, () => [0, 0, 60, 0]));
    expect(dist.loadBalancingLoss(collapsed, { alpha: 0.1 }).loss.itemSync()).toBeCloseTo(0.4, 6);
    // An even top-1 split with an even softmax: fᵢ = Pᵢ = 1/N, the minimum α.
    const even = tensor([
      [5, 0, 0],
      [0, 5, 0],
      [0, 0, 5],
    ]);
    expect(dist.loadBalancingLoss(even, { alpha: 0.01 }).loss.itemSync()).toBeCloseTo(0.01, 7);
  });

  it("has the gradient α·N/T · pⱼ·(fⱼ − Σᵢ fᵢ·pᵢ) in each logit (none through fᵢ)", () => {
    const logits = randn([8, 4], { seed: 2 }).requiresGrad_();
    const lb = dist.loadBalancingLoss(logits, { alpha: 0.5 });
    lb.loss.backward();
    const g = logits.grad!.tolistSync() as number[][];
    const rows = logits.tolistSync() as number[][];
    rows.forEach((r, t) => {
      const z = r.map((v) => Math.exp(v));
      const s = z.reduce((a, b) => a + b, 0);
      const p = z.map((v) => v / s);
      const fp = p.reduce((a, pi, i) => a + lb.fraction[i] * pi, 0);
      p.forEach((pj, j) => expect(g[t][j]).toBeCloseTo(((0.5 * 4) / 8) * pj * (lb.fraction[j] - fp), 6));
    });
  });

  it("spreads lesson 41's skewed tokens over the experts when α > 0, and not when α = 0", () => {
    const E = 8,
      dm = 16,
      N = 64;
    const tokens = randn([N, dm], { seed: 6 }).add(1),
      target = randn([N, dm], { seed: 5 });
    const train = (alpha: number) => {
      const gate = nn.linear(dm, E, { seed: 3 });
      const experts = Array.from({ length: E }, (_, e) => nn.sequential(nn.linear(dm, 32, { seed: 10 + e }), nn.relu(), nn.linear(32, dm, { seed: 30 + e })));
      const o = optim.sgd([...gate.parameters(), ...experts.flatMap((x) => x.parameters())], { lr: 0.1 });
      for (let i = 0; i < 60; i++) {
        const lb = dist.loadBalancingLoss(gate.forward(tokens), { alpha: 1 });
        const task = nn.mse(dist.moeReference(tokens, gate, experts, { capacityFactor: 2, groups: 1 }).y, target);
        o.zeroGrad();
        task.add(lb.loss.mul(alpha)).backward();
        o.step();
      }
      return dist.loadBalancingLoss(gate.forward(tokens), { alpha: 1 });
    };
    const before = dist.loadBalancingLoss(nn.linear(dm, E, { seed: 3 }).forward(tokens), { alpha: 1 });
    const off = train(0),
      on = train(0.1);
    expect(Math.max(...before.load)).toBeGreaterThanOrEqual(N / 3);
    expect(Math.max(...off.load)).toBeGreaterThanOrEqual(N / 4);
    expect(Math.max(...on.load)).toBeLessThanOrEqual(N / 5);
    expect(on.loss.itemSync()).toBeLessThan(0.8 * off.loss.itemSync());
  });
});
