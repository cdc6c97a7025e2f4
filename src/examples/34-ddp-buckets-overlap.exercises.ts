import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "one-bucket",
    prompt: {
      en: "DDP with one bucket that holds every gradient: how much of the allReduce is hidden behind backward?",
      zh: "DDP 只用一个装下全部梯度的桶：allReduce 有多少能被反向传播掩盖？",
    },
    choices: [
      { en: "None of it", zh: "完全没有" },
      { en: "All of it", zh: "全部" },
      { en: "About half", zh: "大约一半" },
    ],
    answer: 0,
    explanation: {
      en: "The only bucket is full when backward ends, so its allReduce starts after it: nothing overlaps. Smaller buckets start while backward still runs.",
      zh: "唯一的桶在反向结束时才装满，它的 allReduce 只能在之后开始，没有任何重叠。更小的桶可以在反向进行时就开始通信。",
    },
  },
  {
    kind: "implement",
    id: "bucket-assignment",
    prompt: {
      en: "Write `buckets(sizes, cap)`: DDP's gradient buckets. `sizes[i]` is parameter i's gradient in bytes; walk the parameters in the order backward produces their gradients (last first), add each to the current bucket, and close the bucket as soon as it holds at least `cap` bytes. Return the parameter indices of each bucket. The check compares with `new dist.DataParallel(…).buckets` for real models.",
      zh: "实现 `buckets(sizes, cap)`：DDP 的梯度分桶。`sizes[i]` 是第 i 个参数梯度的字节数；按反向传播产生梯度的顺序（最后一个参数先出）遍历参数，把每个参数加入当前的桶，一旦桶内达到 `cap` 字节就封桶。返回每个桶里的参数下标。检查会在真实模型上与 `new dist.DataParallel(…).buckets` 比较。",
    },
    starter: `/** DDP buckets: parameter indices per bucket, in backward order (last parameter first). */
export function buckets(sizes: number[], cap: number): number[][] {
  // TODO: forward order, and a new bucket only once the next parameter would overflow this one
  const out: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (bytes + sizes[i] > cap && cur.length) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(i);
    bytes += sizes[i];
  }
  if (cur.length) out.push(cur);
  return out;
}

console.log(JSON.stringify(buckets([16384, 256, 16384, 256, 16384, 256], 16384)));
`,
    solution: `/** DDP buckets: parameter indices per bucket, in backward order (last parameter first). */
export function buckets(sizes: number[], cap: number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  // Backward produces the last layer's gradients first: fill buckets in that order.
  for (let i = sizes.length - 1; i >= 0; i--) {
    cur.push(i);
    bytes += sizes[i];
    // A bucket is sent as soon as it is full (at least cap bytes).
    if (bytes >= cap) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

console.log(JSON.stringify(buckets([16384, 256, 16384, 256, 16384, 256], 16384)));
`,
    check: `export default async function check(learner, t, wg) {
  const { dist, nn, optim } = wg;
  const make = () => nn.sequential(nn.linear(64, 64, { seed: 1 }), nn.tanh(), nn.linear(64, 32, { seed: 2 }), nn.tanh(), nn.linear(32, 8, { seed: 3 }));
  const sizes = make().parameters().map((p) => p.nbytes);
  for (const cap of [256, 4096, 16384, 20000, 1 << 20]) {
    await t.case({ en: "bucket cap " + cap + " bytes", zh: "桶容量 " + cap + " 字节" }, () => {
      const c = dist.cluster({ devicesPerNode: 2 });
      const ddp = new dist.DataParallel(make, c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), bucketBytes: cap });
      t.equal(t.fn("buckets")(sizes, cap), ddp.buckets);
    });
  }
}
`,
    hints: [
      {
        en: "Loop i from sizes.length − 1 down to 0: backward reaches the last layer first.",
        zh: "让 i 从 sizes.length − 1 递减到 0：反向传播先到达最后一层。",
      },
      {
        en: "Add the parameter first, then close the bucket if it now holds ≥ cap bytes; whatever is left at the end is the last bucket.",
        zh: "先把参数加进桶，再看桶内是否已达到 ≥ cap 字节，达到就封桶；最后剩下的组成最后一个桶。",
      },
    ],
  },
]);
