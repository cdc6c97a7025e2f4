import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "implement",
    id: "dual-multiply",
    prompt: {
      en: "Forward mode from scratch: a dual number `val + dot·ε` with `ε² = 0` carries a value and its derivative. Write `mul(a, b)` so that multiplying duals follows the product rule. The check multiplies a few duals and differentiates `x³` with your `mul`, comparing with webgrad's `jvp`.",
      zh: "从零实现前向模式：对偶数 `val + dot·ε`（`ε² = 0`）同时携带值和导数。实现 `mul(a, b)`，使对偶数相乘遵循乘积法则。检查会相乘几组对偶数，并用你的 `mul` 对 `x³` 求导，与 webgrad 的 `jvp` 对比。",
    },
    starter: `/** A dual number val + dot·ε, where ε² = 0. */
export interface Dual {
  val: number;
  dot: number;
}
export const dual = (val: number, dot = 0): Dual => ({ val, dot });
export const add = (a: Dual, b: Dual): Dual => dual(a.val + b.val, a.dot + b.dot);

/** (a.val + a.dot·ε)(b.val + b.dot·ε), with ε² = 0. */
export function mul(a: Dual, b: Dual): Dual {
  // TODO: expand the product and drop the ε² term
  return dual(a.val * b.val, a.dot * b.dot);
}

// f(x) = x³ + 2x, so f′(2) = 3·2² + 2 = 14.
const x = dual(2, 1);
const y = add(mul(mul(x, x), x), mul(dual(2), x));
console.log("f(2) =", y.val, "f′(2) =", y.dot);
`,
    solution: `/** A dual number val + dot·ε, where ε² = 0. */
export interface Dual {
  val: number;
  dot: number;
}
export const dual = (val: number, dot = 0): Dual => ({ val, dot });
export const add = (a: Dual, b: Dual): Dual => dual(a.val + b.val, a.dot + b.dot);

/** (a.val + a.dot·ε)(b.val + b.dot·ε), with ε² = 0. */
export function mul(a: Dual, b: Dual): Dual {
  return dual(a.val * b.val, a.val * b.dot + a.dot * b.val); // the product rule
}

// f(x) = x³ + 2x, so f′(2) = 3·2² + 2 = 14.
const x = dual(2, 1);
const y = add(mul(mul(x, x), x), mul(dual(2), x));
console.log("f(2) =", y.val, "f′(2) =", y.dot);
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
