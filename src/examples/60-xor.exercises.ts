import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "linear-xor",
    prompt: {
      en: "Can a model with no hidden layer (logistic regression) classify all four XOR points correctly?",
      zh: "没有隐藏层的模型（逻辑回归）能把 XOR 的四个点全部分类正确吗？",
    },
    choices: [
      { en: "No: no straight line separates the classes", zh: "不能：没有一条直线能分开两类" },
      { en: "Yes, with enough steps", zh: "能，只要训练足够多步" },
      { en: "Yes, with a larger learning rate", zh: "能，只要学习率更大" },
    ],
    answer: 0,
    explanation: {
      en: "Its decision boundary is a line, and XOR's classes sit in opposite corners. A hidden layer bends the space until a line does separate them.",
      zh: "它的决策边界是一条直线，而 XOR 的两类位于相对的角上。隐藏层把空间弯折，直到一条直线能把它们分开。",
    },
  },
  {
    kind: "implement",
    id: "hidden-layer-weights",
    prompt: {
      en: "Solve XOR with a hidden layer whose weights you choose by hand. The check builds the network z = W2·tanh(W1·x + b1) + b2 from your exported `W1`, `b1`, `W2`, `b2` and asks for z > 0 exactly where x1·x2 < 0 (the signs differ), on noisy points near the four corners (±1, ±1). The starter has one hidden unit: its boundary is a single line, so it must get a corner wrong.",
      zh: "用一个隐藏层解决 XOR，权重由你手工选定。检查会用你导出的 `W1`、`b1`、`W2`、`b2` 搭出网络 z = W2·tanh(W1·x + b1) + b2，要求在四个角 (±1, ±1) 附近的带噪声点上，恰好在 x1·x2 < 0（两个符号不同）处有 z > 0。初始代码只有一个隐藏单元：它的边界只是一条直线，必然会分错一个角。",
    },
    starter: `// One tanh unit per row of W1 (its weights on x1, x2), one bias per unit, one output weight per unit.
export const W1 = [[1, 1]];
export const b1 = [0];
export const W2 = [1];
export const b2 = 0;
// TODO: use two units, each a soft step across a line x1 + x2 = c, and combine the two steps.

const z = (x1: number, x2: number) => W2.reduce((s, w, j) => s + w * Math.tanh(W1[j]![0]! * x1 + W1[j]![1]! * x2 + b1[j]!), b2);
console.log("z at the corners:", [z(-1, -1), z(-1, 1), z(1, -1), z(1, 1)].map((v) => v.toFixed(2)).join(", "));
`,
    solution: `// One tanh unit per row of W1 (its weights on x1, x2), one bias per unit, one output weight per unit.
// Unit 1 is +1 unless both inputs are −1 (a step across x1 + x2 = −1), unit 2 is +1 only when both are +1
// (a step across x1 + x2 = 1): their difference is +2 between the lines (the signs differ), 0 outside.
export const W1 = [
  [2, 2],
  [2, 2],
];
export const b1 = [2, -2];
export const W2 = [1, -1];
export const b2 = -1;

const z = (x1: number, x2: number) => W2.reduce((s, w, j) => s + w * Math.tanh(W1[j]![0]! * x1 + W1[j]![1]! * x2 + b1[j]!), b2);
console.log("z at the corners:", [z(-1, -1), z(-1, 1), z(1, -1), z(1, 1)].map((v) => v.toFixed(2)).join(", "));
`,
    check: `export default async function check(learner, t) {
  const { W1, b1, W2, b2 } = learner;
  await t.case({ en: "shapes: W1 is units × 2, b1 and W2 one per unit", zh: "形状：W1 为 单元数 × 2，b1 和 W2 每个单元一个" }, () => {
    if (!Array.isArray(W1) || !W1.every((r) => Array.isArray(r) && r.length === 2)) t.fail("W1 = [[w11, w12], …]", JSON.stringify(W1));
    t.equal([b1.length, W2.length, typeof b2], [W1.length, W1.length, "number"]);
  });
  const z = (x1, x2) => W2.reduce((s, w, j) => s + w * Math.tanh(W1[j][0] * x1 + W1[j][1] * x2 + b1[j]), b2);
  // Points near each corner, up to 0.3 away in each coordinate (a fixed grid: the same check every time).
  const offsets = [-0.3, 0, 0.3];
  for (const [cx, cy] of [[-1, -1], [-1, 1], [1, -1], [1, 1]]) {
    await t.case({ en: "corner (" + cx + ", " + cy + ")", zh: "角 (" + cx + ", " + cy + ")" }, () => {
      const wrong = [];
      for (const dx of offsets) for (const dy of offsets) {
        const [x1, x2] = [cx + dx, cy + dy];
        if (z(x1, x2) > 0 !== x1 * x2 < 0) wrong.push("(" + x1.toFixed(1) + ", " + x2.toFixed(1) + ")");
      }
      if (wrong.length > 0) t.fail("z > 0 exactly where x1·x2 < 0", "wrong at " + wrong.join(" "));
    });
  }
}
`,
    hints: [
      {
        en: "On the corners x1 + x2 is −2, 0 or +2, and XOR is the middle value. A tanh unit with a large weight is a step: tanh(2(x1 + x2) + 2) is +1 unless x1 + x2 < −1.",
        zh: "在四个角上 x1 + x2 取 −2、0 或 +2，XOR 恰好是中间那个值。权重较大的 tanh 单元就是一个台阶：tanh(2(x1 + x2) + 2) 只有在 x1 + x2 < −1 时才不是 +1。",
      },
      {
        en: "Take one step across x1 + x2 = −1 and one across x1 + x2 = +1, subtract the second from the first (W2 = [1, −1]): 2 between the lines, 0 outside; b2 = −1 centres it.",
        zh: "一个台阶跨过 x1 + x2 = −1，另一个跨过 x1 + x2 = +1，用第一个减去第二个（W2 = [1, −1]）：两条线之间为 2，外面为 0；b2 = −1 让它以 0 为界。",
      },
    ],
  },
]);
