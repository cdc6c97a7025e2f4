import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "block-params",
    prompt: {
      en: "About how many parameters does one Transformer block with d = 512 have (≈ 12d²)?",
      zh: "d = 512 的一个 Transformer 块大约有多少参数（≈ 12d²）？",
    },
    choices: [
      { en: "About 3.1 million", zh: "约 310 万" },
      { en: "About 262 thousand", zh: "约 26.2 万" },
      { en: "About 12 million", zh: "约 1200 万" },
    ],
    answer: 0,
    explanation: {
      en: "12 · 512² = 3 145 728: 4d² in attention's q, k, v and output projections, 8d² in the MLP (d → 4d → d).",
      zh: "12 · 512² = 3 145 728：注意力的 q、k、v 与输出投影共 4d²，MLP（d → 4d → d）共 8d²。",
    },
  },
  {
    kind: "predict",
    id: "moe-flops",
    prompt: {
      en: "The MLP is replaced by E = 8 experts and each token goes to one of them. What happens to the FLOPs per token?",
      zh: "把 MLP 换成 E = 8 个专家，每个 token 只去其中一个。每个 token 的计算量（FLOPs）会怎样？",
    },
    choices: [
      { en: "They stay about those of one MLP", zh: "基本保持一个 MLP 的计算量" },
      { en: "They grow 8-fold", zh: "增加到 8 倍" },
      { en: "They fall 8-fold", zh: "减少到 1/8" },
    ],
    answer: 0,
    explanation: {
      en: "Parameters grow E-fold but each token runs through one expert (plus a small gate), so compute per token stays put.",
      zh: "参数增加到 E 倍，但每个 token 只经过一个专家（外加一个很小的门控），所以每个 token 的计算量基本不变。",
    },
  },
  {
    kind: "implement",
    id: "expert-capacity",
    prompt: {
      en: "Top-1 routing with a capacity: each expert takes at most `capacity = ⌈factor · tokens / E⌉` tokens, in token order, and the rest are dropped. Write `route(experts, E, factor)`: the capacity, each token's slot (`expert · capacity + position`, or −1 when dropped) and the number dropped. The check compares with webgrad's `dist.expertCapacity` and its routing rule.",
      zh: "带容量的 top-1 路由：每个专家按 token 顺序最多接收 `capacity = ⌈factor · tokens / E⌉` 个 token，其余的被丢弃。实现 `route(experts, E, factor)`：返回容量、每个 token 的槽位（`expert · capacity + 位置`，被丢弃时为 −1）以及被丢弃的数量。检查会与 webgrad 的 `dist.expertCapacity` 及其路由规则对比。",
    },
    starter: `/**
 * Top-1 routing of n tokens to E experts with a capacity per expert: token t goes to expert
 * experts[t] in slot (expert · capacity + its position there), or is dropped (-1) once that expert is full.
 */
export function route(experts: number[], E: number, factor: number): { capacity: number; slot: number[]; dropped: number } {
  // TODO: the capacity factor gives every expert some slack above an even share
  const capacity = Math.floor(experts.length / E);
  const fill = new Array<number>(E).fill(0);
  const slot = experts.map((e) => e * capacity + fill[e]++); // TODO: a full expert takes no more tokens
  return { capacity, slot, dropped: 0 };
}

console.log(route([0, 0, 0, 1, 0, 2, 1, 0], 4, 1.25));
`,
    solution: `/**
 * Top-1 routing of n tokens to E experts with a capacity per expert: token t goes to expert
 * experts[t] in slot (expert · capacity + its position there), or is dropped (-1) once that expert is full.
 */
export function route(experts: number[], E: number, factor: number): { capacity: number; slot: number[]; dropped: number } {
  const capacity = Math.ceil((factor * experts.length) / E);
  const fill = new Array<number>(E).fill(0);
  let dropped = 0;
  const slot = experts.map((e) => {
    if (fill[e] < capacity) return e * capacity + fill[e]++;
    dropped++;
    return -1;
  });
  return { capacity, slot, dropped };
}

console.log(route([0, 0, 0, 1, 0, 2, 1, 0], 4, 1.25));
`,
    check: `export default async function check(learner, t, wg) {
  const reference = (experts, E, factor) => {
    const capacity = wg.dist.expertCapacity(experts.length, E, factor);
    const fill = new Array(E).fill(0);
    let dropped = 0;
    const slot = experts.map((e) => (fill[e] < capacity ? e * capacity + fill[e]++ : (dropped++, -1)));
    return { capacity, slot, dropped };
  };
  const groups = [
    [[0, 0, 0, 1, 0, 2, 1, 0], 4, 1.25],
    [[1, 1, 1, 1, 1, 1], 3, 1],
    [[0, 1, 2, 3, 0, 1, 2, 3], 4, 1],
    [[2, 2, 0, 2, 1, 2, 2, 0, 2, 1], 3, 1.5],
  ];
  for (const [experts, E, factor] of groups) {
    await t.case({ en: "E = " + E + ", factor " + factor + ": [" + experts.join(", ") + "]", zh: "E = " + E + "，系数 " + factor + "：[" + experts.join(", ") + "]" }, () => {
      const r = t.fn("route")(experts, E, factor);
      const want = reference(experts, E, factor);
      t.equal({ capacity: r && r.capacity, slot: r && Array.from(r.slot), dropped: r && r.dropped }, want);
    });
  }
}
`,
    hints: [
      {
        en: "capacity = Math.ceil(factor · n / E): the factor leaves room for an uneven gate.",
        zh: "capacity = Math.ceil(factor · n / E)：系数为不均匀的门控留出余量。",
      },
      {
        en: "Keep a fill count per expert; a token whose expert already holds `capacity` tokens gets −1 and counts as dropped.",
        zh: "为每个专家维护已填充的数量；如果某个 token 的专家已满 `capacity` 个，该 token 的槽位为 −1，并计入丢弃数。",
      },
    ],
  },
]);
