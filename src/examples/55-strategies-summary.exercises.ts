import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "zero3-trade",
    prompt: {
      en: "ZeRO stage 3 against plain data parallelism: memory on each device and bytes over the links?",
      zh: "ZeRO 第 3 阶段与普通数据并行相比：每个设备的显存和链路上传输的字节数？",
    },
    choices: [
      { en: "Less memory, more bytes", zh: "显存更少，传输更多" },
      { en: "Less memory, the same bytes", zh: "显存更少，传输不变" },
      { en: "The same memory, fewer bytes", zh: "显存不变，传输更少" },
    ],
    answer: 0,
    explanation: {
      en: "It shards everything (memory falls with the device count) and all-gathers the parameters when they are needed: 3Ψ instead of 2Ψ.",
      zh: "它切分了全部模型状态（显存随设备数下降），在需要时 all-gather 参数：通信量从 2Ψ 变为 3Ψ。",
    },
  },
  {
    kind: "implement",
    id: "zero-communication",
    prompt: {
      en: "Write `elementsSent(stage, psi, nd)`: the values all `nd` devices send in all during one training step of ZeRO stage `stage` (0 = plain data parallelism) for `psi` parameters, with ring collectives (a ring reduce-scatter or all-gather of Ψ values sends (Nd − 1)·Ψ in all, an all-reduce twice that). The starter charges stage 1 half as much again as data parallelism. The check uses the ZeRO paper's volumes and counts what the library's `dist.ZeRO` really sends on 4 simulated GPUs.",
      zh: "实现 `elementsSent(stage, psi, nd)`：`psi` 个参数、ZeRO 阶段 `stage`（0 = 普通数据并行）下，一步训练中全部 `nd` 台设备一共发送多少个值，集合通信用环形算法（对 Ψ 个值做环形 reduce-scatter 或 all-gather 共发送 (Nd − 1)·Ψ，all-reduce 是它的两倍）。初始代码让阶段 1 比数据并行多发一半。检查使用 ZeRO 论文中的通信量，并统计库中 `dist.ZeRO` 在 4 块模拟 GPU 上实际发送的数据。",
    },
    starter: `/** Values sent in all during one step of ZeRO stage 0–3, psi parameters, nd devices, ring collectives. */
export function elementsSent(stage: number, psi: number, nd: number): number {
  const ring = (nd - 1) * psi;
  // TODO: stage 1 moves no more than stage 2
  return stage === 3 ? 3 * ring : stage === 1 ? 3 * ring : 2 * ring;
}

console.log([0, 1, 2, 3].map((s) => elementsSent(s, 1e6, 4)).join(", "));
`,
    solution: `/** Values sent in all during one step of ZeRO stage 0–3, psi parameters, nd devices, ring collectives. */
export function elementsSent(stage: number, psi: number, nd: number): number {
  const ring = (nd - 1) * psi;
  // 0: all-reduce the gradients. 1 and 2: reduce-scatter the gradients, all-gather the updated parameters.
  // 3: the parameters are all-gathered twice (forward and backward) beside the gradients' reduce-scatter.
  return stage === 3 ? 3 * ring : 2 * ring;
}

console.log([0, 1, 2, 3].map((s) => elementsSent(s, 1e6, 4)).join(", "));
`,
    check: `export default async function check(learner, t, wg) {
  const f = t.fn("elementsSent");
  for (const nd of [2, 8, 64]) {
    await t.case({ en: "the ZeRO paper's volumes on " + nd + " devices: 2Ψ, 2Ψ, 2Ψ, 3Ψ per device", zh: nd + " 台设备上 ZeRO 论文的通信量：每台 2Ψ、2Ψ、2Ψ、3Ψ" }, () => {
      t.close([0, 1, 2, 3].map((s) => f(s, 1e9, nd)), [2, 2, 2, 3].map((k) => k * (nd - 1) * 1e9), 1e-12);
    });
  }
  const { dist, nn, randn, onEvent } = wg;
  const make = () => nn.sequential(nn.linear(16, 32, { seed: 1 }), nn.relu(), nn.linear(32, 16, { seed: 2 }));
  for (const stage of [0, 1, 2, 3]) {
    const c = dist.cluster({ devicesPerNode: 4 });
    const x = randn([8, 16], { seed: 3 }), y = randn([8, 16], { seed: 4 });
    const z = new dist.ZeRO(make, c.devices, { stage, lr: 1e-3 });
    let sent = 0;
    const off = onEvent((e) => {
      if (e.type === "comm" && e.phase === "collective") for (const b of e.transfers.bytes) sent += b;
    });
    z.step(x, y, (o, t2) => nn.mse(o, t2));
    off();
    await t.case({ en: "what dist.ZeRO stage " + stage + " sends on 4 GPUs", zh: "dist.ZeRO 阶段 " + stage + " 在 4 块 GPU 上实际发送的量" }, () => {
      t.close(f(stage, z.numParameters, 4), sent / 4, 0.01);
    });
  }
}
`,
    hints: [
      {
        en: "Stages 1 and 2 replace the all-reduce by its two halves: a reduce-scatter of the gradients and, after each device updates its part, an all-gather of the parameters.",
        zh: "阶段 1 和 2 把 all-reduce 换成它的两半：先对梯度做 reduce-scatter，各设备更新自己那一份之后，再对参数做 all-gather。",
      },
      {
        en: "Stage 3 keeps no full copy of the parameters: they are gathered before forward and again before backward, plus the gradients' reduce-scatter: three (Nd − 1)·Ψ.",
        zh: "阶段 3 不保留完整的参数副本：前向前收集一次、反向前再收集一次，加上梯度的 reduce-scatter：共三份 (Nd − 1)·Ψ。",
      },
    ],
  },
]);
