import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "rs-steps",
    prompt: {
      en: "A ring allReduce on p = 6 ranks: in how many of its steps does the receiver add the chunk it gets (rather than copy it)?",
      zh: "在 p = 6 个 rank 上做环形 allReduce：有多少步中接收方把收到的块累加（而不是复制）？",
    },
    answer: 5,
    tolerance: 0,
    explanation: {
      en: "The reduce-scatter half: p − 1 = 5 steps with adds; the allGather half: 5 more steps of copies, 2(p − 1) = 10 in all.",
      zh: "reduce-scatter 那一半：p − 1 = 5 步累加；allGather 那一半：再加 5 步复制，共 2(p − 1) = 10 步。",
    },
  },
  {
    kind: "implement",
    id: "ring-step",
    prompt: {
      en: "Write `ringStep(buffers, s)`: one step of the ring allReduce on plain arrays. `buffers[r]` is rank r's p chunks (one number each); at step s every rank r sends one chunk to rank (r + 1) mod p, which adds it during the first p − 1 steps and overwrites its copy after. Return new buffers (all ranks send what they held before the step). The check compares every step with `dist.allReduce(…, { trace: true })`.",
      zh: "实现 `ringStep(buffers, s)`：在普通数组上执行环形 allReduce 的一步。`buffers[r]` 是 rank r 的 p 块（每块一个数）；第 s 步中每个 rank r 向 rank (r + 1) mod p 发送一块，前 p − 1 步接收方做累加，之后覆盖自己那份。返回新的缓冲区（所有 rank 发送的都是这一步之前持有的值）。检查会把每一步与 `dist.allReduce(…, { trace: true })` 比较。",
    },
    starter: `/** Rank buffers after step s of a ring allReduce (p ranks, p chunks each). */
export function ringStep(buffers: number[][], s: number): number[][] {
  const p = buffers.length;
  const next = buffers.map((b) => [...b]);
  for (let r = 0; r < p; r++) {
    // TODO: which chunk does rank r send at step s, and should the receiver add or copy it?
    const chunk = r;
    next[(r + 1) % p][chunk] = buffers[r][chunk];
  }
  return next;
}

let b = [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]];
for (let s = 0; s < 6; s++) console.log("step " + s + ": " + JSON.stringify((b = ringStep(b, s))));
`,
    solution: `/** Rank buffers after step s of a ring allReduce (p ranks, p chunks each). */
export function ringStep(buffers: number[][], s: number): number[][] {
  const p = buffers.length;
  const mod = (a: number) => ((a % p) + p) % p;
  const next = buffers.map((b) => [...b]);
  for (let r = 0; r < p; r++) {
    const to = (r + 1) % p;
    if (s < p - 1) {
      // Reduce-scatter: pass on the chunk received last step (its partial sum), the receiver adds.
      const chunk = mod(r - s - 1);
      next[to][chunk] += buffers[r][chunk];
    } else {
      // allGather: pass on the finished sums, starting with the one this rank completed.
      const chunk = mod(r - (s - (p - 1)));
      next[to][chunk] = buffers[r][chunk];
    }
  }
  return next;
}

let b = [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]];
for (let s = 0; s < 6; s++) console.log("step " + s + ": " + JSON.stringify((b = ringStep(b, s))));
`,
    check: `export default async function check(learner, t, wg) {
  const { dist, tensor } = wg;
  for (const p of [3, 4, 5]) {
    const c = dist.cluster({ devicesPerNode: p });
    const start = Array.from({ length: p }, (_, r) => Array.from({ length: p }, (_, j) => 10 * r + j + (r * j) % 3));
    const xs = c.devices.map((d, r) => dist.place(tensor(start[r]), d));
    const trace = dist.allReduce(xs, { algorithm: "ring", trace: true, emit: false }).steps;
    await t.case({ en: "every step of p = " + p, zh: "p = " + p + " 的每一步" }, () => {
      let b = start.map((row) => [...row]);
      for (let s = 0; s < 2 * (p - 1); s++) {
        b = t.fn("ringStep")(b, s);
        t.equal({ step: s, buffers: b }, { step: s, buffers: trace[s].buffers });
      }
    });
  }
}
`,
    hints: [
      {
        en: "Reduce-scatter step s: rank r sends chunk (r − s − 1) mod p, so that what it forwards is the chunk it has just added to. Use a non-negative mod.",
        zh: "reduce-scatter 第 s 步：rank r 发送第 (r − s − 1) mod p 块，这样它转发的正是刚刚累加过的那块。取模要保证非负。",
      },
      {
        en: "allGather step s (s ≥ p − 1): with u = s − (p − 1), rank r sends chunk (r − u) mod p; the receiver overwrites.",
        zh: "allGather 第 s 步（s ≥ p − 1）：令 u = s − (p − 1)，rank r 发送第 (r − u) mod p 块；接收方直接覆盖。",
      },
    ],
  },
]);
