import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "dp-equals-one",
    prompt: {
      en: "Data parallel on 4 devices, against one device on the whole batch: after 10 steps, the weights are…",
      zh: "在 4 个设备上做数据并行，与单设备在整个批次上训练相比：10 步之后权重……",
    },
    choices: [
      { en: "The same, up to rounding", zh: "相同（只差舍入误差）" },
      { en: "Different: each device saw only a quarter of the data", zh: "不同：每个设备只看到四分之一的数据" },
      { en: "4 times larger", zh: "大 4 倍" },
    ],
    answer: 0,
    explanation: {
      en: "The mean of the slices' gradients is the gradient of the whole batch, and every copy takes that same step.",
      zh: "各分片梯度的平均就是整个批次的梯度，每个副本都走同样的一步。",
    },
  },
  {
    kind: "implement",
    id: "gradient-accumulation",
    prompt: {
      en: "Write `accumulate(lossOn, n, k)`: backpropagate a batch of `n` samples as `k` microbatches so that afterwards each parameter's `.grad` is the gradient of the whole batch's mean loss. `lossOn(start, size)` returns the mean loss of samples `start … start + size − 1` (a fresh graph each call). The starter calls backward on each microbatch's loss as it is. The check compares with the gradient of the whole batch for k = 1, 2, 4 and 8.",
      zh: "实现 `accumulate(lossOn, n, k)`：把 `n` 个样本的一批分成 `k` 个微批次做反向传播，使得结束后每个参数的 `.grad` 等于整批平均损失的梯度。`lossOn(start, size)` 返回样本 `start … start + size − 1` 的平均损失（每次调用都建一张新的计算图）。初始代码对每个微批次的损失直接调用 backward。检查会在 k = 1、2、4、8 时与整批的梯度对比。",
    },
    starter: `import type { Tensor } from "webgrad";

/** Backpropagate n samples as k microbatches; afterwards .grad holds the whole batch's mean-loss gradient. */
export function accumulate(lossOn: (start: number, size: number) => Tensor, n: number, k: number): void {
  const b = n / k;
  // TODO: each microbatch's mean loss counts as much as the whole batch's
  for (let j = 0; j < k; j++) lossOn(j * b, b).backward();
}
`,
    solution: `import type { Tensor } from "webgrad";

/** Backpropagate n samples as k microbatches; afterwards .grad holds the whole batch's mean-loss gradient. */
export function accumulate(lossOn: (start: number, size: number) => Tensor, n: number, k: number): void {
  const b = n / k;
  // The batch's mean is the mean of the k microbatch means: each contributes 1/k, and backward adds into .grad.
  for (let j = 0; j < k; j++) lossOn(j * b, b).div(k).backward();
}
`,
    check: `export default async function check(learner, t, wg) {
  const { nn, randn } = wg;
  const make = () => nn.sequential(nn.linear(8, 16, { seed: 1 }), nn.tanh(), nn.linear(16, 1, { seed: 2 }));
  const x = randn([32, 8], { seed: 3 }), y = randn([32, 1], { seed: 4 });
  const whole = make();
  nn.mse(whole.forward(x), y).backward();
  const want = whole.parameters().map((p) => Array.from(p.grad.dataSync()));
  for (const k of [1, 2, 4, 8]) {
    await t.case({ en: "k = " + k + ": the whole batch's gradient", zh: "k = " + k + "：与整批的梯度相同" }, () => {
      const m = make();
      t.fn("accumulate")((start, size) => nn.mse(m.forward(x.narrow(0, start, size)), y.narrow(0, start, size)), 32, k);
      m.parameters().forEach((p, i) => t.close(Array.from(p.grad.dataSync()), want[i], 1e-5));
    });
  }
}
`,
    hints: [
      {
        en: "Backward adds into .grad, so k backward calls sum k gradients. Each microbatch loss is a mean over n/k samples: what is the whole batch's mean in terms of them?",
        zh: "backward 会累加到 .grad 中，所以 k 次 backward 会把 k 个梯度相加。每个微批次的损失是 n/k 个样本的平均：整批的平均如何用它们表示？",
      },
      { en: "L = (1/k)·Σⱼ Lⱼ: divide each microbatch's loss by k before its backward.", zh: "L = (1/k)·Σⱼ Lⱼ：在每个微批次的 backward 之前把它的损失除以 k。" },
    ],
  },
]);
