import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "relu-boundary",
    prompt: { en: "What is the decision boundary of a ReLU MLP made of?", zh: "ReLU MLP 的决策边界由什么构成？" },
    choices: [
      { en: "Straight pieces", zh: "一段段直线" },
      { en: "Smooth circles", zh: "光滑的圆" },
      { en: "One straight line", zh: "一条直线" },
    ],
    answer: 0,
    explanation: {
      en: "Each ReLU is linear on either side of a line, so the network is piecewise linear and its boundary is a polyline that can wind into spirals.",
      zh: "每个 ReLU 在一条直线的两侧分别是线性的，所以整个网络是分段线性的，边界是一条可以绕成螺旋的折线。",
    },
  },
  {
    kind: "implement",
    id: "adam-step",
    prompt: {
      en: "Write Adam's update for one weight: `adamStep(w, g, m, v, t, lr)` returns the new `{ w, m, v }` after step `t` (counting from 1) with gradient `g`, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸: the running averages, their bias corrections m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ), and w ← w − lr·m̂ / (√v̂ + ε). The check runs three steps beside webgrad's `optim.adam`.",
      zh: "写出 Adam 对一个权重的更新：`adamStep(w, g, m, v, t, lr)` 在第 `t` 步（从 1 开始计数）、梯度为 `g` 时返回新的 `{ w, m, v }`，其中 β₁ = 0.9、β₂ = 0.999、ε = 10⁻⁸：先更新两个滑动平均，再做偏差修正 m̂ = m / (1 − β₁ᵗ)、v̂ = v / (1 − β₂ᵗ)，最后 w ← w − lr·m̂ / (√v̂ + ε)。检查会与 webgrad 的 `optim.adam` 并排走三步。",
    },
    starter: `/** One Adam step for one weight: t counts from 1; m and v start at 0. */
export function adamStep(w: number, g: number, m: number, v: number, t: number, lr: number) {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  m = b1 * m + (1 - b1) * g;
  v = b2 * v + (1 - b2) * g * g;
  // TODO: correct m and v for their start at 0 (they are too small in the first steps)
  w = w - (lr * m) / (Math.sqrt(v) + eps);
  return { w, m, v };
}

let s = { w: 1, m: 0, v: 0 };
for (let t = 1; t <= 3; t++) s = adamStep(s.w, 0.5, s.m, s.v, t, 0.1);
console.log("w after three steps:", s.w);
`,
    solution: `/** One Adam step for one weight: t counts from 1; m and v start at 0. */
export function adamStep(w: number, g: number, m: number, v: number, t: number, lr: number) {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  m = b1 * m + (1 - b1) * g;
  v = b2 * v + (1 - b2) * g * g;
  const mHat = m / (1 - b1 ** t); // the averages start at 0: divide out the weight the start still has
  const vHat = v / (1 - b2 ** t);
  w = w - (lr * mHat) / (Math.sqrt(vHat) + eps);
  return { w, m, v };
}

let s = { w: 1, m: 0, v: 0 };
for (let t = 1; t <= 3; t++) s = adamStep(s.w, 0.5, s.m, s.v, t, 0.1);
console.log("w after three steps:", s.w); // 0.7: a step of about lr whatever the gradient's scale
`,
    check: `export default async function check(learner, t, wg) {
  const adamStep = t.fn("adamStep");
  const grads = [
    [0.5, -2, 1e-3],
    [0.4, -1, 2e-3],
    [-0.3, 3, 1e-3],
  ]; // three steps of three weights, of very different scales
  const lr = 0.05;
  const p = wg.tensor([1, -0.5, 2], { requiresGrad: true });
  const opt = wg.optim.adam([p], { lr });
  const mine = [1, -0.5, 2].map((w) => ({ w, m: 0, v: 0 }));
  for (let step = 1; step <= 3; step++) {
    const g = grads[step - 1];
    opt.zeroGrad();
    p.mul(wg.tensor(g)).sum().backward(); // the gradient of Σ p·g is g
    opt.step();
    const want = await p.data();
    await t.case({ en: "step " + step, zh: "第 " + step + " 步" }, () => {
      for (let i = 0; i < 3; i++) {
        const s = adamStep(mine[i].w, g[i], mine[i].m, mine[i].v, step, lr);
        mine[i] = { w: Number(s.w), m: Number(s.m), v: Number(s.v) };
      }
      t.close(mine.map((s) => s.w), want, 1e-5);
    });
  }
}
`,
    hints: [
      {
        en: "m and v start at 0, so after the first step m = 0.1·g: far too small. Dividing by 1 − β₁ᵗ (0.1 at t = 1) gives back g.",
        zh: "m 和 v 从 0 开始，所以第一步后 m = 0.1·g，远远偏小。除以 1 − β₁ᵗ（t = 1 时为 0.1）就还原成 g。",
      },
      {
        en: "Keep m and v themselves uncorrected for the next step: only the update uses m̂ and v̂.",
        zh: "传给下一步的 m 和 v 本身不做修正：只有这一步的更新用 m̂ 和 v̂。",
      },
    ],
  },
]);
