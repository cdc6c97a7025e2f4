import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "w-limit",
    prompt: {
      en: "The data are made from y = 3·x plus noise. Which value does w approach as the loss falls? (a number)",
      zh: "数据由 y = 3·x 加噪声生成。随着损失下降，w 趋近于多少？（填一个数）",
    },
    answer: 3,
    tolerance: 0.1,
    explanation: {
      en: "Gradient descent moves w against d loss/dw until the slope of the mean squared error is zero, near the w that made the data: 3.",
      zh: "梯度下降让 w 沿 d loss/dw 的反方向移动，直到均方误差的斜率为零，也就是接近生成数据的 w：3。",
    },
  },
  {
    kind: "implement",
    id: "mse-gradient",
    prompt: {
      en: "Work out the derivative by hand: for `loss(w) = mean((w·x − y)²)`, write `lossGrad(w, xs, ys)` returning d loss/dw. The check compares it with webgrad's `grad` of the same loss at several w.",
      zh: "手算导数：对 `loss(w) = mean((w·x − y)²)`，实现 `lossGrad(w, xs, ys)`，返回 d loss/dw。检查会在多个 w 处把它与 webgrad 对同一损失的 `grad` 对比。",
    },
    starter: `/** d/dw of mean((w·x − y)²) over the samples (xs, ys). */
export function lossGrad(w: number, xs: number[], ys: number[]): number {
  let g = 0;
  for (let i = 0; i < xs.length; i++) {
    // TODO: differentiate (w·x − y)² with respect to w
    g += (w * xs[i] - ys[i]) * xs[i];
  }
  return g / xs.length;
}

console.log("d loss/dw at w = 0:", lossGrad(0, [1, 2, 3], [3, 6, 9]));
`,
    solution: `/** d/dw of mean((w·x − y)²) over the samples (xs, ys). */
export function lossGrad(w: number, xs: number[], ys: number[]): number {
  let g = 0;
  for (let i = 0; i < xs.length; i++) {
    g += 2 * (w * xs[i] - ys[i]) * xs[i]; // the chain rule: 2·(w·x − y) · x
  }
  return g / xs.length;
}

console.log("d loss/dw at w = 0:", lossGrad(0, [1, 2, 3], [3, 6, 9]));
`,
    check: `export default async function check(learner, t, wg) {
  const xs = [-2, -0.5, 0.25, 1, 1.75], ys = [-6.1, -1.4, 0.8, 3.05, 5.2];
  for (const w of [0, 1.5, 3, -2]) {
    await t.case({ en: "w = " + w, zh: "w = " + w }, async () => {
      const x = wg.tensor(xs), y = wg.tensor(ys);
      const g = wg.grad((v) => v.mul(x).sub(y).square().mean())(wg.tensor(w));
      t.close(t.fn("lossGrad")(w, xs, ys), (await g.data())[0], 1e-4);
    });
  }
}
`,
    hints: [
      {
        en: "d/dw (w·x − y)² = 2·(w·x − y)·x: the outer square, times the derivative of the inside.",
        zh: "d/dw (w·x − y)² = 2·(w·x − y)·x：外层平方的导数乘以内层的导数。",
      },
    ],
  },
]);
