import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Parallel strategies side by side", zh: "并行策略横向对比" },
  body: {
    en: [
      "Choosing a strategy means trading three things: **time**, **memory** and **communication**. Here the same model (four residual MLP blocks) takes one Adam step on 4 simulated GPUs under each strategy of this chapter, and three figures are measured the same way for all: the simulated step time; the memory the fullest device holds, model state plus activations; and the bytes the step moves over the links, summed over every collective it runs.",
      "The model state is counted with one rule for every strategy: mixed precision, $16$ bytes per parameter held (fp16 weights 2, fp16 gradients 2, fp32 master weights and Adam's two moments 12), plus the activations autograd keeps for backward. What each strategy holds per device, for $\\Psi$ parameters on $N$ devices: data parallelism $16\\Psi$; ZeRO-1 $4\\Psi + 12\\Psi/N$; ZeRO-2 $2\\Psi + 14\\Psi/N$; ZeRO-3 $16\\Psi/N$; tensor and pipeline parallelism about $16\\Psi/N$ (their shard or stage, plus what they replicate).",
      "**Data parallelism** is the simplest and, for small models, cheap to communicate (one gradient allReduce, $2(p-1)$ times the gradient bytes over all links), but every device copies everything. **ZeRO** removes the copies: stages 1 and 2 move the same bytes as data parallelism (reduce-scatter + allGather), stage 3 half as much again, because it gathers the parameters for forward and again for backward. **Tensor parallelism** and **pipeline parallelism** split the model itself and communicate activations instead of gradients: tensor parallelism several allReduces per layer on the critical path, pipeline parallelism only the activations at stage boundaries, but with a bubble. **Hybrids** combine them where the hardware suits each (lesson 54).",
      "On a model this small the activation traffic and the bubble cost more than they save, which is the point of the comparison: the best strategy depends on the model's size and shape and on the cluster. Whatever the choice, every strategy computes the same training step as one device: the last column and the loss line check it.",
    ].join("\n\n"),
    zh: [
      "选择并行策略就是在三样东西之间权衡：**时间**、**显存**和**通信**。这里同一个模型（四个残差 MLP 块）在 4 块模拟 GPU 上，用本章的每种策略各做一步 Adam 训练，并以相同方式测量三个指标：模拟的步长时间；最满那台设备的显存，即模型状态加激活；以及这一步在链路上搬运的字节数，对它执行的所有集合通信求和。",
      "模型状态对所有策略用同一条规则计算：混合精度，每个持有的参数 $16$ 字节（fp16 权重 2、fp16 梯度 2，fp32 主权重和 Adam 的两个动量共 12），再加上自动微分为反向保存的激活。$\\Psi$ 个参数、$N$ 台设备时各策略每台设备持有的量：数据并行 $16\\Psi$；ZeRO-1 $4\\Psi + 12\\Psi/N$；ZeRO-2 $2\\Psi + 14\\Psi/N$；ZeRO-3 $16\\Psi/N$；张量并行和流水线并行约为 $16\\Psi/N$（各自的分片或阶段，加上需要复制的部分）。",
      "**数据并行**最简单，对小模型来说通信也便宜（一次梯度 allReduce，所有链路上共搬运梯度字节数的 $2(p-1)$ 倍），但每台设备都复制了全部状态。**ZeRO** 去掉这些副本：阶段 1 和 2 的通信量与数据并行相同（reduce-scatter + allGather），阶段 3 再多一半，因为它在前向和反向各收集一次参数。**张量并行**和**流水线并行**切分模型本身，通信的是激活而不是梯度：张量并行每层在关键路径上做几次 allReduce，流水线并行只传阶段边界处的激活，但有气泡。**混合并行**把它们放在各自适合的硬件上组合起来（见第 54 课）。",
      "在这么小的模型上，激活通信和气泡的代价大于收益，这正是对比要说明的：最佳策略取决于模型的规模、结构和集群。无论怎么选，每种策略计算的都是与单设备相同的训练步：最后一列和损失那一行对此做了检查。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console table; the Plots panel: one bar-like segment per strategy in each chart (step time, memory of the fullest device, bytes sent); the Cluster panel: pick each run in the Timeline menu, its memory bars are the table's figures.",
    zh: "控制台的表格；绘图面板：每张图中每种策略一段类似柱状的线段（步长时间、最满设备的显存、发送字节数）；集群面板：在时间线菜单中选择每次运行，它的显存条就是表中的数字。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "M_\\text{state} = (\\underbrace{2}_{\\text{fp16 } w} + \\underbrace{2}_{\\text{fp16 } g} + \\underbrace{12}_{\\text{fp32 } w,\\, m,\\, v})\\,\\Psi = 16\\,\\Psi",
      line: "16 bytes per parameter: ${((16 * psi) / 1024).toFixed(1)} KiB",
      label: { en: "mixed-precision Adam model state on one device", zh: "单设备上混合精度 Adam 的模型状态" },
    },
    {
      tex: "M = \\max_{d}\\,\\big(M^{d}_\\text{param} + M^{d}_\\text{grad} + M^{d}_\\text{opt}\\big) + \\max_d M^{d}_\\text{act}",
      line: "const state = Math.max(...c.devices.map((d) => d.memory.parameters + d.memory.gradients + d.memory.optimizer));",
      label: { en: "memory of the fullest device", zh: "最满那台设备的显存" },
    },
    {
      tex: "M_\\text{ZeRO-1} = 4\\Psi + \\frac{12\\Psi}{N}, \\quad M_\\text{ZeRO-2} = 2\\Psi + \\frac{14\\Psi}{N}, \\quad M_\\text{ZeRO-3} = \\frac{16\\Psi}{N}",
      line: "const s = new dist.ZeRO(model, ds, { stage, lr: 1e-3 });",
      label: { en: "ZeRO's model state per device", zh: "ZeRO 每台设备的模型状态" },
    },
    {
      tex: "\\text{bytes}_\\text{DP} = p \\cdot 2\\,\\frac{p-1}{p}\\,S = 2(p-1)\\,S",
      line: "for (const b of e.transfers.bytes) bytes += b;",
      label: { en: "bytes over all links for a ring allReduce of S bytes of gradients", zh: "对 S 字节梯度做环形 allReduce 时所有链路上的总字节数" },
    },
  ],
  comments: {
    "The simulated cluster computes on the host: building one first makes the CPU the default backend":
      "模拟集群在主机上计算：先建一个集群，会让 CPU 成为下面模型和批数据的",
    "for the model and batch below (each strategy then gets a fresh cluster of its own).": "默认后端（之后每种策略各自获得一个新集群）。",
    "A module with its parameters replaced by the values of one flat array (in parameters() order).":
      "把模块的参数替换为一个扁平数组中的值（按 parameters() 的顺序）后返回该模块。",
    "The single-device reference: one Adam step, its loss and the updated model.": "单设备参照：一步 Adam、它的损失和更新后的模型。",
    "Run one strategy's step on a fresh 4-GPU cluster. Memory comes from the strategy itself: the":
      "在一个新的 4 GPU 集群上运行某种策略的一步。显存由策略自己给出：即",
    "model state it accounted on each device, and the activations its step reports; the bytes moved":
      "它在每台设备上记账的模型状态，以及这一步报告的激活；搬运的字节数",
    "are summed over every collective it runs.": "是对它执行的每次集合通信求和。",
    "Each device keeps only its partition of the parameters: assemble them into a fresh model to check.":
      "每台设备只保存自己那一份参数：把它们拼进一个新模型来检查。",
    "Bar-like: a short flat segment per strategy at x = its index.": "类似柱状图：每种策略在 x = 其序号处画一小段水平线。",
  },
});
