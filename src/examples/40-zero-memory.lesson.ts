import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "The walls of large-model training, and ZeRO", zh: "大模型训练的几堵墙，以及 ZeRO" },
  body: {
    en: [
      "The first challenge of large-model training is the **memory wall**: the model state alone outgrows a device. Training with Adam in mixed precision keeps, for each of the $\\Psi$ parameters, 2 bytes of fp16 weights, 2 bytes of fp16 gradients and $K = 12$ bytes of **optimizer state** (an fp32 master copy of the weights, Adam's momentum and variance): $(2 + 2 + K)\\Psi = 16\\Psi$ bytes. A 7.5 B-parameter model needs 120 GB before a single activation, more than an 80 GB GPU holds.",
      "Data parallelism makes it worse: every one of the $N_d$ devices keeps a full copy. **ZeRO** (Zero Redundancy Optimizer, Rajbhandari et al. 2020) removes the copies step by step. **Stage 1** shards the optimizer state: each device keeps and updates only its $1/N_d$ of it. **Stage 2** also shards the gradients: each device only needs the summed gradient of its own partition. **Stage 3** also shards the parameters, all-gathering each layer's weights just before forward and backward use them. The calculator table shows which models fit on 64 GPUs; the plot shows stages 1 and 2 levelling off at $4\\Psi$ and $2\\Psi$ while stage 3 keeps falling as devices are added.",
      "The price is communication, and it is smaller than one might think. Plain data parallelism all-reduces the gradients, which is a reduce-scatter plus an allGather: about $2\\Psi$ elements sent per device. Stages 1 and 2 move the same $2\\Psi$: a **reduce-scatter** of the gradients leaves each device the summed gradient of its partition, it updates that partition with Adam, and an **allGather** of the updated parameters rebuilds the full model. Only stage 3 moves more, $3\\Psi$ (1.5×), because the parameters are all-gathered twice, once for forward and once for backward.",
      "The model state is half of the memory wall; the other half is the **activations** backward needs, which grow with the tokens in flight. For a GPT layer of width $h$ with $a$ heads, one microbatch of $b$ sequences of $s$ tokens keeps $34\\,sbh + 5\\,as^2b$ bytes at 16 bits (Korthikanti et al. 2022): the first term the layer's inputs, projections and MLP activations, the second the attention scores, which grow with the **square** of the sequence length. For the 7.5 B model (36 layers) one sequence of 2048 tokens keeps 34 GB, more than its ZeRO-2 model state on 64 GPUs. **Recomputation** trades compute for it: **selective** recomputation drops the $as^2b$ scores and recomputes them in backward (cheap: no matmul with weights), **full** recomputation keeps only each layer's input, $2sbh$, and reruns the whole forward (about a third more compute). Turn the sequence-length and recompute knobs: the line tells whether model state plus activations fit, and the plot shows the quadratic curve flatten to a line.",
      "The second wall is **compute**. Training costs about $6\\Psi T$ FLOPs for $T$ tokens (2 per parameter per token forward, 4 backward). A 175 B model on GPT-3's 300 B tokens needs $3.15 \\times 10^{23}$ FLOPs: on 64 A100s at 45 % of their 312 TFLOP/s that is more than a year, which is why such models train on thousands of GPUs (lesson 56 plans it). The third is the **tuning wall**: with thousands of GPUs there are hundreds of ways to cut the model (tensor, pipeline and data parallelism, microbatch, ZeRO stage, recomputation), most of them out of memory or not dividing evenly, and the ones that run differ in speed by a factor of 2 or more; one trial of a real run costs GPU-days. The example asks `dist.searchPlans` for the 7.5 B model on the knob's GPUs: it prices every plan in closed form in milliseconds instead.",
      "ZeRO changes where the state lives, not what is computed: every device's partition gets exactly the Adam update single-device training would give it. The second half trains a small MLP with each stage on 4 simulated GPUs next to plain Adam on one device; the parameters agree to rounding, and the memory lines show which category each stage divided by 4.",
    ].join("\n\n"),
    zh: [
      "大模型训练面临的第一个挑战是**内存墙**：光是模型状态就放不进一台设备。用 Adam 做混合精度训练时，$\\Psi$ 个参数中的每一个都要占用 2 字节 fp16 权重、2 字节 fp16 梯度，以及 $K = 12$ 字节的**优化器状态**（fp32 的主权重副本、Adam 的一阶动量和二阶方差）：共 $(2 + 2 + K)\\Psi = 16\\Psi$ 字节。一个 75 亿参数的模型在存下任何激活之前就需要 120 GB，超过了一块 80 GB GPU 的显存。",
      "数据并行让情况更糟：$N_d$ 台设备每台都存一整份。**ZeRO**（零冗余优化器，Rajbhandari 等，2020）一步步去掉这些冗余副本。**阶段 1** 切分优化器状态：每台设备只保存和更新其中的 $1/N_d$。**阶段 2** 再切分梯度：每台设备只需要自己那一份参数的梯度之和。**阶段 3** 连参数也切分，在前向和反向用到某层权重之前才把它 all-gather 回来。计算表显示哪些模型能放进 64 块 GPU；曲线显示随着设备增加，阶段 1 和阶段 2 分别停在 $4\\Psi$ 和 $2\\Psi$，而阶段 3 持续下降。",
      "代价是通信，但比想象中小。普通数据并行对梯度做 allReduce，也就是一次 reduce-scatter 加一次 allGather：每台设备约发送 $2\\Psi$ 个元素。阶段 1 和阶段 2 的通信量同样是 $2\\Psi$：对梯度做 **reduce-scatter**，每台设备得到自己那一份的梯度之和，用 Adam 更新这一份，再对更新后的参数做 **allGather** 拼回完整模型。只有阶段 3 通信更多，为 $3\\Psi$（1.5 倍），因为参数要 all-gather 两次，前向一次、反向一次。",
      "模型状态只是内存墙的一半；另一半是反向传播需要的**激活**，它随在途的 token 数增长。对宽度为 $h$、有 $a$ 个头的 GPT 层，一个包含 $b$ 条长度为 $s$ 的序列的微批次，在 16 位精度下保留 $34\\,sbh + 5\\,as^2b$ 字节（Korthikanti 等，2022）：第一项是层的输入、投影和 MLP 激活，第二项是注意力分数，它随序列长度的**平方**增长。75 亿参数的模型（36 层）一条 2048 个 token 的序列就要保留 34 GB，比它在 64 块 GPU 上用 ZeRO-2 时的模型状态还多。**重计算**用计算换显存：**选择性**重计算丢掉 $as^2b$ 的分数，在反向时重新计算（代价小：不涉及与权重的矩阵乘法）；**完全**重计算只保留每层的输入 $2sbh$，反向时重跑整个前向（计算量约多三分之一）。调节序列长度和重计算旋钮：那一行告诉你模型状态加激活是否放得下，曲线则显示二次曲线如何被压平成直线。",
      "第二堵墙是**计算墙**。在 $T$ 个 token 上训练约需 $6\\Psi T$ 次浮点运算（每个参数每个 token 前向 2 次，反向 4 次）。1750 亿参数的模型训练 GPT-3 的 3000 亿 token 需要 $3.15 \\times 10^{23}$ 次浮点运算：在 64 块 A100 上以峰值 312 TFLOP/s 的 45 % 运行，要一年以上，所以这样的模型要在数千块 GPU 上训练（第 56 课做了规划）。第三堵是**调优墙**：有数千块 GPU 时，切分模型的方式有数百种（张量、流水线和数据并行，微批次，ZeRO 阶段，重计算），多数显存不足或无法整除，而能运行的方案速度相差两倍以上；真实运行一次试验就要花费许多 GPU·天。示例让 `dist.searchPlans` 为旋钮所选 GPU 数上的 75 亿参数模型搜索：它用闭式公式在几毫秒内为每个方案计价。",
      "ZeRO 改变的是状态存放在哪里，而不是计算什么：每台设备上的那一份参数得到的 Adam 更新，与单设备训练完全相同。后半部分在 4 块模拟 GPU 上用每个阶段训练一个小 MLP，并与单设备上的普通 Adam 对照；参数在舍入误差内一致，显存那几行显示了每个阶段把哪一类状态除以了 4。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console's calculator table (✓ fits in an A100's 80 GiB, ✗ does not), the activations with the knobs' sequence length and recomputation, the compute wall in days and the tuning wall's plan counts; the Plots panel: memory per device against the device count, and activations against the sequence length per recompute mode; the Cluster panel's memory bars for each stage (pick a run in the Timeline menu).",
    zh: "控制台的计算表（✓ 表示放得进 A100 的 80 GiB，✗ 表示放不进），旋钮所选序列长度和重计算方式下的激活，以天计的计算墙和调优墙的方案数；绘图面板：每台设备的显存随设备数的变化，以及各重计算方式下激活随序列长度的变化；集群面板中每个阶段的显存条（在时间线菜单中选择一次运行）。",
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
    {
      tex: "A_\\text{none} = L\\,(34\\,sbh + 5\\,a s^2 b), \\qquad A_\\text{selective} = 34\\,L\\,sbh, \\qquad A_\\text{full} = 2\\,L\\,sbh",
      line: "return model.layers * dist.layerActivationBytes(model, 1, 1, false, r);",
      label: {
        en: "activation bytes of L layers (16-bit, no tensor parallelism; Korthikanti et al. 2022)",
        zh: "L 层的激活字节数（16 位，无张量并行；Korthikanti 等，2022）",
      },
    },
    {
      tex: "C \\approx 6\\,\\Psi\\,T, \\qquad t = \\frac{C}{N_d \\cdot F_\\text{peak} \\cdot \\text{MFU}}",
      line: "const days = flops / (nd * peak * 0.45) / 86400;",
      label: { en: "the compute wall: training FLOPs and days", zh: "计算墙：训练浮点运算量和天数" },
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
    "1b. The other half of the memory wall: activations, which grow with the sequence length (the": "1b. 内存墙的另一半：激活，它随序列长度增长（注意力",
    "attention scores as its square) and shrink with recomputation (Korthikanti et al. 2022).":
      "分数随其平方增长），并因重计算而减少（Korthikanti 等，2022）。",
    "1c. The compute wall: training FLOPs ≈ 6·N·T, and how long Nd A100s take at 45 % of their peak.":
      "1c. 计算墙：训练浮点运算量 ≈ 6·N·T，以及 Nd 块 A100 以峰值的 45 % 运行需要多久。",
    "1d. The tuning wall: the ways to cut one model over Nd GPUs, each a different speed, most of":
      "1d. 调优墙：把一个模型切分到 Nd 块 GPU 上的各种方式，速度各不相同，大多数",
    "them wrong (out of memory or not dividing); a search prices them in closed form, not in GPU-days.":
      "行不通（显存不足或无法整除）；搜索用闭式公式为它们计价，而不是花费 GPU·天。",
    "Made after the cluster, so on its host (CPU) backend; seeded, so every stage sees the same batch.":
      "在集群之后创建，所以位于它的主机（CPU）后端；固定随机种子，所以每个阶段看到同一批数据。",
  },
});
