import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "finite-difference-error",
    prompt: {
      en: "With forward differences (f(x + h) − f(x))/h, what does the error do as h shrinks from 10⁻¹ to 10⁻¹²?",
      zh: "用前向差分 (f(x + h) − f(x))/h 时，当 h 从 10⁻¹ 缩小到 10⁻¹² 时，误差如何变化？",
    },
    choices: [
      { en: "It keeps falling", zh: "一直下降" },
      { en: "It falls, then rises again", zh: "先下降，后又上升" },
      { en: "It stays the same", zh: "保持不变" },
    ],
    answer: 1,
    explanation: {
      en: "Truncation error shrinks with h, but round-off grows like ε/h: the error plotted against h is V-shaped. Automatic differentiation has neither.",
      zh: "截断误差随 h 减小，而舍入误差按 ε/h 增长：误差随 h 的曲线呈 V 形。自动微分两者都没有。",
    },
  },
  {
    kind: "implement",
    id: "central-difference",
    prompt: {
      en: "Numeric differentiation: write `centralDifference(f, x, h)`, the symmetric difference quotient, whose error falls like h² (the forward difference's falls only like h). The check compares it with the exact derivative from webgrad's `grad` and with the formula on a cubic.",
      zh: "数值微分：实现 `centralDifference(f, x, h)`，即对称差商，它的误差按 h² 下降（前向差分只按 h 下降）。检查会把它与 webgrad 的 `grad` 给出的精确导数对比，并在一个三次函数上核对公式。",
    },
    starter: `/** An estimate of f′(x) from two values of f around x, h apart from it. */
export function centralDifference(f: (x: number) => number, x: number, h: number): number {
  // TODO: this is the forward difference
  return (f(x + h) - f(x)) / h;
}

const f = (x: number) => x * x * Math.sin(x) + Math.exp(x);
console.log("f′(1) ≈", centralDifference(f, 1, 1e-3));
`,
    solution: `/** An estimate of f′(x) from two values of f around x, h apart from it. */
export function centralDifference(f: (x: number) => number, x: number, h: number): number {
  // The h² terms of the two Taylor expansions cancel: the error is O(h²).
  return (f(x + h) - f(x - h)) / (2 * h);
}

const f = (x: number) => x * x * Math.sin(x) + Math.exp(x);
console.log("f′(1) ≈", centralDifference(f, 1, 1e-3));
`,
    check: `export default async function check(learner, t, wg) {
  const f = (x) => x * x * Math.sin(x) + Math.exp(x);
  const ft = (x) => x.square().mul(x.sin()).add(x.exp());
  for (const x of [1, -0.5, 2]) {
    await t.case({ en: "f′(" + x + ") with h = 1e-3, against grad", zh: "h = 1e-3 时的 f′(" + x + ")，与 grad 对比" }, async () => {
      const exact = (await wg.grad(ft)(wg.tensor(x)).data())[0];
      t.close(t.fn("centralDifference")(f, x, 1e-3), exact, 1e-5); // float32 on the GPU: 1e-5 still fails the forward difference (error ≈ 1e-3)
    });
  }
  await t.case({ en: "x³ at x = 2 with h = 0.1: exactly 3x² + h²", zh: "x³ 在 x = 2、h = 0.1 时：恰为 3x² + h²" }, () => {
    t.close(t.fn("centralDifference")((x) => x * x * x, 2, 0.1), 12.01, 1e-9);
  });
}
`,
    hints: [
      { en: "Step h to both sides of x: use f(x + h) and f(x − h); they are 2h apart.", zh: "从 x 向两侧各走 h：用 f(x + h) 和 f(x − h)，两点相距 2h。" },
    ],
  },
]);
