import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "The large models of 2020–2024, counted", zh: "2020–2024 年的大模型，逐一清点" },
  body: {
    en: [
      "Every large model of the last years is a stack of the same Transformer layers; they differ in how wide and deep the stack is, how attention shares its keys and values, and whether the MLP is one network or many experts. This lesson takes each model's **published configuration** (the planner's presets, each citing its paper or model card) and lets the library count it: the parameters from the layer shapes, the training compute from the tokens it saw. The table's percentage is how far the count is from the published figure: all six are within 0.3 %.",
      "A dense layer of width $h$ has attention $h(q + 2\\,n_{kv} d_h) + q h$ for $q = n_h d_h$ query dims ($4h^2$ when every head has its own keys and values) and an MLP of $2hf$ (GPT: $f = 4h$, so $12h^2$ per layer with attention) or $3hf$ for the gated SwiGLU of PaLM and LLaMA. The variations show in the table: **GPT-3** (2020, 175 B) is the plain recipe; **PaLM** (2022, 540 B) uses multi-query attention (one key/value head, $n_{kv} = 1$), so attention is only 10 % of its parameters; **LLaMA 2/3** use grouped-query attention with 8 key/value heads and a vocabulary that grows to 128 k; **Mixtral** (8 experts, top-2) and **DeepSeek-V3** (256 routed experts, top-8, plus one shared expert, and multi-head latent attention that compresses keys and values to rank 512) are mixtures of experts whose experts hold 97–98 % of the parameters.",
      "That is why a mixture of experts has two sizes. Training compute follows the **active** parameters a token uses, $C \\approx 6 N_\\text{active} T$: 2 FLOPs per parameter per token forward and 4 backward (lesson 56). DeepSeek-V3 holds 671 B parameters but each token touches 37 B, so its 14.8 T tokens cost $3.3 \\times 10^{24}$ FLOPs, about what PaLM's 780 B tokens cost with 540 B dense parameters; LLaMA 3 405B's 15.6 T tokens cost $3.8 \\times 10^{25}$, the figure Meta reports. Divided by a cluster's rate, $N_\\text{GPU} \\cdot F_\\text{peak} \\cdot \\text{MFU}$, that is the training time: turn the knobs to see how many GPUs and how good a utilization each model needed. (DeepSeek reports 2.788 M H800 GPU-hours, which is about 330 TFLOP/s per GPU for the FLOPs counted here.)",
      "The planner costs only models whose layers are all alike; DeepSeek-V3's first three layers are dense and the rest are MoE with latent attention, so `dist.plan` refuses it with that reason, while `dist.resolveModel` still counts it.",
    ].join("\n\n"),
    zh: [
      "近几年的大模型都是同一种 Transformer 层堆叠而成；它们的区别在于堆多宽、多深，注意力如何共享 key 和 value，以及 MLP 是一个网络还是多个专家。本课取每个模型**公开发表的配置**（规划器的预设，每个都注明出处：论文或模型卡），交给库来清点：由各层形状得到参数量，由训练 token 数得到训练计算量。表中的百分比是清点结果与公开数字的偏差：六个模型都在 0.3 % 以内。",
      "宽度为 $h$ 的稠密层，注意力有 $h(q + 2\\,n_{kv} d_h) + q h$ 个参数，其中 $q = n_h d_h$ 是 query 的维数（每个头都有自己的 key 和 value 时为 $4h^2$）；MLP 有 $2hf$ 个参数（GPT：$f = 4h$，所以加上注意力每层 $12h^2$），PaLM 和 LLaMA 的门控 SwiGLU 则为 $3hf$。表中能看到这些变化：**GPT-3**（2020，1750 亿）是最朴素的配方；**PaLM**（2022，5400 亿）使用多查询注意力（只有一个 key/value 头，$n_{kv} = 1$），注意力只占其参数的 10 %；**LLaMA 2/3** 使用 8 个 key/value 头的分组查询注意力，词表增长到 128 k；**Mixtral**（8 个专家，top-2）和 **DeepSeek-V3**（256 个路由专家，top-8，外加一个共享专家，以及把 key 和 value 压缩到秩 512 的多头潜在注意力）是混合专家模型，专家占了 97–98 % 的参数。",
      "所以混合专家模型有两个规模。训练计算量取决于每个 token 用到的**激活**参数，$C \\approx 6 N_\\text{active} T$：每个参数每个 token 前向 2 次浮点运算、反向 4 次（见第 56 课）。DeepSeek-V3 有 6710 亿参数，但每个 token 只用到 370 亿，所以它的 14.8 T 个 token 花费 $3.3 \\times 10^{24}$ 次浮点运算，与 PaLM 用 5400 亿稠密参数训练 7800 亿 token 的花费相当；LLaMA 3 405B 的 15.6 T 个 token 花费 $3.8 \\times 10^{25}$ 次，正是 Meta 报告的数字。除以集群的速率 $N_\\text{GPU} \\cdot F_\\text{peak} \\cdot \\text{MFU}$ 就是训练时间：调节旋钮，看看每个模型需要多少 GPU、多高的利用率。（DeepSeek 报告用了 278.8 万 H800 GPU 小时，按这里统计的浮点运算量，相当于每块 GPU 约 330 TFLOP/s。）",
      "规划器只能估算各层完全相同的模型；DeepSeek-V3 的前三层是稠密层，其余是带潜在注意力的 MoE 层，因此 `dist.plan` 会给出这个理由并拒绝它，而 `dist.resolveModel` 仍能清点它的参数。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: each model's configuration, its counted parameters against the published count, its active parameters and where the parameters sit; then each model's training FLOPs and days on the knobs' cluster. The Plots panel: parameters (total and active) and training FLOPs against the year, on a log scale.",
    zh: "控制台：每个模型的配置、清点出的参数量与公开数字的对比、激活参数量以及参数分布在哪里；然后是每个模型的训练浮点运算量，以及在旋钮所选集群上所需的天数。绘图面板：参数量（总量与激活量）和训练浮点运算量随年份的变化（对数刻度）。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "\\Psi_\\text{layer} = \\underbrace{h\\,(q + 2\\,n_{kv} d_h) + q\\,h}_{\\text{attention},\\ q = n_h d_h} + \\underbrace{3\\,h f}_{\\text{SwiGLU}} \\cdot (E + E_\\text{shared})",
      line: "const m = dist.resolveModel(dist.modelConfig(s.preset));",
      label: { en: "parameters of one layer (GPT: 2hf plus biases; E = 1 for a dense MLP)", zh: "一层的参数量（GPT：2hf 加偏置；稠密 MLP 时 E = 1）" },
    },
    {
      tex: "C \\approx 6\\,N_\\text{active}\\,T",
      line: "const flops = 6 * active * s.tokens;",
      label: { en: "training FLOPs: active parameters × tokens", zh: "训练浮点运算量：激活参数量 × token 数" },
    },
    {
      tex: "t = \\frac{C}{N_\\text{GPU} \\cdot F_\\text{peak} \\cdot \\text{MFU}}",
      line: "const days = flops / (gpus * peak * mfu) / 86400;",
      label: { en: "training time on a cluster", zh: "在集群上的训练时间" },
    },
  ],
  comments: {
    "The large models of 2020–2024, each described by its published configuration (the planner's":
      "2020–2024 年的大模型，每个都用其公开发表的配置描述（即规划器的",
    "presets) and counted by the library: parameters from the layer shapes, training FLOPs ≈ 6·N·T.":
      "预设），由库来清点：由各层形状得到参数量，训练浮点运算量 ≈ 6·N·T。",
    "The knobs: the cluster that would train them, and how well it is used (model FLOPs utilization).":
      "旋钮：用来训练它们的集群，以及集群的利用率（模型浮点运算利用率）。",
    "Where the parameters sit: attention and MLP (or experts) of every layer, embeddings and output head.":
      "参数分布在哪里：每层的注意力和 MLP（或专家），以及嵌入和输出头。",
    "2 FLOPs per active parameter per token forward, 4 backward; an MoE token only pays for its experts.":
      "每个激活参数每个 token 前向 2 次浮点运算、反向 4 次；MoE 中的 token 只为它用到的专家付出计算。",
    "Why DeepSeek-V3 cannot go through dist.plan: its layers are not alike (3 dense, 58 MoE with latent attention).":
      "为什么 DeepSeek-V3 无法交给 dist.plan：它的各层并不相同（3 个稠密层，58 个带潜在注意力的 MoE 层）。",
  },
});
