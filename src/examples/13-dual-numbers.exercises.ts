import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "passes-for-gradient",
    prompt: {
      en: "With dual numbers, one evaluation gives one directional derivative. How many evaluations does the full gradient of f: ℝⁿ → ℝ (n inputs, one output) take?",
      zh: "用对偶数求值一次只得到一个方向导数。要得到 f: ℝⁿ → ℝ（n 个输入、一个输出）的完整梯度，需要求值几次？",
    },
    choices: [
      { en: "1, whatever n is", zh: "1 次，与 n 无关" },
      { en: "n: one per input, seeded with that input's unit vector", zh: "n 次：每个输入一次，种子取该输入方向的单位向量" },
      { en: "2n: one forward and one backward per input", zh: "2n 次：每个输入一次前向加一次反向" },
    ],
    answer: 1,
    explanation: {
      en: "A dual carries one tangent: seeding ẋ = eᵢ gives ∂f/∂xᵢ, so n inputs need n passes (the example's ∇h takes two). Reverse mode gets the whole gradient of a scalar output in one backward pass.",
      zh: "一个对偶数只携带一个切向量：种子 ẋ = eᵢ 得到 ∂f/∂xᵢ，所以 n 个输入需要 n 遍（示例中求 ∇h 用了两遍）。反向模式对标量输出只需一次反向传播就能得到完整梯度。",
    },
  },
  {
    kind: "implement",
    id: "dual-multiply",
    prompt: {
      en: "Forward mode from scratch: a dual number `val + dot·ε` with `ε² = 0` carries a value and its derivative. Write `mul(a, b)` so that multiplying duals follows the product rule. Run it: the Tape panel draws your duals' evaluation of `x³ + 2x`, and stepping its forward sweep shows the tangent your `mul` computes at each `*` box. The check multiplies a few duals and differentiates `x³` with your `mul`, comparing with webgrad's `jvp`.",
      zh: "从零实现前向模式：对偶数 `val + dot·ε`（`ε² = 0`）同时携带值和导数。实现 `mul(a, b)`，使对偶数相乘遵循乘积法则。运行它：Tape 面板会画出你的对偶数对 `x³ + 2x` 的求值过程，单步执行前向扫描时，每个 `*` 框上显示的就是你的 `mul` 算出的切向量。检查会相乘几组对偶数，并用你的 `mul` 对 `x³` 求导，与 webgrad 的 `jvp` 对比。",
    },
    starter: `import { showTape } from "webgrad";

/** A dual number val + dot·ε, where ε² = 0 (op and inputs only to draw it in the Tape panel). */
export interface Dual {
  val: number;
  dot: number;
  op?: string;
  inputs?: Dual[];
}
export const dual = (val: number, dot = 0, op = "", inputs: Dual[] = []): Dual => ({ val, dot, op, inputs });
export const add = (a: Dual, b: Dual): Dual => dual(a.val + b.val, a.dot + b.dot, "+", [a, b]);

/** (a.val + a.dot·ε)(b.val + b.dot·ε), with ε² = 0. */
export function mul(a: Dual, b: Dual): Dual {
  // TODO: expand the product and drop the ε² term
  return dual(a.val * b.val, a.dot * b.dot, "*", [a, b]);
}

// f(x) = x³ + 2x, so f′(2) = 3·2² + 2 = 14.
const x = dual(2, 1);
const y = add(mul(mul(x, x), x), mul(dual(2), x));
console.log("f(2) =", y.val, "f′(2) =", y.dot);

// Draw this evaluation in the Tape panel: step ▶ through the forward sweep and read each tangent v̇.
const ops: Dual[] = [];
const visit = (d: Dual): void => {
  if (!d.op || ops.includes(d)) return;
  d.inputs?.forEach(visit);
  ops.push(d);
};
visit(y);
showTape(ops, (d) => ({ op: d.op, inputs: d.inputs, value: d.val, tangent: d.dot, name: d === x ? "x" : String(d.val) }), { name: "my duals" });
`,
    solution: `import { showTape } from "webgrad";

/** A dual number val + dot·ε, where ε² = 0 (op and inputs only to draw it in the Tape panel). */
export interface Dual {
  val: number;
  dot: number;
  op?: string;
  inputs?: Dual[];
}
export const dual = (val: number, dot = 0, op = "", inputs: Dual[] = []): Dual => ({ val, dot, op, inputs });
export const add = (a: Dual, b: Dual): Dual => dual(a.val + b.val, a.dot + b.dot, "+", [a, b]);

/** (a.val + a.dot·ε)(b.val + b.dot·ε), with ε² = 0. */
export function mul(a: Dual, b: Dual): Dual {
  return dual(a.val * b.val, a.val * b.dot + a.dot * b.val, "*", [a, b]); // the product rule
}

// f(x) = x³ + 2x, so f′(2) = 3·2² + 2 = 14.
const x = dual(2, 1);
const y = add(mul(mul(x, x), x), mul(dual(2), x));
console.log("f(2) =", y.val, "f′(2) =", y.dot);

// Draw this evaluation in the Tape panel: step ▶ through the forward sweep and read each tangent v̇.
const ops: Dual[] = [];
const visit = (d: Dual): void => {
  if (!d.op || ops.includes(d)) return;
  d.inputs?.forEach(visit);
  ops.push(d);
};
visit(y);
showTape(ops, (d) => ({ op: d.op, inputs: d.inputs, value: d.val, tangent: d.dot, name: d === x ? "x" : String(d.val) }), { name: "my duals" });
`,
    check: `export default async function check(learner, t, wg) {
  const pairs = [
    [[3, 1], [3, 1]],
    [[2, 0.5], [-1, 4]],
    [[5, 0], [2, 1]],
  ];
  for (const [a, b] of pairs) {
    const label = "(" + a[0] + " + " + a[1] + "ε)(" + b[0] + " + " + b[1] + "ε)";
    await t.case(label, () => {
      const r = t.fn("mul")({ val: a[0], dot: a[1] }, { val: b[0], dot: b[1] });
      t.close([r.val, r.dot], [a[0] * b[0], a[0] * b[1] + a[1] * b[0]]);
    });
  }
  for (const x of [-1.5, 0.5, 2]) {
    await t.case({ en: "d(x³)/dx at x = " + x + " (webgrad jvp)", zh: "x = " + x + " 处的 d(x³)/dx（webgrad jvp）" }, async () => {
      const mul = t.fn("mul");
      const d = { val: x, dot: 1 };
      const r = mul(mul(d, d), d);
      const [, tangent] = wg.jvp((v) => v.mul(v).mul(v), [wg.tensor(x)], [wg.tensor(1)]);
      t.close([r.val, r.dot], [x * x * x, (await tangent.data())[0]], 1e-4);
    });
  }
}
`,
    hints: [
      { en: "Multiply out (a + bε)(c + dε) = ac + adε + bcε + bdε².", zh: "展开 (a + bε)(c + dε) = ac + adε + bcε + bdε²。" },
      { en: "ε² = 0, so the derivative part is a·d + b·c: the product rule.", zh: "ε² = 0，所以导数部分是 a·d + b·c，这正是乘积法则。" },
    ],
  },
]);
