import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "causal-mask",
    prompt: { en: "With causal self-attention, which positions may position 5 attend to?", zh: "使用因果自注意力时，位置 5 可以关注哪些位置？" },
    choices: [
      { en: "Positions 0 to 5: itself and earlier ones", zh: "位置 0 到 5：自己和之前的位置" },
      { en: "Every position of the window", zh: "窗口中的所有位置" },
      { en: "Only position 4", zh: "只有位置 4" },
    ],
    answer: 0,
    explanation: {
      en: "The model predicts the next character, so a position must not see later ones; the causal mask hides them before the softmax.",
      zh: "模型要预测下一个字符，所以一个位置不能看到之后的位置；因果掩码在 softmax 之前把它们屏蔽掉。",
    },
  },
  {
    kind: "implement",
    id: "causal-attention",
    prompt: {
      en: "Write one head of causal self-attention on plain arrays: `causalAttention(q, k, v)` with T × d matrices returns softmax(Q·Kᵀ/√d + M)·V, where the mask M is −∞ above the diagonal, so position i mixes only the values of positions j ≤ i. The check compares it with the same attention computed by webgrad's tensors.",
      zh: "在普通数组上实现一个 因果 自注意力头：`causalAttention(q, k, v)` 接收 T × d 的矩阵，返回 softmax(Q·Kᵀ/√d + M)·V，其中掩码 M 在对角线以上为 −∞，使位置 i 只混合位置 j ≤ i 的值。检查会与用 webgrad 张量计算的同一注意力对比。",
    },
    starter: `/** Causal self-attention of one head: q, k, v are T × d; row i of the result mixes the rows j ≤ i of v. */
export function causalAttention(q: number[][], k: number[][], v: number[][]): number[][] {
  const d = q[0]!.length;
  return q.map((qi) => {
    // TODO: position i must not see the positions after it
    const scores = k.map((kj) => qi.reduce((s, x, c) => s + x * kj[c]!, 0) / Math.sqrt(d));
    const top = Math.max(...scores);
    const e = scores.map((s) => Math.exp(s - top));
    const z = e.reduce((a, b) => a + b, 0);
    return v[0]!.map((_, c) => e.reduce((s, w, j) => s + (w / z) * v[j]![c]!, 0));
  });
}

const x = [[1, 0], [0, 1], [1, 1]];
console.log(causalAttention(x, x, [[1, 0], [0, 1], [2, 2]]));
`,
    solution: `/** Causal self-attention of one head: q, k, v are T × d; row i of the result mixes the rows j ≤ i of v. */
export function causalAttention(q: number[][], k: number[][], v: number[][]): number[][] {
  const d = q[0]!.length;
  return q.map((qi, i) => {
    // the mask: −∞ for j > i, so exp gives those positions a weight of exactly 0
    const scores = k.map((kj, j) => (j > i ? -Infinity : qi.reduce((s, x, c) => s + x * kj[c]!, 0) / Math.sqrt(d)));
    const top = Math.max(...scores);
    const e = scores.map((s) => Math.exp(s - top));
    const z = e.reduce((a, b) => a + b, 0);
    return v[0]!.map((_, c) => e.reduce((s, w, j) => s + (w / z) * v[j]![c]!, 0));
  });
}

const x = [[1, 0], [0, 1], [1, 1]];
console.log(causalAttention(x, x, [[1, 0], [0, 1], [2, 2]])); // row 0 is v's row 0: it sees only itself
`,
    check: `export default async function check(learner, t, wg) {
  const causalAttention = t.fn("causalAttention");
  for (const [T, d, seed] of [[3, 2, 1], [5, 4, 2], [8, 3, 3]]) {
    await t.case({ en: "T = " + T + ", d = " + d, zh: "T = " + T + "，d = " + d }, async () => {
      const [q, k, v] = [0, 1, 2].map((i) => wg.randn([T, d], { seed: 10 * seed + i }));
      const mask = wg.tensor(Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j > i ? -1e9 : 0))));
      const want = q.matmul(k.transpose()).div(Math.sqrt(d)).add(mask).softmax(-1).matmul(v);
      const got = causalAttention(await q.tolist(), await k.tolist(), await v.tolist());
      t.close(got.flat(), await want.data(), 1e-5);
    });
  }
}
`,
    hints: [
      {
        en: "Only one line changes: give the score of every j > i the value −Infinity. exp(−∞) = 0, so softmax gives those positions no weight and the rest still sum to 1.",
        zh: "只需改一行：把所有 j > i 的分数设为 −Infinity。exp(−∞) = 0，softmax 不给这些位置任何权重，其余权重之和仍为 1。",
      },
    ],
  },
]);
