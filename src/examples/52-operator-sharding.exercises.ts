import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "split-to-replicated",
    prompt: {
      en: "An operator needs a tensor replicated that is now split along a mesh axis. Which collective does the redistribution insert?",
      zh: "某算子需要一个张量是复制（replicated）的，而它现在沿某个 mesh 轴切分。重分布会插入哪个集合通信？",
    },
    choices: [
      { en: "allGather", zh: "allGather" },
      { en: "allReduce", zh: "allReduce" },
      { en: "allToAll", zh: "allToAll" },
    ],
    answer: 0,
    explanation: {
      en: "Every device gathers the other parts: allGather. allReduce resolves a pending partial sum, allToAll moves a split to another dimension.",
      zh: "每个设备收集其他部分，即 allGather。allReduce 用于待求和的部分和，allToAll 用于把切分移到另一个维度。",
    },
  },
  {
    kind: "implement",
    id: "cheapest-chain",
    prompt: {
      en: "Write `cheapestChain(own, trans)`, the strategy search's dynamic program. Op `i` in sharding `s` costs `own[i][s]`; going from op `i − 1` in sharding `p` to op `i` in sharding `s` costs `trans[i][p][s]` (redistribution; `trans[0]` is unused). Return `{ cost, choice }`: the cheapest total and one sharding index per op. The starter picks each op's cheapest own cost and ignores the redistributions. The check compares with brute force on random chains and on the lesson's MLP priced by `dist.costShardings`.",
      zh: "实现 `cheapestChain(own, trans)`，即策略搜索中的动态规划。算子 `i` 采用切分 `s` 的代价是 `own[i][s]`；从采用切分 `p` 的算子 `i − 1` 到采用切分 `s` 的算子 `i` 的代价是 `trans[i][p][s]`（重排布；`trans[0]` 不用）。返回 `{ cost, choice }`：最小总代价，以及每个算子的切分下标。初始代码为每个算子挑自身代价最小的切分，忽略了重排布。检查会在随机的链上与暴力搜索对比，并用 `dist.costShardings` 为课程中的 MLP 计价后对比。",
    },
    starter: `/** The cheapest sharding of each op of a chain: own[i][s] per op, trans[i][p][s] between op i − 1 in p and op i in s. */
export function cheapestChain(own: number[][], trans: number[][][]): { cost: number; choice: number[] } {
  // TODO: greedy, op by op: blind to what each choice costs the next op
  const choice = own.map((row) => row.indexOf(Math.min(...row)));
  let cost = 0;
  choice.forEach((s, i) => (cost += own[i][s] + (i > 0 ? trans[i][choice[i - 1]][s] : 0)));
  return { cost, choice };
}

console.log(cheapestChain([[1, 2], [1, 2]], [[], [[0, 9], [9, 0]]]));
`,
    solution: `/** The cheapest sharding of each op of a chain: own[i][s] per op, trans[i][p][s] between op i − 1 in p and op i in s. */
export function cheapestChain(own: number[][], trans: number[][][]): { cost: number; choice: number[] } {
  // best[s]: the cheapest chain up to the current op that ends in s; from[i][s]: its previous sharding.
  let best = own[0].slice();
  const from: number[][] = [[]];
  for (let i = 1; i < own.length; i++) {
    const next: number[] = [],
      back: number[] = [];
    own[i].forEach((c, s) => {
      let min = Infinity,
        arg = 0;
      best.forEach((b, p) => {
        if (b + trans[i][p][s] < min) [min, arg] = [b + trans[i][p][s], p];
      });
      next.push(min + c);
      back.push(arg);
    });
    best = next;
    from.push(back);
  }
  const cost = Math.min(...best);
  const choice = [best.indexOf(cost)];
  for (let i = own.length - 1; i > 0; i--) choice.unshift(from[i][choice[0]]);
  return { cost, choice };
}

console.log(cheapestChain([[1, 2], [1, 2]], [[], [[0, 9], [9, 0]]]));
`,
    check: `export default async function check(learner, t, wg) {
  const solve = t.fn("cheapestChain");
  const total = (own, trans, choice) => choice.reduce((a, s, i) => a + own[i][s] + (i > 0 ? trans[i][choice[i - 1]][s] : 0), 0);
  const brute = (own, trans) => {
    let best = Infinity;
    const walk = (i, choice) => {
      if (i === own.length) return void (best = Math.min(best, total(own, trans, choice)));
      for (let s = 0; s < own[i].length; s++) walk(i + 1, [...choice, s]);
    };
    walk(0, []);
    return best;
  };
  let seed = 5;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let trial = 0; trial < 6; trial++) {
    const n = 2 + trial, k = 4;
    const own = Array.from({ length: n }, () => Array.from({ length: k }, () => Math.round(rand() * 10)));
    const trans = Array.from({ length: n }, () => Array.from({ length: k }, () => Array.from({ length: k }, () => Math.round(rand() * 10))));
    await t.case({ en: "a random chain of " + n + " ops: brute force's cost", zh: n + " 个算子的随机链：与暴力搜索的代价一致" }, () => {
      const r = solve(own, trans);
      t.close(r.cost, brute(own, trans), 1e-9);
      t.close(total(own, trans, r.choice), r.cost, 1e-9);
    });
  }
  // The lesson's MLP at 4096 tokens, priced by the library: own costs and edge costs from dist.costShardings.
  const ops = [{ name: "fc1", rows: 4096, inner: 4096, cols: 16384 }, { name: "fc2", rows: 4096, inner: 16384, cols: 4096 }];
  const m = { devices: 4, peakFlops: 312e12, bandwidth: 300e9, latency: 2e-6 };
  const S = wg.dist.OP_SHARDINGS;
  const plans = S.map((p) => S.map((s) => wg.dist.costShardings(ops, [p, s], m)));
  const step = (pl, i) => pl.steps[i].compute + pl.steps[i].weightSync + pl.steps[i].forward.seconds + pl.steps[i].backward.seconds;
  const own = [S.map((_, p) => step(plans[p][0], 0)), S.map((_, s) => 0)];
  const trans = [[], S.map((_, p) => S.map((_, s) => step(plans[p][s], 1) + plans[p][s].final.forward.seconds + plans[p][s].final.backward.seconds))];
  await t.case({ en: "the lesson's MLP: column → row, as dist.searchShardings chooses", zh: "课程中的 MLP：column → row，与 dist.searchShardings 的选择一致" }, () => {
    const r = solve(own, trans);
    t.equal(r.choice.map((i) => S[i]), wg.dist.searchShardings(ops, m).best.shardings);
  });
}
`,
    hints: [
      {
        en: "Keep an array best[s]: the cheapest cost of a chain up to the current op ending in sharding s. For the next op, best'[s] = own[i][s] + min over p of (best[p] + trans[i][p][s]).",
        zh: "维护数组 best[s]：到当前算子为止、以切分 s 结尾的链的最小代价。下一个算子：best'[s] = own[i][s] + min_p (best[p] + trans[i][p][s])。",
      },
      {
        en: "Remember which p gave each minimum (from[i][s]); after the last op take the smallest best[s] and walk from[] backwards to the first op.",
        zh: "记下每个最小值来自哪个 p（from[i][s]）；处理完最后一个算子后取最小的 best[s]，再沿 from[] 倒着走回第一个算子。",
      },
    ],
  },
]);
