import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "implement",
    id: "one-f-one-b-order",
    prompt: {
      en: 'Write the 1F1B (PipeDream-flush) order of device `d` in a pipeline of `p` stages and `m` microbatches: a few warm-up forwards, then one forward and one backward in turn, then the remaining backwards. Return it as strings: `"F0"` is microbatch 0\'s forward, `"B0"` its backward. The check compares with webgrad\'s `dist.PIPELINE_SCHEDULES["1f1b"]` and counts the microbatches in flight.',
      zh: '写出 1F1B（PipeDream-flush）调度中设备 `d` 的执行顺序：流水线共 `p` 个阶段、`m` 个微批次。先做若干个预热前向，然后前向、反向交替，最后做完剩下的反向。以字符串返回：`"F0"` 表示微批次 0 的前向，`"B0"` 表示它的反向。检查会与 webgrad 的 `dist.PIPELINE_SCHEDULES["1f1b"]` 对比，并统计同时在途的微批次数。',
    },
    starter: `/** Device d's 1F1B order for p stages and m microbatches, e.g. ["F0", "F1", "B0", …]. */
export function oneFOneB(d: number, p: number, m: number): string[] {
  // TODO: this is GPipe's order (all forwards, then all backwards): every activation stays in memory
  const order: string[] = [];
  for (let j = 0; j < m; j++) order.push("F" + j);
  for (let j = 0; j < m; j++) order.push("B" + j);
  return order;
}

for (let d = 0; d < 4; d++) console.log("device " + d + ": " + oneFOneB(d, 4, 6).join(" "));
`,
    solution: `/** Device d's 1F1B order for p stages and m microbatches, e.g. ["F0", "F1", "B0", …]. */
export function oneFOneB(d: number, p: number, m: number): string[] {
  // Stage d must start p − d − 1 forwards before the first backward comes back from the last stage.
  const warmup = Math.min(p - d - 1, m);
  const order: string[] = [];
  for (let j = 0; j < warmup; j++) order.push("F" + j);
  for (let j = 0; j < m - warmup; j++) order.push("F" + (warmup + j), "B" + j);
  for (let j = m - warmup; j < m; j++) order.push("B" + j);
  return order;
}

for (let d = 0; d < 4; d++) console.log("device " + d + ": " + oneFOneB(d, 4, 6).join(" "));
`,
    check: `export default async function check(learner, t, wg) {
  const reference = (d, p, m) => wg.dist.PIPELINE_SCHEDULES["1f1b"](d, p, m, 1).map((o) => o.type + o.micro);
  for (const [d, p, m] of [[0, 4, 8], [3, 4, 8], [1, 4, 6], [2, 4, 3], [0, 2, 5]]) {
    await t.case({ en: "device " + d + " of p = " + p + ", m = " + m, zh: "p = " + p + "、m = " + m + " 时的设备 " + d }, () => {
      t.equal(t.fn("oneFOneB")(d, p, m), reference(d, p, m));
    });
  }
  await t.case({ en: "at most p − d microbatches in flight (p = 4, m = 8)", zh: "在途微批次不超过 p − d 个（p = 4、m = 8）" }, () => {
    for (let d = 0; d < 4; d++) {
      let inFlight = 0, most = 0;
      for (const op of t.fn("oneFOneB")(d, 4, 8)) {
        inFlight += String(op).startsWith("F") ? 1 : -1;
        most = Math.max(most, inFlight);
      }
      if (most > 4 - d) t.fail("device " + d + ": ≤ " + (4 - d), "device " + d + ": " + most);
    }
  });
}
`,
    hints: [
      {
        en: "The last stage (d = p − 1) can run a backward right after each forward: F0 B0 F1 B1 … . Stage d must first run p − d − 1 forwards (but never more than m).",
        zh: "最后一个阶段（d = p − 1）每做完一个前向就能立刻做反向：F0 B0 F1 B1 …。阶段 d 要先做 p − d − 1 个前向（但不超过 m）。",
      },
      {
        en: "After w = min(p − d − 1, m) warm-up forwards: for j = 0 … m − w − 1 push F(w + j) then B(j); then the last w backwards.",
        zh: "做完 w = min(p − d − 1, m) 个预热前向后：对 j = 0 … m − w − 1 依次加入 F(w + j) 和 B(j)；最后补上剩下的 w 个反向。",
      },
    ],
  },
  {
    kind: "predict",
    id: "bubble-fraction",
    prompt: {
      en: "p = 4 stages and m = 8 microbatches: what fraction of the time is bubble? (a number between 0 and 1)",
      zh: "p = 4 个阶段、m = 8 个微批次：气泡占时间的比例是多少？（填 0 到 1 之间的数）",
    },
    answer: 0.272727,
    tolerance: 0.01,
    explanation: {
      en: "(p − 1)/(m + p − 1) = 3/11 ≈ 0.27, the same for GPipe and 1F1B; more microbatches shrink it.",
      zh: "(p − 1)/(m + p − 1) = 3/11 ≈ 0.27，GPipe 和 1F1B 都一样；增加微批次能缩小它。",
    },
  },
]);
