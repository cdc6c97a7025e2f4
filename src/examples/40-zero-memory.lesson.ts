import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "ZeRO and the memory wall", zh: "ZeRO 与内存墙" },
  body: {
    en: [
      "The first challenge of large-model training is the **memory wall**: the model state alone outgrows a device. Training with Adam in mixed precision keeps, for each of the $\\Psi$ parameters, 2 bytes of fp16 weights, 2 bytes of fp16 gradients and $K = 12$ bytes of **optimizer state** (an fp32 master copy of the weights, Adam's momentum and variance): $(2 + 2 + K)\\Psi = 16\\Psi$ bytes. A 7.5 B-parameter model needs 120 GB before a single activation, more than an 80 GB GPU holds.",
      "Data parallelism makes it worse: every one of the $N_d$ devices keeps a full copy. **ZeRO** (Zero Redundancy Optimizer, Rajbhandari et al. 2020) removes the copies step by step. **Stage 1** shards the optimizer state: each device keeps and updates only its $1/N_d$ of it. **Stage 2** also shards the gradients: each device only needs the summed gradient of its own partition. **Stage 3** also shards the parameters, all-gathering each layer's weights just before forward and backward use them. The calculator table shows which models fit on 64 GPUs; the plot shows stages 1 and 2 levelling off at $4\\Psi$ and $2\\Psi$ while stage 3 keeps falling as devices are added.",
      "The price is communication, and it is smaller than one might think. Plain data parallelism all-reduces the gradients, which is a reduce-scatter plus an allGather: about $2\\Psi$ elements sent per device. Stages 1 and 2 move the same $2\\Psi$: a **reduce-scatter** of the gradients leaves each device the summed gradient of its partition, it updates that partition with Adam, and an **allGather** of the updated parameters rebuilds the full model. Only stage 3 moves more, $3\\Psi$ (1.5×), because the parameters are all-gathered twice, once for forward and once for backward.",
      "ZeRO changes where the state lives, not what is computed: every device's partition gets exactly the Adam update single-device training would give it. The second half trains a small MLP with each stage on 4 simulated GPUs next to plain Adam on one device; the parameters agree to rounding, and the memory lines show which category each stage divided by 4.",
    ].join("\n\n"),
    zh: [
      "大模型训练面临的第一个挑战是**内存墙**：光是模型状态就放不进一台设备。用 Adam 做混合精度训练时，$\\Psi$ 个参数中的每一个都要占用 2 字节 fp16 权重、2 字节 fp16 梯度，以及 $K = 12$ 字节的**优化器状态**（fp32 的主权重副本、Adam 的一阶动量和二阶方差）：共 $(2 + 2 + K)\\Psi = 16\\Psi$ 字节。一个 75 亿参数的模型在存下任何激活之前就需要 120 GB，超过了一块 80 GB GPU 的显存。",
      "数据并行让情况更糟：$N_d$ 台设备每台都存一整份。**ZeRO**（零冗余优化器，Rajbhandari 等，2020）一步步去掉这些冗余副本。**阶段 1** 切分优化器状态：每台设备只保存和更新其中的 $1/N_d$。**阶段 2** 再切分梯度：每台设备只需要自己那一份参数的梯度之和。**阶段 3** 连参数也切分，在前向和反向用到某层权重之前才把它 all-gather 回来。计算表显示哪些模型能放进 64 块 GPU；曲线显示随着设备增加，阶段 1 和阶段 2 分别停在 $4\\Psi$ 和 $2\\Psi$，而阶段 3 持续下降。",
      "代价是通信，但比想象中小。普通数据并行对梯度做 allReduce，也就是一次 reduce-scatter 加一次 allGather：每台设备约发送 $2\\Psi$ 个元素。阶段 1 和阶段 2 的通信量同样是 $2\\Psi$：对梯度做 **reduce-scatter**，每台设备得到自己那一份的梯度之和，用 Adam 更新这一份，再对更新后的参数做 **allGather** 拼回完整模型。只有阶段 3 通信更多，为 $3\\Psi$（1.5 倍），因为参数要 all-gather 两次，前向一次、反向一次。",
      "ZeRO 改变的是状态存放在哪里，而不是计算什么：每台设备上的那一份参数得到的 Adam 更新，与单设备训练完全相同。后半部分在 4 块模拟 GPU 上用每个阶段训练一个小 MLP，并与单设备上的普通 Adam 对照；参数在舍入误差内一致，显存那几行显示了每个阶段把哪一类状态除以了 4。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console's calculator table (✓ fits in an A100's 80 GiB, ✗ does not); the Plots panel: memory per device against the device count; the Cluster panel's memory bars for each stage (pick a run in the Timeline menu).",
    zh: "控制台的计算表（✓ 表示放得进 A100 的 80 GiB，✗ 表示放不进）；绘图面板：每台设备的显存随设备数的变化；集群面板中每个阶段的显存条（在时间线菜单中选择一次运行）。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "M_0 = (2+2+K)\\Psi \\quad M_1 = 4\\Psi + \\frac{K\\Psi}{N_d} \\quad M_2 = 2\\Psi + \\frac{(2+K)\\Psi}{N_d} \\quad M_3 = \\frac{(2+2+K)\\Psi}{N_d}, \\quad K = 12",
      line: "const m = dist.zeroMemory(psi, stage, nd);",
      label: { en: "model state per device for ZeRO stages 0–3 (mixed-precision Adam)", zh: "ZeRO 各阶段每台设备的模型状态（混合精度 Adam）" },
    },
    {
      tex: "\\lim_{N_d \\to \\infty} M_1 = 4\\Psi, \\qquad \\lim_{N_d \\to \\infty} M_2 = 2\\Psi, \\qquad M_3 \\to 0",
      line: "dist.zeroMemory(7.5e9, stage, 2 ** k).total / GB",
      label: { en: "as the device count grows", zh: "设备数增大时" },
    },
    {
      tex: "V_\\text{DP} = V_\\text{ZeRO-1} = V_\\text{ZeRO-2} = 2\\Psi, \\qquad V_\\text{ZeRO-3} = 3\\Psi",
      line: "const z = new dist.ZeRO(make, c.devices, { stage, lr: 1e-3 });",
      label: {
        en: "elements each device sends per step (reduce-scatter + allGather; stage 3 gathers twice)",
        zh: "每步每台设备发送的元素数（reduce-scatter + allGather；阶段 3 收集两次）",
      },
    },
  ],
  comments: {
    "1. The calculator: bytes per device for Ψ parameters on Nd devices (64 unless you pick another), per ZeRO stage.":
      "1. 计算器：Ψ 个参数在 Nd 个设备上（默认 64，可另选）时，每个 ZeRO 阶段下每个设备的字节数。",
    "The knobs above the editor: how many GPUs share the model (the table's Nd), and which stage the":
      "编辑器上方的旋钮：有多少块 GPU 分担模型（即表中的 Nd），以及下方",
    "breakdown below the table shows.": "分项明细展示哪个阶段。",
    "Where the bytes of the 7.5 B model go with the chosen stage: what is sharded shrinks with Nd, the rest stays.":
      "在所选阶段下，7.5 B 模型的字节都花在哪里：被切分的部分随 Nd 缩小，其余不变。",
    "Bytes each step's collectives send (the last step's count is kept).": "每一步集合通信发送的字节数（保留最后一步的计数）。",
    "In units of Ψ fp32 values: a ring reduce-scatter or all-gather of Ψ values sends (Nd − 1)·Ψ in all, an all-reduce twice that.":
      "以 Ψ 个 fp32 值为单位：对 Ψ 个值做环形 reduce-scatter 或 all-gather 共发送 (Nd − 1)·Ψ，all-reduce 是它的两倍。",
    "Memory per device of the 7.5 B model as the device count grows: stage 3 keeps falling, stage 1 levels off at 4Ψ.":
      "75 亿参数模型每台设备的显存随设备数增加的变化：阶段 3 持续下降，阶段 1 停在 4Ψ。",
    "2. The real thing on 4 simulated GPUs: a small MLP trained with each stage (0 = plain data parallelism), next to plain Adam.":
      "2. 在 4 块模拟 GPU 上真实运行：用每个阶段（0 = 普通数据并行）训练一个小 MLP，并与普通 Adam 对照。",
    "a fresh cluster: memory accounting starts at zero": "新建一个集群：显存记账从零开始",
    "Made after the cluster, so on its host (CPU) backend; seeded, so every stage sees the same batch.":
      "在集群之后创建，所以位于它的主机（CPU）后端；固定随机种子，所以每个阶段看到同一批数据。",
  },
});
