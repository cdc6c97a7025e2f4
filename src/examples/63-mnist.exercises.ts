import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "input-size",
    prompt: { en: "How many numbers does one 28×28 MNIST image become at the MLP's input?", zh: "一张 28×28 的 MNIST 图像在 MLP 的输入端变成多少个数？" },
    answer: 784,
    tolerance: 0,
    explanation: {
      en: "28 · 28 = 784 grey levels in one vector: the MLP sees no 2-D structure, only which pixels are dark.",
      zh: "28 · 28 = 784 个灰度值组成一个向量：MLP 看不到二维结构，只知道哪些像素是暗的。",
    },
  },
  {
    kind: "implement",
    id: "epoch-batches",
    prompt: {
      en: "An epoch visits every training image once, in a new random order. Write `epochBatches(n, batchSize, rng)`: shuffle the indices 0 … n−1 with `rng()` (uniform in [0, 1)) and cut them into batches of `batchSize` (the last may be smaller). The check asks that every index appears exactly once, the batch sizes are right, and the order is shuffled.",
      zh: "一个 epoch 按新的随机顺序把每张训练图片恰好过一遍。实现 `epochBatches(n, batchSize, rng)`：用 `rng()`（[0, 1) 上的均匀分布）打乱下标 0 … n−1，再切成大小为 `batchSize` 的批次（最后一批可以更小）。检查要求每个下标恰好出现一次、批次大小正确、顺序被打乱。",
    },
    starter: `/** The batches of one epoch: every index of 0 … n−1 once, shuffled, cut into batches of batchSize. */
export function epochBatches(n: number, batchSize: number, rng: () => number): number[][] {
  const batches: number[][] = [];
  for (let start = 0; start < n; start += batchSize) {
    // TODO: draw without replacement — this picks random images, some twice and some never
    const size = Math.min(batchSize, n - start);
    batches.push(Array.from({ length: size }, () => Math.floor(rng() * n)));
  }
  return batches;
}

console.log(epochBatches(10, 4, Math.random));
`,
    solution: `/** The batches of one epoch: every index of 0 … n−1 once, shuffled, cut into batches of batchSize. */
export function epochBatches(n: number, batchSize: number, rng: () => number): number[][] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1)); // Fisher–Yates: every order equally likely
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const batches: number[][] = [];
  for (let start = 0; start < n; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}

console.log(epochBatches(10, 4, Math.random));
`,
    check: `export default async function check(learner, t, wg) {
  const epochBatches = t.fn("epochBatches");
  for (const [n, size] of [[6000, 100], [1000, 64], [10, 4]]) {
    await t.case({ en: n + " images, batches of " + size, zh: n + " 张图片，每批 " + size + " 张" }, () => {
      const rng = new wg.data.Rng(n);
      const batches = epochBatches(n, size, () => rng.uniform());
      const want = Array.from({ length: Math.ceil(n / size) }, (_, b) => Math.min(size, n - b * size));
      t.equal(batches.map((b) => b.length), want);
      const seen = batches.flat();
      const counts = new Map();
      for (const i of seen) counts.set(i, (counts.get(i) ?? 0) + 1);
      const missing = Array.from({ length: n }, (_, i) => i).filter((i) => counts.get(i) !== 1);
      if (missing.length > 0) t.fail("every index exactly once", missing.length + " indices missing or repeated, e.g. " + missing[0]);
      if (seen.every((i, k) => i === k)) t.fail("a shuffled order", "0, 1, 2, … in order");
    });
  }
}
`,
    hints: [
      {
        en: "Start from the list 0 … n−1 and shuffle it (Fisher–Yates: for i from the end, swap element i with a random j ≤ i), then slice it into batches.",
        zh: "从列表 0 … n−1 出发把它打乱（Fisher–Yates：i 从末尾往前，把第 i 个元素与随机的 j ≤ i 交换），再切成批次。",
      },
    ],
  },
]);
