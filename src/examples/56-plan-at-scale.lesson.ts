import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Planning a 175B model on 1 024 GPUs", zh: "在 1024 块 GPU 上规划 175B 模型的训练" },
  body: {
    en: [
      "The strategies of this chapter trained real tensors on a few simulated GPUs. This lesson asks the course's question at full size: **how would GPT-3 175B train on 1 024 A100s?** Nothing is allocated: `dist.plan` costs a plan in closed form from the model's configuration and the cluster's, with the same rules as the real-data strategies, in a fraction of a millisecond.",
      "Start with the work. Training one token costs about $6N$ floating-point operations for $N$ parameters: $2N$ in forward (one multiply and one add per weight) and $4N$ in backward (the gradients of the inputs and of the weights). A step of $1536$ sequences of $2048$ tokens is $3.1$ million tokens, about $3.3\\times10^{18}$ FLOPs; at $312$ TFLOP/s of bf16 per GPU, even 1 024 GPUs at full speed need $10$ s for it. The planner counts the real FLOPs (attention scores and the logits add about $3\\,\\%$) and the recomputation on top.",
      "Then the memory. Mixed-precision Adam keeps $16$ bytes per parameter: $2.8$ TB for 175B, which must be split. Tensor parallelism over the 8 GPUs of a node cuts it by 8, still $350$ GB per GPU: the first plan is out of memory. ZeRO-3 shards the rest over the data-parallel group and fits easily, but gathers every parameter again for each microbatch: with one sequence per microbatch, its exposed communication nearly triples the step. Pipeline parallelism splits the layers instead and pays a **bubble**: with $p$ stages and $m$ microbatches, 1F1B leaves each device idle for $p-1$ of $m+p-1$ slots; interleaving $v$ chunks per device shrinks the bubble about $v$ times, for more activations in flight.",
      "The measure of a plan is its **MFU**, model FLOPs utilization: the FLOPs the model needs per step over what the GPUs could do in that time. Megatron-LM reported $135$–$163$ TFLOP/s per A100 ($44$–$52\\,\\%$ of peak, recomputation counted); the planner's efficiency assumptions are written down once (`dist.DEFAULT_EFFICIENCY`) and reproduce that paper's table within 10 % per row, with nothing tuned per plan. `dist.searchPlans` then tries every split (TP, PP, DP, microbatch, ZeRO stage, recomputation, interleaving) for the global batch, ranks those that fit by step time, and says why the others lose: a divisibility rule broken, or out of memory by how many GiB.",
      "Last, a plan is only useful on a real cluster. `dist.megatronArgs` writes the chosen plan as Megatron-LM's launch flags and `dist.deepspeedConfig` as a DeepSpeed JSON config, named as those engines document them. An engine cannot express everything: Megatron-LM's distributed optimizer is ZeRO-1, so a ZeRO-3 winner goes to DeepSpeed and Megatron-LM gets the fastest plan it can run. Try the knobs: a smaller model, an H100 cluster, or a global batch the GPU count does not divide.",
    ].join("\n\n"),
    zh: [
      "本章前面的并行策略都是在几块模拟 GPU 上训练真实张量。本课在真实规模上提出课程的核心问题：**GPT-3 175B 要如何在 1024 块 A100 上训练？**这里不分配任何张量：`dist.plan` 根据模型配置和集群配置，用与真实数据策略相同的规则，以闭式公式估算一个方案，耗时不到一毫秒。",
      "先看计算量。$N$ 个参数的模型训练一个 token 大约需要 $6N$ 次浮点运算：前向 $2N$（每个权重一次乘法、一次加法），反向 $4N$（对输入和对权重各求一次梯度）。一步 $1536$ 条、每条 $2048$ 个 token 的序列共 $310$ 万个 token，约 $3.3\\times10^{18}$ 次浮点运算；每块 GPU 的 bf16 算力为 $312$ TFLOP/s，即使 1024 块 GPU 全速运行也需要 $10$ 秒。规划器统计的是真实的浮点运算量（注意力分数和 logits 大约多出 $3\\,\\%$），再加上重计算。",
      "再看显存。混合精度 Adam 每个参数要占 $16$ 字节：175B 模型共 $2.8$ TB，必须切分。在一个节点的 8 块 GPU 上做张量并行可以除以 8，但每块 GPU 仍需 $350$ GB：第一个方案显存不足。ZeRO-3 把其余部分切分到数据并行组上，轻松放得下，但每个微批次都要重新收集全部参数：每个微批次只有一条序列时，暴露的通信让步长时间变成三倍。流水线并行改为切分层，代价是**气泡**：$p$ 个阶段、$m$ 个微批次时，1F1B 让每台设备在 $m+p-1$ 个时隙中空闲 $p-1$ 个；每台设备交错放置 $v$ 个模型块可以把气泡缩小约 $v$ 倍，代价是同时在途的激活更多。",
      "衡量方案的指标是 **MFU**（模型浮点运算利用率）：每步模型所需的浮点运算量，除以这段时间内 GPU 能完成的运算量。Megatron-LM 报告每块 A100 达到 $135$–$163$ TFLOP/s（峰值的 $44$–$52\\,\\%$，计入重计算）；规划器的效率假设只写一次（`dist.DEFAULT_EFFICIENCY`），就能把那篇论文表格的每一行复现到 10 % 以内，不对任何方案单独调参。随后 `dist.searchPlans` 针对给定的全局批大小尝试每一种切分（TP、PP、DP、微批次、ZeRO 阶段、重计算、交错），把放得下的方案按步长时间排序，并说明其余方案为什么落选：违反了整除规则，或者显存超出多少 GiB。",
      "最后，方案只有在真实集群上才有用。`dist.megatronArgs` 把选中的方案写成 Megatron-LM 的启动参数，`dist.deepspeedConfig` 写成 DeepSpeed 的 JSON 配置，名称与这两个引擎的文档一致。引擎并不能表达所有方案：Megatron-LM 的分布式优化器相当于 ZeRO-1，所以 ZeRO-3 的最优方案交给 DeepSpeed，而 Megatron-LM 得到它能运行的最快方案。试试调节旋钮：换一个更小的模型、换成 H100 集群，或者选一个 GPU 数无法整除的全局批大小。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the hand-made plans' memory by category and step time split into compute, exposed communication, bubble and optimizer; the search's ranking and its rejections; the chosen plan as Megatron-LM flags and a DeepSpeed config. The Plots panel: GiB per GPU and step seconds per plan (x = the plan's number in the table), and the searched plans' step time by rank.",
    zh: "控制台：手工方案按类别划分的显存，以及拆成计算、暴露通信、气泡和优化器的步长时间；搜索的排名和落选原因；选中方案的 Megatron-LM 参数和 DeepSpeed 配置。绘图面板：每个方案每块 GPU 的 GiB 数和步长秒数（x 为方案在表中的序号），以及搜索出的方案按名次的步长时间。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "C_\\text{step} \\approx 6\\,N\\,T = \\underbrace{2NT}_{\\text{forward}} + \\underbrace{4NT}_{\\text{backward}}",
      line: "const sixNT = 6 * model.activeParameters * tokens;",
      label: { en: "training FLOPs of a step: N parameters, T tokens", zh: "一步训练的浮点运算量：N 个参数，T 个 token" },
    },
    {
      tex: "\\text{bubble} = \\frac{p-1}{m+p-1}",
      line: "const bubbleClosedForm = (p - 1) / (m + p - 1);",
      label: { en: "1F1B's idle share of the pipeline: p stages, m microbatches", zh: "1F1B 流水线的空闲占比：p 个阶段，m 个微批次" },
    },
    {
      tex: "\\text{MFU} = \\frac{C_\\text{model}}{N_\\text{GPU}\\cdot F_\\text{peak}\\cdot t_\\text{step}}",
      line: "const mfu = r.flops.model / (n * peak * r.time.step);",
      label: { en: "model FLOPs utilization", zh: "模型浮点运算利用率" },
    },
    {
      tex: "B_\\text{global} = b_\\text{micro} \\cdot m \\cdot d",
      line: "const same = config.train_micro_batch_size_per_gpu * config.gradient_accumulation_steps * best.plan.dp === config.train_batch_size;",
      label: {
        en: "global batch = micro-batch × accumulation steps × data-parallel GPUs (DeepSpeed's batch rule)",
        zh: "全局批大小 = 微批次大小 × 梯度累积步数 × 数据并行 GPU 数（DeepSpeed 的批大小规则）",
      },
    },
  ],
  comments: {
    "The question of the course: how would a 175B model train on 1 024 GPUs? The planner answers it":
      "课程的核心问题：175B 模型要如何在 1024 块 GPU 上训练？规划器回答它",
    "without allocating a tensor: every figure below is a closed-form cost of the real model and cluster.":
      "而不分配任何张量：下面的每个数字都是真实模型和集群的闭式估算。",
    "Training FLOPs per step, the rule of thumb: 2 per parameter per token forward, 4 backward.":
      "每步训练的浮点运算量，经验法则：每个参数每个 token 前向 2 次，反向 4 次。",
    "1. A few plans by hand, each costed with dist.plan (or refused, with the rule it breaks).":
      "1. 几个手工方案，各用 dist.plan 估算（或被拒绝，并给出违反的规则）。",
    "Bar-like charts: one point per plan at x = its number, one line per category.": "类似柱状图：每个方案在 x = 其序号处一个点，每个类别一条线。",
    "The pipeline bubble against its closed form for equal stages: (p − 1) idle slots out of m + p − 1.":
      "流水线气泡与等长阶段时的闭式公式对比：m + p − 1 个时隙中空闲 p − 1 个。",
    "MFU: the FLOPs the model needs (attention and logits counted, recomputation not) over what the GPUs could do in a step.":
      "MFU：模型所需的浮点运算量（计入注意力和 logits，不计重计算）除以 GPU 在一步时间内能完成的量。",
    "2. Search: every (TP, PP, DP, microbatch, ZeRO, recompute, interleave) split, ranked by step time":
      "2. 搜索：尝试每一种（TP、PP、DP、微批次、ZeRO、重计算、交错）切分，按步长时间排序",
    "(microbatches of 1, 2 or 4 sequences keep the search to about a second).": "（微批次取 1、2 或 4 条序列，让搜索在一秒左右完成）。",
    "Why the others lose: the out-of-memory plans that came closest, and one of each broken rule.":
      "其余方案为何落选：最接近放得下的显存不足方案，以及每种被违反的规则各一例。",
    "3. Hand the chosen plan to a real engine.": "3. 把选中的方案交给真实的训练引擎。",
    "Megatron-LM has no ZeRO-2/3: the fastest plan it can express may be further down the ranking.":
      "Megatron-LM 没有 ZeRO-2/3：它能表达的最快方案可能排在更后面。",
    "DeepSpeed's rule: the global batch is the micro-batch × accumulation steps × data-parallel GPUs.":
      "DeepSpeed 的规则：全局批大小 = 微批次大小 × 梯度累积步数 × 数据并行 GPU 数。",
  },
});
