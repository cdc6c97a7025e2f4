import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "tp8-alone-175b",
    prompt: {
      en: "GPT-3 175B on 1 024 A100s (80 GiB) with tensor parallelism 8 inside each node, no pipeline, ZeRO-1 over the 128 data-parallel replicas. Why does the planner reject it?",
      zh: "GPT-3 175B 在 1024 块 A100（80 GiB）上训练：每个节点内做 8 路张量并行，不用流水线，在 128 个数据并行副本上做 ZeRO-1。规划器为什么拒绝这个方案？",
    },
    choices: [
      {
        en: "Out of memory: fp16 weights and gradients of 175B / 8 parameters alone are about 80 GiB",
        zh: "显存不足：仅 175B / 8 个参数的 fp16 权重和梯度就约有 80 GiB",
      },
      { en: "The pipeline bubble is too large", zh: "流水线气泡太大" },
      { en: "96 attention heads cannot be split over 8 GPUs", zh: "96 个注意力头无法切分到 8 块 GPU 上" },
    ],
    answer: 0,
    explanation: {
      en: "Each GPU holds 21.8 B parameters: 2 bytes of weights and 2 of gradients each, 87 GB (81 GiB) before any optimizer state or activation. ZeRO-1 shards only the optimizer state; the weights need pipeline stages (or ZeRO-3) to fit. There is no pipeline, so no bubble, and 96 heads split into 12 per GPU.",
      zh: "每块 GPU 持有 218 亿个参数：每个参数 2 字节权重和 2 字节梯度，共 87 GB（81 GiB），还没算优化器状态和激活。ZeRO-1 只切分优化器状态；要放下权重，需要流水线阶段（或 ZeRO-3）。这里没有流水线，所以没有气泡；96 个头每块 GPU 分到 12 个。",
    },
  },
  {
    kind: "implement",
    id: "days-to-train",
    prompt: {
      en: "Write `trainingFlops(params, tokens)`: the FLOPs of training on `tokens` tokens by the 6·N·T rule, `bubbleFraction(p, m)`: the idle share of a 1F1B pipeline of `p` equal stages and `m` microbatches, and `trainingDays(params, tokens, gpus, peakFlops, mfu)`: the days it takes when `gpus` GPUs of `peakFlops` FLOP/s each run at model FLOPs utilization `mfu`. The check uses the closed forms and GPT-3's own budget (175B parameters, 300B tokens).",
      zh: "实现 `trainingFlops(params, tokens)`：按 6·N·T 规则，在 `tokens` 个 token 上训练的浮点运算量；`bubbleFraction(p, m)`：`p` 个等长阶段、`m` 个微批次的 1F1B 流水线的空闲占比；`trainingDays(params, tokens, gpus, peakFlops, mfu)`：`gpus` 块每块 `peakFlops` FLOP/s 的 GPU 以模型浮点运算利用率 `mfu` 运行时所需的天数。检查使用闭式公式和 GPT-3 本身的预算（1750 亿参数、3000 亿 token）。",
    },
    starter: `/** Training FLOPs for params parameters on tokens tokens. */
export function trainingFlops(params: number, tokens: number): number {
  // TODO: this counts the forward pass only
  return 2 * params * tokens;
}

/** Idle share of a 1F1B pipeline: p equal stages, m microbatches. */
export function bubbleFraction(p: number, m: number): number {
  // TODO: this is the idle time relative to the useful time, not the share of the whole
  return (p - 1) / m;
}

/** Days to train on gpus GPUs of peakFlops FLOP/s each at utilization mfu. */
export function trainingDays(params: number, tokens: number, gpus: number, peakFlops: number, mfu: number): number {
  // TODO: the GPUs never run at their peak
  return trainingFlops(params, tokens) / (gpus * peakFlops) / 86400;
}

console.log("GPT-3: " + (trainingFlops(175e9, 300e9) / 1e23).toFixed(2) + "e23 FLOPs");
console.log("bubble with p = 16, m = 48: " + (100 * bubbleFraction(16, 48)).toFixed(1) + " %");
console.log("on 1024 A100s at 50 % MFU: " + trainingDays(175e9, 300e9, 1024, 312e12, 0.5).toFixed(1) + " days");
`,
    solution: `/** Training FLOPs for params parameters on tokens tokens. */
export function trainingFlops(params: number, tokens: number): number {
  // 2 per parameter per token forward (a multiply and an add), 4 backward (input and weight gradients).
  return 6 * params * tokens;
}

/** Idle share of a 1F1B pipeline: p equal stages, m microbatches. */
export function bubbleFraction(p: number, m: number): number {
  // The pipeline runs m + p − 1 slots; each device works m of them.
  return (p - 1) / (m + p - 1);
}

/** Days to train on gpus GPUs of peakFlops FLOP/s each at utilization mfu. */
export function trainingDays(params: number, tokens: number, gpus: number, peakFlops: number, mfu: number): number {
  return trainingFlops(params, tokens) / (gpus * peakFlops * mfu) / 86400;
}

console.log("GPT-3: " + (trainingFlops(175e9, 300e9) / 1e23).toFixed(2) + "e23 FLOPs");
console.log("bubble with p = 16, m = 48: " + (100 * bubbleFraction(16, 48)).toFixed(1) + " %");
console.log("on 1024 A100s at 50 % MFU: " + trainingDays(175e9, 300e9, 1024, 312e12, 0.5).toFixed(1) + " days");
`,
    check: `export default async function check(learner, t, wg) {
  await t.case({ en: "GPT-3's budget: 175B parameters, 300B tokens ≈ 3.15e23 FLOPs", zh: "GPT-3 的预算：1750 亿参数、3000 亿 token ≈ 3.15e23 次浮点运算" }, () => {
    t.close(t.fn("trainingFlops")(175e9, 300e9), 3.15e23, 1e-9);
  });
  for (const [p, m] of [[16, 48], [8, 8], [1, 4], [4, 1]]) {
    await t.case({ en: "bubble: p = " + p + ", m = " + m, zh: "气泡：p = " + p + "、m = " + m }, () => {
      t.close(t.fn("bubbleFraction")(p, m), (p - 1) / (m + p - 1), 1e-12);
    });
  }
  // The same rule the planner uses: its model FLOPs per step are 6·N·T plus attention and logits.
  const r = wg.dist.plan("gpt3-175b", wg.dist.dgxA100(128), { tp: 8, pp: 16, dp: 8, microbatch: 1, globalBatch: 1536 });
  await t.case({ en: "within 5 % of the planner's model FLOPs for one GPT-3 step", zh: "与规划器算出的 GPT-3 一步模型浮点运算量相差不到 5 %" }, () => {
    t.close(t.fn("trainingFlops")(r.model.parameters, 1536 * 2048), r.flops.model, 0.05);
  });
  for (const [gpus, mfu] of [[1024, 0.5], [3072, 0.4]]) {
    await t.case({ en: "days: " + gpus + " A100s at " + mfu * 100 + " % MFU", zh: "天数：" + gpus + " 块 A100，MFU " + mfu * 100 + " %" }, () => {
      t.close(t.fn("trainingDays")(175e9, 300e9, gpus, 312e12, mfu), (6 * 175e9 * 300e9) / (gpus * 312e12 * mfu) / 86400, 1e-9);
    });
  }
}
`,
    hints: [
      {
        en: "Forward does one multiply-add (2 FLOPs) per parameter per token; backward computes two gradients, twice that.",
        zh: "前向对每个参数、每个 token 做一次乘加（2 次浮点运算）；反向要算两个梯度，是前向的两倍。",
      },
      {
        en: "The pipeline's last microbatch finishes p − 1 slots after a device's own m are done: idle (p − 1) of m + p − 1. Days: FLOPs / (gpus · peak · mfu) / 86 400.",
        zh: "最后一个微批次要在设备完成自己的 m 个时隙之后再过 p − 1 个时隙才结束：m + p − 1 个时隙中空闲 p − 1 个。天数：浮点运算量 / (GPU 数 · 峰值 · MFU) / 86400。",
      },
    ],
  },
]);
