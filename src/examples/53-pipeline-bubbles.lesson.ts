import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Pipeline bubbles: GPipe, 1F1B, interleaved", zh: "流水线气泡：GPipe、1F1B 与交错式调度" },
  body: {
    en: [
      "**Pipeline parallelism** cuts the model by depth: consecutive layers form **stages** on successive devices, and each stage sends its activations forward to the next one and receives their gradients back. To keep more than one device busy at a time, the batch is cut into $m$ **microbatches** that flow through the stages one after another; their gradients accumulate, and one optimizer step follows, so the result equals single-device training on the whole batch.",
      "While the pipeline fills and drains, devices wait: that idle time is the **bubble**. With $p$ equal stages, forward time $t_f$ and backward time $t_b$ per microbatch and stage, each device idles $(p-1)(t_f + t_b)$ of a step of $(m + p - 1)(t_f + t_b)$, a fraction $\\frac{p-1}{m+p-1}$: 3/11 ≈ 27 % for $p = 4$, $m = 8$. More microbatches shrink it, but each must still be large enough to use the device well.",
      "**GPipe** runs all $m$ forwards, then all $m$ backwards, so every stage keeps the activations of all $m$ microbatches until their backward. **1F1B** (PipeDream-flush) starts each backward as soon as possible and then alternates one forward with one backward: the same bubble, but stage $s$ holds at most $p - s$ microbatches in flight instead of $m$, so activation memory is bounded by the pipeline depth rather than the microbatch count.",
      "**Interleaved 1F1B** (Megatron-LM) gives each device $v$ smaller model chunks instead of one contiguous stage (here 8 one-layer chunks, two per device, device $i$ holding chunks $i$ and $i + 4$). The pipeline fills in $1/v$ of the time, so the bubble shrinks about $v$-fold: $\\frac{p-1}{v\\,m}$ of the ideal compute time, $\\frac{p-1}{vm+p-1}$ of the step, at the price of $v$ times as many stage-to-stage sends. Its activation memory counts each in-flight chunk-microbatch with its own chunk's bytes; the chunks are half a stage here, so it stays well below GPipe's (about half in this example).",
      "All three schedules compute the same gradients and train exactly like one device, as the console checks.",
    ].join("\n\n"),
    zh: [
      "**流水线并行**按深度切分模型：连续的若干层组成一个**阶段**（stage），放在依次相连的设备上，每个阶段把激活向前发给下一阶段，再收回它们的梯度。为了让多台设备同时忙碌，把一批数据切成 $m$ 个**微批次**，依次流过各个阶段；梯度累加后只做一次优化器更新，所以结果与单设备在整批数据上训练相同。",
      "流水线在填充和排空时，设备要等待：这段空闲时间就是**气泡**。$p$ 个阶段均等、每个微批次在每个阶段的前向耗时 $t_f$、反向耗时 $t_b$ 时，一步总共 $(m + p - 1)(t_f + t_b)$，其中每台设备空闲 $(p-1)(t_f + t_b)$，比例为 $\\frac{p-1}{m+p-1}$：$p = 4$、$m = 8$ 时为 3/11 ≈ 27%。增加微批次能缩小气泡，但每个微批次仍要足够大才能充分利用设备。",
      "**GPipe** 先做完全部 $m$ 个前向，再做全部 $m$ 个反向，所以每个阶段都要保存全部 $m$ 个微批次的激活，直到它们的反向完成。**1F1B**（PipeDream-flush）尽早开始每个反向，之后一次前向、一次反向交替进行：气泡相同，但阶段 $s$ 同时在途的微批次最多为 $p - s$ 个而不是 $m$ 个，激活显存由流水线深度而不是微批次数决定。",
      "**交错式 1F1B**（Megatron-LM）让每台设备持有 $v$ 个较小的模型块，而不是一个连续的阶段（这里是 8 个单层块，每台设备两个，设备 $i$ 持有第 $i$ 和第 $i + 4$ 块）。流水线只需 $1/v$ 的时间就能填满，气泡约缩小为原来的 $1/v$：占理想计算时间的 $\\frac{p-1}{v\\,m}$，占整步的 $\\frac{p-1}{vm+p-1}$，代价是阶段间的发送次数变为 $v$ 倍。它的激活显存对每个在途的（模型块，微批次）按该块自身的字节数计算；这里的块只有半个阶段大，所以明显低于 GPipe（本例中约为一半）。",
      "三种调度计算出相同的梯度，训练结果与单设备完全一致，控制台对此做了检查。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The Cluster panel's timeline (switch between the three runs): the bubbles at the start and end, and the activation memory bars; the console: bubble, step time and activations per device for each schedule, and the comparison with single-device training.",
    zh: "集群面板的时间线（在三次运行之间切换）：开头和结尾的气泡，以及激活显存条；控制台：每种调度的气泡比例、步长时间、每台设备的激活，以及与单设备训练的对照。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "\\text{bubble} = \\frac{(p-1)(t_f + t_b)}{(m+p-1)(t_f + t_b)} = \\frac{p-1}{m+p-1}",
      line: "bubble ${(r.bubble * 100).toFixed(1)} %",
      label: { en: "GPipe and 1F1B: p stages, m microbatches", zh: "GPipe 与 1F1B：p 个阶段，m 个微批次" },
    },
    {
      tex: "\\frac{t_\\text{bubble}}{t_\\text{ideal}} = \\frac{p-1}{v\\,m}, \\qquad \\text{bubble} = \\frac{p-1}{v\\,m + p - 1}",
      line: "const pipe = new dist.Pipeline(stages, c.devices, { schedule, microbatches: m, chunks: 2",
      label: { en: "interleaved 1F1B with v chunks per device", zh: "交错式 1F1B，每台设备 v 个模型块" },
    },
    {
      tex: "M^\\text{GPipe}_s = m\\,a_s, \\qquad M^\\text{1F1B}_s = \\min(p - s,\\, m)\\,a_s",
      line: 'activations per device ${r.activationBytes.join(", ")} B',
      label: { en: "activation memory of stage s (a_s: one microbatch's activations)", zh: "阶段 s 的激活显存（a_s：一个微批次的激活）" },
    },
  ],
  comments: {
    'Drag the "microbatches" knob: more microbatches shrink the bubble, but GPipe then holds more':
      '拖动 "microbatches"（微批次）旋钮：微批次越多气泡越小，但 GPipe 随之要保存更多',
    "activations per device (1F1B stays at p). Interleaving needs m to be a multiple of p = 4.":
      "每设备的激活值（1F1B 保持在 p 个）。交错调度要求 m 是 p = 4 的倍数。",
    "Microbatches of 2 rows each, so the batch grows with m.": "每个微批次 2 行，所以批大小随 m 增长。",
    "Bubble = (p − 1) / (m + p − 1) for equal stages (3/11 ≈ 27 % for GPipe and 1F1B at m = 8);":
      "阶段均等时气泡 = (p − 1) / (m + p − 1)（m = 8 时 GPipe 与 1F1B 为 3/11 ≈ 27 %）；",
    "A deliberately slow device (1 GFLOP/s) so compute, not the 2 µs link latency, fills the timeline.":
      "故意放慢的设备（1 GFLOP/s），让时间线上主要是计算，而不是 2 µs 的链路时延。",
    "Eight layers: 4 stages of 2 layers (GPipe, 1F1B), or 8 chunks of 1, two per device (interleaved).":
      "八层：分成 4 个阶段、每阶段 2 层（GPipe、1F1B），或分成 8 个单层块、每台设备两个（交错式）。",
    "each schedule's memory bars show its own pipeline only": "每种调度的显存条只显示它自己的流水线",
    "1F1B keeps at most p microbatches' activations in flight instead of all m.": "1F1B 最多保留 p 个在途微批次的激活，而不是全部 m 个。",
  },
});
