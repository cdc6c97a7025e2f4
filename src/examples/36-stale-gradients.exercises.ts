import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "stale-version",
    prompt: {
      en: "With staleness k = 4, the server applies its 7th update (step t = 6, counting from 0). Which parameter version was that gradient computed on?",
      zh: "过时步数 k = 4 时，服务器执行第 7 次更新（第 t = 6 步，从 0 数起）。这个梯度是基于哪个参数版本算出来的？",
    },
    answer: 2,
    tolerance: 0,
    explanation: {
      en: 'Version t − k = 6 − 4 = 2 (the first k steps all use version 0). The console\'s "the last gradient used version …" is this number for the last step.',
      zh: "版本 t − k = 6 − 4 = 2（前 k 步都用版本 0）。控制台里“the last gradient used version …”就是最后一步的这个数。",
    },
  },
  {
    kind: "implement",
    id: "delayed-sgd",
    prompt: {
      en: "Write `delayedGD(k, lr, lambda, w0, steps)`: gradient descent on f(w) = λw²/2 (gradient λw) where the gradient applied at step t is the one at w_{t−k} (w_{t−k} = w0 while t < k). Return the trajectory [w0, w1, …, w_steps]. The check compares with the reference and with `dist.ParameterServer` training a one-weight model.",
      zh: "实现 `delayedGD(k, lr, lambda, w0, steps)`：在 f(w) = λw²/2（梯度为 λw）上做梯度下降，第 t 步用的是 w_{t−k} 处的梯度（t < k 时 w_{t−k} = w0）。返回轨迹 [w0, w1, …, w_steps]。检查会与参考实现比较，并与 `dist.ParameterServer` 训练的单权重模型对照。",
    },
    starter: `/** Gradient descent on λw²/2 with gradients k steps stale: [w0, w1, …, w_steps]. */
export function delayedGD(k: number, lr: number, lambda: number, w0: number, steps: number): number[] {
  const w = [w0];
  for (let t = 0; t < steps; t++) {
    // TODO: this uses the current w: synchronous SGD, k ignored
    w.push(w[t] - lr * lambda * w[t]);
  }
  return w;
}

console.log(delayedGD(0, 0.5, 1, 1, 10).map((v) => v.toFixed(3)).join(" "));
console.log(delayedGD(4, 0.5, 1, 1, 10).map((v) => v.toFixed(3)).join(" "));
`,
    solution: `/** Gradient descent on λw²/2 with gradients k steps stale: [w0, w1, …, w_steps]. */
export function delayedGD(k: number, lr: number, lambda: number, w0: number, steps: number): number[] {
  const w = [w0];
  for (let t = 0; t < steps; t++) {
    // The gradient was computed on the parameters of k updates ago (the start, before there were k).
    const stale = w[Math.max(0, t - k)];
    w.push(w[t] - lr * lambda * stale);
  }
  return w;
}

console.log(delayedGD(0, 0.5, 1, 1, 10).map((v) => v.toFixed(3)).join(" "));
console.log(delayedGD(4, 0.5, 1, 1, 10).map((v) => v.toFixed(3)).join(" "));
`,
    check: `export default async function check(learner, t, wg) {
  const ref = (k, lr, lambda, w0, steps) => {
    const w = [w0];
    for (let i = 0; i < steps; i++) w.push(w[i] - lr * lambda * w[Math.max(0, i - k)]);
    return w;
  };
  for (const [k, lr, lambda] of [[0, 0.5, 1], [1, 0.5, 1], [4, 0.5, 1], [3, 0.1, 2]]) {
    await t.case({ en: "k = " + k + ", η = " + lr + ", λ = " + lambda, zh: "k = " + k + "、η = " + lr + "、λ = " + lambda }, () => {
      t.close(t.fn("delayedGD")(k, lr, lambda, 1, 12), ref(k, lr, lambda, 1, 12), 1e-9);
    });
  }
  await t.case({ en: "agrees with dist.ParameterServer (one weight, k = 2)", zh: "与 dist.ParameterServer 一致（单个权重，k = 2）" }, () => {
    const { dist, nn, optim, tensor } = wg;
    const c = dist.cluster({ devicesPerNode: 2, topology: "switch" });
    // f(w) = mean((w·x − 0)²) with x = 1: gradient 2w, so λ = 2.
    const make = () => { const m = nn.linear(1, 1, { bias: false }); wg.noGrad(() => m.weight.copy_(tensor([[1]]))); return m; };
    const ps = new dist.ParameterServer(make, [c.devices[0]], { servers: c.devices[1], optimizer: (p) => optim.sgd(p, { lr: 0.1 }), staleness: 2 });
    const x = tensor([[1]]), y = tensor([[0]]);
    const ws = [1];
    for (let i = 0; i < 8; i++) { ps.step(x, y, (o, tt) => nn.mse(o, tt)); ws.push(ps.model.weight.itemSync()); }
    t.close(t.fn("delayedGD")(2, 0.1, 2, 1, 8), ws, 1e-5);
  });
}
`,
    hints: [
      {
        en: "Keep the whole trajectory: the gradient at step t is λ·w[t − k], read from the list, but only once t − k ≥ 0; before that it is λ·w0.",
        zh: "保留整条轨迹：第 t 步的梯度是 λ·w[t − k]，从列表里读取，但要 t − k ≥ 0；在那之前是 λ·w0。",
      },
      {
        en: "w[t + 1] = w[t] − lr·λ·w[max(0, t − k)]. Try k = 4, lr = 0.5: the trajectory oscillates with growing amplitude.",
        zh: "w[t + 1] = w[t] − lr·λ·w[max(0, t − k)]。试试 k = 4、lr = 0.5：轨迹会振荡且振幅越来越大。",
      },
    ],
  },
]);
