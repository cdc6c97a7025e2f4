import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "allreduce-result",
    prompt: {
      en: "Rank r of 4 holds [10r, 10r + 1, 10r + 2, 10r + 3]. What does every rank hold after allReduce (sum)?",
      zh: "4 个 rank 中，rank r 持有 [10r, 10r + 1, 10r + 2, 10r + 3]。allReduce（求和）后每个 rank 持有什么？",
    },
    choices: [
      { en: "[60, 64, 68, 72]", zh: "[60, 64, 68, 72]" },
      { en: "[0, 1, 2, 3, 10, 11, …, 33] (the concatenation)", zh: "[0, 1, 2, 3, 10, 11, …, 33]（拼接）" },
      { en: "[15, 16, 17, 18] (the mean)", zh: "[15, 16, 17, 18]（平均）" },
    ],
    answer: 0,
    explanation: {
      en: "allReduce sums elementwise and gives every rank the result: 0 + 10 + 20 + 30 = 60, then + 4 per element. The concatenation is allGather.",
      zh: "allReduce 逐元素求和，并把结果给每个 rank：0 + 10 + 20 + 30 = 60，之后每个元素多 4。拼接是 allGather。",
    },
  },
  {
    kind: "implement",
    id: "all-to-all",
    prompt: {
      en: "Write `allToAll(inputs)` on plain arrays: `inputs[i]` is rank i's buffer, p equal parts; part j of rank i goes to rank j, and rank j's output stacks the parts it receives in rank order. The check compares with `dist.allToAll` on simulated devices.",
      zh: "在普通数组上实现 `allToAll(inputs)`：`inputs[i]` 是 rank i 的缓冲区，分成 p 等份；rank i 的第 j 份发给 rank j，rank j 的输出按 rank 顺序把收到的各份拼起来。检查会与模拟设备上的 `dist.allToAll` 比较。",
    },
    starter: `/** allToAll on plain arrays: p ranks, each buffer of p equal parts. */
export function allToAll(inputs: number[][]): number[][] {
  // TODO: every rank keeps its own buffer (nothing is exchanged)
  return inputs.map((b) => [...b]);
}

console.log(JSON.stringify(allToAll([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]])));
`,
    solution: `/** allToAll on plain arrays: p ranks, each buffer of p equal parts. */
export function allToAll(inputs: number[][]): number[][] {
  const p = inputs.length;
  const m = inputs[0].length / p;
  // Rank j receives part j of every rank i, in rank order: a transpose of the parts.
  return Array.from({ length: p }, (_, j) => inputs.flatMap((b) => b.slice(j * m, (j + 1) * m)));
}

console.log(JSON.stringify(allToAll([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]])));
`,
    check: `export default async function check(learner, t, wg) {
  const { dist, tensor } = wg;
  for (const [p, m] of [[4, 1], [3, 2], [5, 3]]) {
    await t.case({ en: p + " ranks, parts of " + m, zh: p + " 个 rank，每份 " + m + " 个元素" }, () => {
      const c = dist.cluster({ devicesPerNode: p });
      const inputs = Array.from({ length: p }, (_, r) => Array.from({ length: p * m }, (_, i) => 100 * r + i));
      const r = dist.allToAll(inputs.map((b, i) => dist.place(tensor(b), c.devices[i])), { emit: false });
      t.equal(t.fn("allToAll")(inputs), r.outputs.map((o) => Array.from(o.tensor.dataSync())));
    });
  }
}
`,
    hints: [
      {
        en: "With m = length / p elements per part, part j of rank i is inputs[i].slice(j·m, (j + 1)·m).",
        zh: "每份 m = length / p 个元素，rank i 的第 j 份是 inputs[i].slice(j·m, (j + 1)·m)。",
      },
      {
        en: "Output j = concatenation over i = 0 … p − 1 of part j of rank i (a transpose of the parts).",
        zh: "输出 j = 对 i = 0 … p − 1 依次拼接 rank i 的第 j 份（即各份的转置）。",
      },
    ],
  },
]);
