import { describe, expect, it } from "vitest";
import { nn, optim, data, jit, manualSeed, type Tensor } from "webgrad";

type MakeOpt = (params: Tensor[]) => optim.Optimizer<object>;

/** Train 30 steps of the DESIGN sketch's step, eagerly or compiled, with an lr schedule stepped outside the step. */
function losses(traced: boolean, makeOpt: MakeOpt): number[] {
  manualSeed(0);
  const { x, y } = data.sine({ n: 64, noise: 0.05 });
  const model = nn.sequential(nn.linear(1, 16), nn.tanh(), nn.linear(16, 1));
  const opt = makeOpt(model.parameters());
  const sched = optim.warmupCosine(opt, { warmupSteps: 5, totalSteps: 30, minLr: 1e-4 });
  const body = (x: Tensor, y: Tensor) => {
    const l = nn.mse(model.forward(x), y);
    opt.zeroGrad();
    l.backward();
    opt.step();
    return l;
  };
  const step = traced ? jit(body) : body;
  const out: number[] = [];
  for (let i = 0; i < 30; i++) {
    out.push(step(x, y).itemSync());
    sched.step();
  }
  return out;
}

describe("nn + optim under jit (state, step counts and lr are tensors updated in place)", () => {
  const cases: [string, MakeOpt][] = [
    ["adam", (p) => optim.adam(p, { lr: 1e-2 })],
    ["adamw amsgrad", (p) => optim.adamw(p, { lr: 1e-2, amsgrad: true, weightDecay: 0.1 })],
    ["sgd momentum dampening", (p) => optim.sgd(p, { lr: 0.1, momentum: 0.9, dampening: 0.2 })],
    ["sgd nesterov", (p) => optim.sgd(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: compiled training step ≡ eager`, () => {
      const eager = losses(false, make),
        traced = losses(true, make);
      traced.forEach((l, i) => expect(Math.abs(l - eager[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(eager[i]))));
      expect(eager[29]).toBeLessThan(eager[0]);
    });
  }
});
