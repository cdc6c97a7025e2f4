import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "tp-axis",
    prompt: {
      en: "8 GPUs in two nodes form a dp × pp × tp = 2 × 2 × 2 mesh. Which axis must stay inside a node?",
      zh: "两台节点共 8 块 GPU 组成 dp × pp × tp = 2 × 2 × 2 的 mesh。哪一个轴必须留在节点内部？",
    },
    choices: [
      { en: "tp (tensor parallel)", zh: "tp（张量并行）" },
      { en: "pp (pipeline parallel)", zh: "pp（流水线并行）" },
      { en: "dp (data parallel)", zh: "dp（数据并行）" },
    ],
    answer: 0,
    explanation: {
      en: "Tensor parallelism all-reduces activations in every layer, which needs NVLink; pipeline and data parallelism communicate far less often.",
      zh: "张量并行在每一层都要对激活做 allReduce，需要 NVLink；流水线并行和数据并行的通信频率低得多。",
    },
  },
  {
    kind: "implement",
    id: "megatron-rank-groups",
    prompt: {
      en: 'Write `groupsOf(axis, tp, dp, pp)`: the ranks of every group along `axis` ("tp", "dp" or "pp") when ranks are laid out in Megatron-LM\'s order, tensor-parallel fastest, then data-parallel, then pipeline: rank = t + tp·(d + dp·p). Groups come in order of their smallest rank, each sorted. With 8 GPUs per node and tp = 8, every tensor-parallel group is one node. The starter lays pipeline stages fastest. The check compares with closed-form cases and with the library\'s own mesh (`dist.deviceMesh`) on 2 × 2 × 2 and 4 × 2 × 2.',
      zh: '实现 `groupsOf(axis, tp, dp, pp)`：按 Megatron-LM 的顺序排列 rank（张量并行最快，其次数据并行，最后流水线）时，沿 `axis`（"tp"、"dp" 或 "pp"）的每个组包含哪些 rank：rank = t + tp·(d + dp·p)。各组按其最小 rank 排序，组内升序。每节点 8 块 GPU 且 tp = 8 时，每个张量并行组正好是一个节点。初始代码把流水线阶段排在最快的位置。检查会与闭式算例以及库自己的网格（`dist.deviceMesh`）在 2 × 2 × 2 和 4 × 2 × 2 上对比。',
    },
    starter: `/** Ranks of every group along axis, Megatron-LM order (tp fastest, then dp, then pp). */
export function groupsOf(axis: "tp" | "dp" | "pp", tp: number, dp: number, pp: number): number[][] {
  // TODO: this numbers the ranks with pipeline stages fastest: rank = p + pp·(d + dp·t)
  const rank = (t: number, d: number, p: number) => p + pp * (d + dp * t);
  const groups = new Map<string, number[]>();
  for (let t = 0; t < tp; t++)
    for (let d = 0; d < dp; d++)
      for (let p = 0; p < pp; p++) {
        const key = axis === "tp" ? d + "," + p : axis === "dp" ? t + "," + p : t + "," + d;
        groups.set(key, [...(groups.get(key) ?? []), rank(t, d, p)]);
      }
  return [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

console.log(JSON.stringify(groupsOf("tp", 2, 2, 2)));
`,
    solution: `/** Ranks of every group along axis, Megatron-LM order (tp fastest, then dp, then pp). */
export function groupsOf(axis: "tp" | "dp" | "pp", tp: number, dp: number, pp: number): number[][] {
  // Tensor-parallel neighbours are adjacent ranks, so they share a node's NVLink.
  const rank = (t: number, d: number, p: number) => t + tp * (d + dp * p);
  const groups = new Map<string, number[]>();
  for (let t = 0; t < tp; t++)
    for (let d = 0; d < dp; d++)
      for (let p = 0; p < pp; p++) {
        const key = axis === "tp" ? d + "," + p : axis === "dp" ? t + "," + p : t + "," + d;
        groups.set(key, [...(groups.get(key) ?? []), rank(t, d, p)]);
      }
  return [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

console.log(JSON.stringify(groupsOf("tp", 2, 2, 2)));
`,
    check: `export default async function check(learner, t, wg) {
  const f = t.fn("groupsOf");
  await t.case({ en: "tp = 2, dp = 2, pp = 2: tensor-parallel groups are neighbours", zh: "tp = 2、dp = 2、pp = 2：张量并行组是相邻的 rank" }, () => {
    t.equal(f("tp", 2, 2, 2), [[0, 1], [2, 3], [4, 5], [6, 7]]);
    t.equal(f("dp", 2, 2, 2), [[0, 2], [1, 3], [4, 6], [5, 7]]);
    t.equal(f("pp", 2, 2, 2), [[0, 4], [1, 5], [2, 6], [3, 7]]);
  });
  await t.case({ en: "tp = 8 on 8-GPU nodes: each tensor-parallel group is one node", zh: "每节点 8 块 GPU、tp = 8：每个张量并行组正好是一个节点" }, () => {
    const g = f("tp", 8, 4, 2);
    t.equal(g.length, 8);
    g.forEach((grp, i) => t.equal(grp, Array.from({ length: 8 }, (_, k) => 8 * i + k)));
  });
  for (const [tp, dp, pp] of [[2, 2, 2], [4, 2, 2]]) {
    const c = wg.dist.cluster({ nodes: pp * dp, devicesPerNode: tp });
    const mesh = wg.dist.deviceMesh(c.devices, { pp, dp, tp });
    for (const axis of ["tp", "dp", "pp"]) {
      await t.case({ en: "as dist.deviceMesh groups " + axis + " for " + tp + " × " + dp + " × " + pp, zh: "与 dist.deviceMesh 在 " + tp + " × " + dp + " × " + pp + " 上的 " + axis + " 组一致" }, () => {
        const lib = mesh.groups(axis).map((g) => g.map((d) => c.devices.indexOf(d)).sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
        t.equal(f(axis, tp, dp, pp), lib);
      });
    }
  }
}
`,
    hints: [
      {
        en: "Count like digits of a number whose last digit is t: t runs fastest (1), d next (tp), p slowest (tp·dp).",
        zh: "像数数字一样：t 是个位，变化最快（步长 1），d 其次（步长 tp），p 最慢（步长 tp·dp）。",
      },
      { en: "rank = t + tp·d + tp·dp·p.", zh: "rank = t + tp·d + tp·dp·p。" },
    ],
  },
]);
