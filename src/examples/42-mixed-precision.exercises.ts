import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "fp16-add",
    prompt: { en: "In float16, what is 2048 + 1? (a number)", zh: "在 float16 中，2048 + 1 等于多少？（填一个数）" },
    answer: 2048,
    tolerance: 0,
    explanation: {
      en: "float16 keeps 11 significant bits, so above 2048 only even integers exist; 2049 rounds (to even) back to 2048. This is why small updates to a weight vanish, and why master weights stay float32.",
      zh: "float16 只有 11 位有效数字，2048 以上只能表示偶数；2049 会（向偶数）舍入回 2048。这就是权重的小更新会消失、主权重要保留 float32 的原因。",
    },
  },
  {
    kind: "implement",
    id: "dynamic-loss-scale",
    prompt: {
      en: "Write `nextScale(scale, overflow, goodSteps, window)`, one step of **dynamic loss scaling** (as PyTorch's GradScaler and Megatron do): when the scaled gradients overflowed float16 (an inf or NaN), the step is skipped and the scale halves; after `window` steps in a row without overflow the scale doubles. Return `{ scale, goodSteps, skip }`. The starter halves on overflow but never grows again. The check also uses the library: a gradient of 3e-8 scaled by the scale you reach must survive `half()`.",
      zh: "实现 `nextScale(scale, overflow, goodSteps, window)`，即**动态损失缩放**的一步（与 PyTorch 的 GradScaler 和 Megatron 相同）：缩放后的梯度在 float16 中溢出（出现 inf 或 NaN）时，跳过这一步并把缩放因子减半；连续 `window` 步没有溢出后，缩放因子加倍。返回 `{ scale, goodSteps, skip }`。初始代码在溢出时减半，但之后再也不增大。检查还会用到库：乘以你得到的缩放因子后，3e-8 的梯度在 `half()` 之后必须不为零。",
    },
    starter: `/** One step of dynamic loss scaling: halve on overflow (skip the step), double after window good steps. */
export function nextScale(scale: number, overflow: boolean, goodSteps: number, window: number): { scale: number; goodSteps: number; skip: boolean } {
  // TODO: the scale only ever shrinks
  if (overflow) return { scale: scale / 2, goodSteps: 0, skip: true };
  return { scale, goodSteps: goodSteps + 1, skip: false };
}
`,
    solution: `/** One step of dynamic loss scaling: halve on overflow (skip the step), double after window good steps. */
export function nextScale(scale: number, overflow: boolean, goodSteps: number, window: number): { scale: number; goodSteps: number; skip: boolean } {
  // An overflowed gradient is useless: skip the update and try a smaller scale.
  if (overflow) return { scale: scale / 2, goodSteps: 0, skip: true };
  // A long run without overflow: the scale may be too small for tiny gradients, try twice as large.
  if (goodSteps + 1 >= window) return { scale: scale * 2, goodSteps: 0, skip: false };
  return { scale, goodSteps: goodSteps + 1, skip: false };
}
`,
    check: `export default async function check(learner, t, wg) {
  const f = t.fn("nextScale");
  await t.case({ en: "overflow: halve and skip", zh: "溢出：减半并跳过" }, () => {
    t.equal(f(65536, true, 7, 2000), { scale: 32768, goodSteps: 0, skip: true });
  });
  await t.case({ en: "a good step counts", zh: "正常的一步计数加一" }, () => {
    t.equal(f(1024, false, 5, 2000), { scale: 1024, goodSteps: 6, skip: false });
  });
  await t.case({ en: "window good steps: double", zh: "连续 window 步正常：加倍" }, () => {
    t.equal(f(1024, false, 1999, 2000), { scale: 2048, goodSteps: 0, skip: false });
  });
  await t.case({ en: "from scale 1, 3 windows of good steps make it 8, and 3e-8 · 8 ≠ 0 in float16", zh: "从 1 开始，3 个窗口的正常步骤后变为 8，且 3e-8 · 8 在 float16 中不为 0" }, () => {
    let s = { scale: 1, goodSteps: 0, skip: false };
    for (let i = 0; i < 30; i++) s = f(s.scale, false, s.goodSteps, 10);
    t.equal(s.scale, 8);
    const g = wg.tensor([3e-8]).mul(s.scale).half().dataSync()[0];
    if (!(g > 0)) t.fail("a positive float16", String(g));
  });
}
`,
    hints: [
      { en: "Three cases: overflow; a good step that completes the window; any other good step.", zh: "三种情况：溢出；凑满窗口的正常一步；其他正常的一步。" },
      {
        en: "Completing the window: goodSteps + 1 reaches window, so double the scale and start counting from 0.",
        zh: "凑满窗口：goodSteps + 1 达到 window 时，把缩放因子加倍，并从 0 重新计数。",
      },
    ],
  },
]);
