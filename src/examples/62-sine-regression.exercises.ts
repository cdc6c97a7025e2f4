import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "extrapolation",
    prompt: {
      en: "After training on samples with |x| ≤ π, what does the network give for |x| > π?",
      zh: "在 |x| ≤ π 的样本上训练后，网络对 |x| > π 给出什么？",
    },
    choices: [
      { en: "It continues the sine wave", zh: "继续画出正弦波" },
      { en: "A guess: it never saw data there", zh: "一个猜测：它在那里从没见过数据" },
      { en: "Exactly zero", zh: "恰好为零" },
    ],
    answer: 1,
    explanation: {
      en: "A network interpolates between its samples; outside them nothing ties it to sin, and a tanh MLP flattens out.",
      zh: "网络只在样本之间插值；在样本范围之外，没有任何东西把它约束到 sin 上，tanh MLP 会逐渐变平。",
    },
  },
  {
    kind: "implement",
    id: "mse-pull",
    prompt: {
      en: "How hard does each point pull the curve? Write `msePull(pred, target)`: the gradient of L = (1/N)·Σᵢ (f(xᵢ) − yᵢ)² with respect to every prediction f(xᵢ), one number per sample. The check compares it with webgrad's `grad` of the same loss.",
      zh: "每个样本点把曲线拉得有多用力？实现 `msePull(pred, target)`：L = (1/N)·Σᵢ (f(xᵢ) − yᵢ)² 对每个预测值 f(xᵢ) 的梯度，每个样本一个数。检查会与 webgrad 对同一损失求的 `grad` 对比。",
    },
    starter: `/** d L / d pred[i] for L = mean((pred − target)²). */
export function msePull(pred: number[], target: number[]): number[] {
  // TODO: the derivative of the mean of the squares, not just the error
  return pred.map((p, i) => p - target[i]!);
}

console.log(msePull([0.5, 0, -1], [1, 0, -0.5]));
`,
    solution: `/** d L / d pred[i] for L = mean((pred − target)²). */
export function msePull(pred: number[], target: number[]): number[] {
  const n = pred.length;
  return pred.map((p, i) => (2 / n) * (p - target[i]!)); // the square gives 2·error, the mean 1/N
}

console.log(msePull([0.5, 0, -1], [1, 0, -0.5]));
`,
    check: `export default async function check(learner, t, wg) {
  const msePull = t.fn("msePull");
  const cases = [
    [[0.5, 0, -1], [1, 0, -0.5]],
    [[Math.sin(1), 0.2, 0.9, -0.3, 2], [0.8, 0.25, 1, -0.1, 0]],
  ];
  for (const [pred, target] of cases) {
    await t.case({ en: pred.length + " samples", zh: pred.length + " 个样本" }, async () => {
      const y = wg.tensor(target);
      const g = wg.grad((p) => p.sub(y).square().mean())(wg.tensor(pred));
      t.close(msePull(pred, target), await g.data(), 1e-5);
    });
  }
}
`,
    hints: [
      {
        en: "d/dp (p − y)² = 2·(p − y); the mean divides every term by N, so the gradient is (2/N)·(p − y): a point twice as far pulls twice as hard.",
        zh: "d/dp (p − y)² = 2·(p − y)；求平均把每一项除以 N，所以梯度是 (2/N)·(p − y)：离得远一倍的点拉得也重一倍。",
      },
    ],
  },
]);
