import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "implement",
    id: "ring-send-schedule",
    prompt: {
      en: "Ring allReduce on `p` devices cuts the data into `p` chunks. At every step each rank `i` sends one chunk to rank `(i + 1) mod p`: first `p − 1` reduce-scatter steps (the receiver adds the chunk to its own copy), then `p − 1` all-gather steps (the receiver overwrites its copy). Write `ringSchedule(p)`: for each step, which chunk each rank sends. The check plays your schedule on real numbers and expects every rank to end with the full sum.",
      zh: "在 `p` 个设备上做 Ring allReduce 时，数据被切成 `p` 块。每一步中，每个 rank `i` 把一块发给 rank `(i + 1) mod p`：先做 `p − 1` 步 reduce-scatter（接收方把收到的块加到自己那份上），再做 `p − 1` 步 all-gather（接收方用收到的块覆盖自己那份）。实现 `ringSchedule(p)`：每一步里每个 rank 发送哪一块。检查会在真实数据上执行你的调度，并要求每个 rank 最终都得到完整的和。",
    },
    starter: `/** Per step, the chunk each rank sends to its successor: reduceScatter[t][i] and allGather[t][i]. */
export function ringSchedule(p: number): { reduceScatter: number[][]; allGather: number[][] } {
  const reduceScatter: number[][] = [];
  const allGather: number[][] = [];
  for (let t = 0; t < p - 1; t++) {
    // TODO: every rank sends its own chunk at every step — does each chunk travel around the ring?
    reduceScatter.push(Array.from({ length: p }, (_, i) => i));
    allGather.push(Array.from({ length: p }, (_, i) => i));
  }
  return { reduceScatter, allGather };
}

const s = ringSchedule(4);
s.reduceScatter.forEach((sends, t) => console.log("reduce-scatter step " + t + ": " + sends.join(" ")));
s.allGather.forEach((sends, t) => console.log("all-gather step " + t + ": " + sends.join(" ")));
`,
    solution: `/** Per step, the chunk each rank sends to its successor: reduceScatter[t][i] and allGather[t][i]. */
export function ringSchedule(p: number): { reduceScatter: number[][]; allGather: number[][] } {
  const reduceScatter: number[][] = [];
  const allGather: number[][] = [];
  const mod = (a: number) => ((a % p) + p) % p;
  for (let t = 0; t < p - 1; t++) {
    // Rank i forwards the chunk it has just received (and added to): after p − 1 steps it owns chunk i + 1, fully summed.
    reduceScatter.push(Array.from({ length: p }, (_, i) => mod(i - t)));
    // Then each rank passes the finished chunks along: first its own, then each one it received.
    allGather.push(Array.from({ length: p }, (_, i) => mod(i + 1 - t)));
  }
  return { reduceScatter, allGather };
}

const s = ringSchedule(4);
s.reduceScatter.forEach((sends, t) => console.log("reduce-scatter step " + t + ": " + sends.join(" ")));
s.allGather.forEach((sends, t) => console.log("all-gather step " + t + ": " + sends.join(" ")));
`,
    check: `export default async function check(learner, t) {
  for (const p of [2, 3, 4, 8]) {
    await t.case({ en: "p = " + p + ": every rank ends with the sum", zh: "p = " + p + "：每个 rank 最终都得到总和" }, () => {
      const s = t.fn("ringSchedule")(p);
      const phases = [["reduceScatter", true], ["allGather", false]];
      for (const [phase] of phases) {
        const steps = s && s[phase];
        if (!Array.isArray(steps) || steps.length !== p - 1) t.fail(phase + ": " + (p - 1) + " steps", phase + ": " + (Array.isArray(steps) ? steps.length + " steps" : String(steps)));
        steps.forEach((sends, k) => {
          const ok = Array.isArray(sends) && sends.length === p && sends.every((c) => Number.isInteger(c) && c >= 0 && c < p);
          if (!ok) t.fail(phase + "[" + k + "]: " + p + " chunk numbers in 0…" + (p - 1), JSON.stringify(sends));
        });
      }
      // data[r][c]: rank r's copy of chunk c, distinct numbers so a wrong sum shows.
      let data = Array.from({ length: p }, (_, r) => Array.from({ length: p }, (_, c) => (r + 1) * 100 + c * c + 1));
      const total = Array.from({ length: p }, (_, c) => data.reduce((sum, row) => sum + row[c], 0));
      for (const [phase, adds] of phases) {
        for (const sends of s[phase]) {
          const before = data.map((row) => row.slice()); // all sends of a step happen at once
          sends.forEach((c, i) => {
            const to = (i + 1) % p;
            data[to][c] = adds ? data[to][c] + before[i][c] : before[i][c];
          });
        }
      }
      data.forEach((row, r) => t.close(row, total, 0));
    });
  }
}
`,
    hints: [
      {
        en: "In reduce-scatter step t, rank i should send the chunk it received (and added to) at step t − 1; at step 0 it starts with its own chunk i.",
        zh: "reduce-scatter 第 t 步，rank i 应当发送它在第 t − 1 步收到（并累加过）的那一块；第 0 步从自己的第 i 块开始。",
      },
      {
        en: "Reduce-scatter: rank i sends chunk (i − t) mod p. After it, rank i holds chunk (i + 1) mod p fully summed — the all-gather starts from there.",
        zh: "reduce-scatter：rank i 发送第 (i − t) mod p 块。结束后 rank i 持有已完整求和的第 (i + 1) mod p 块，all-gather 从这里开始。",
      },
    ],
  },
  {
    kind: "predict",
    id: "ring-steps",
    prompt: { en: "How many steps does ring allReduce take on p = 8 devices?", zh: "在 p = 8 个设备上，ring allReduce 需要多少步？" },
    answer: 14,
    tolerance: 0,
    explanation: {
      en: "2(p − 1) = 14: p − 1 reduce-scatter steps, then p − 1 all-gather steps, each moving 1/p of the data per link.",
      zh: "2(p − 1) = 14：p − 1 步 reduce-scatter，再 p − 1 步 all-gather，每一步每条链路传 1/p 的数据。",
    },
  },
]);
