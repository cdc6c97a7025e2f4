import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "implement",
    id: "zero2-bytes",
    prompt: {
      en: "Mixed-precision Adam keeps, per parameter, 2 bytes of fp16 weights, 2 of fp16 gradients and K = 12 of optimizer state. Write `zero2Bytes(psi, nd, K)`: the model-state bytes per device under ZeRO stage 2 for Ψ parameters on Nd devices, and `zero2CommVolume(psi)`: the elements each device sends per step, as the ZeRO paper counts them (plain data parallelism sends 2Ψ). The check uses the paper's closed forms.",
      zh: "混合精度 Adam 训练中，每个参数需要 2 字节 fp16 权重、2 字节 fp16 梯度和 K = 12 字节优化器状态。实现 `zero2Bytes(psi, nd, K)`：Ψ 个参数在 Nd 个设备上、ZeRO 第 2 阶段时每个设备的模型状态字节数；以及 `zero2CommVolume(psi)`：按 ZeRO 论文的算法，每个设备每步发送的元素数（普通数据并行是 2Ψ）。检查使用论文中的闭式公式。",
    },
    starter: `/** Bytes of model state per device: ZeRO stage 2, psi parameters on nd devices, K bytes of optimizer state per parameter. */
export function zero2Bytes(psi: number, nd: number, K = 12): number {
  // TODO: this is plain data parallelism: every device keeps all of it
  return (2 + 2 + K) * psi;
}

/** Elements each device sends per training step under ZeRO stage 2. */
export function zero2CommVolume(psi: number): number {
  // TODO: stage 2 reduce-scatters the gradients and all-gathers the updated parameters
  return 3 * psi;
}

const psi = 7.5e9;
console.log("ZeRO-2, 7.5 B parameters on 64 GPUs:", (zero2Bytes(psi, 64) / 1e9).toFixed(2), "GB per device");
console.log("communication per step:", zero2CommVolume(psi) / psi, "Ψ");
`,
    solution: `/** Bytes of model state per device: ZeRO stage 2, psi parameters on nd devices, K bytes of optimizer state per parameter. */
export function zero2Bytes(psi: number, nd: number, K = 12): number {
  // fp16 parameters stay replicated; fp16 gradients and the optimizer state are split nd ways.
  return 2 * psi + ((2 + K) * psi) / nd;
}

/** Elements each device sends per training step under ZeRO stage 2. */
export function zero2CommVolume(psi: number): number {
  // A reduce-scatter of the gradients (Ψ) and an all-gather of the parameters (Ψ): the same 2Ψ as
  // data parallelism's all-reduce. Only stage 3 pays more (3Ψ).
  return 2 * psi;
}

const psi = 7.5e9;
console.log("ZeRO-2, 7.5 B parameters on 64 GPUs:", (zero2Bytes(psi, 64) / 1e9).toFixed(2), "GB per device");
console.log("communication per step:", zero2CommVolume(psi) / psi, "Ψ");
`,
    check: `export default async function check(learner, t) {
  // The ZeRO paper (Rajbhandari et al. 2020), section 5: stage 2 keeps 2Ψ + (2 + K)Ψ/Nd bytes.
  const closedForm = (psi, nd, K) => 2 * psi + ((2 + K) * psi) / nd;
  for (const [psi, nd, K] of [[7.5e9, 64, 12], [1e6, 8, 12], [1e9, 1, 12], [3e8, 16, 8]]) {
    await t.case({ en: "memory: Ψ = " + psi + ", Nd = " + nd + ", K = " + K, zh: "显存：Ψ = " + psi + "、Nd = " + nd + "、K = " + K }, () => {
      t.close(t.fn("zero2Bytes")(psi, nd, K), closedForm(psi, nd, K), 1e-9);
    });
  }
  for (const psi of [7.5e9, 1e6]) {
    await t.case({ en: "communication: Ψ = " + psi, zh: "通信量：Ψ = " + psi }, () => {
      t.close(t.fn("zero2CommVolume")(psi), 2 * psi, 1e-9);
    });
  }
}
`,
    hints: [
      {
        en: "Stage 1 shards the optimizer state (KΨ/Nd), stage 2 also the gradients (2Ψ/Nd); the fp16 parameters are still on every device until stage 3.",
        zh: "第 1 阶段切分优化器状态（KΨ/Nd），第 2 阶段再切分梯度（2Ψ/Nd）；fp16 参数直到第 3 阶段才被切分，此前每个设备都有完整的一份。",
      },
      {
        en: "Memory: 2Ψ + (2 + K)Ψ/Nd. Communication: a reduce-scatter (Ψ) plus an all-gather (Ψ), like data parallelism's all-reduce.",
        zh: "显存：2Ψ + (2 + K)Ψ/Nd。通信：一次 reduce-scatter（Ψ）加一次 all-gather（Ψ），与数据并行的 all-reduce 相同。",
      },
    ],
  },
  {
    kind: "predict",
    id: "zero3-communication",
    prompt: {
      en: "Per training step, data parallelism sends 2Ψ elements per device. How much does ZeRO stage 3 send?",
      zh: "每个训练步，数据并行每个设备发送 2Ψ 个元素。ZeRO 第 3 阶段发送多少？",
    },
    choices: [
      { en: "2Ψ, like stages 1 and 2", zh: "2Ψ，与第 1、2 阶段相同" },
      { en: "3Ψ", zh: "3Ψ" },
      { en: "Ψ/Nd", zh: "Ψ/Nd" },
    ],
    answer: 1,
    explanation: {
      en: "Stage 3 all-gathers the parameters in forward and again in backward, plus the gradients' reduce-scatter: 3Ψ, 1.5× data parallelism, for memory that falls with Nd.",
      zh: "第 3 阶段在前向和反向各 all-gather 一次参数，再加上梯度的 reduce-scatter：共 3Ψ，是数据并行的 1.5 倍，换来随 Nd 下降的显存。",
    },
  },
]);
