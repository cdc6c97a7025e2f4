import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Transformer and mixture-of-experts costs", zh: "Transformer 与混合专家（MoE）的开销" },
  body: {
    en: [
      "Large models are built from two structures, and their costs can be counted by hand. A **Transformer block** of width $d$ has about $12d^2$ parameters: $4d^2$ in attention's query, key, value and output projections, $8d^2$ in the MLP ($d \\to 4d \\to d$). Its forward pass over $B$ sequences of $T$ tokens costs $2$ FLOPs per weight per token, $24BTd^2$, plus $4BT^2d$ for the attention scores $QK^\\top$ and their product with $V$. The example traces a real block into a graph and counts the matmul FLOPs of that graph: they equal the formula exactly.",
      "Scaled up with the same formulas, a GPT-3-sized model (96 blocks, $d = 12288$) has $12Ld^2 \\approx 174$ B parameters, needs $16\\Psi \\approx 2.8$ TB of model state for mixed-precision Adam training (lesson 40), and about $0.36$ TFLOP per token for the forward pass alone. This is why large-model training is counted in parameters and FLOPs per token, and why it needs a cluster.",
      "A **mixture of experts** (MoE) grows the parameters without growing the compute: the MLP is replaced by $E$ expert MLPs and a **gate** that sends each token to its top-1 expert, $e(x) = \\arg\\max_e \\operatorname{softmax}(W_g x)_e$, scaling that expert's output by the gate probability. Parameters grow $E$-fold while each token still pays for one MLP. GShard and Mixtral send each token to its top-$k$ experts instead ($k = 2$), weighting their outputs by the chosen probabilities renormalized to sum to 1: `topK: 2` does that here, and each token pays for $k$ MLPs and takes $k$ slots, so the capacity below becomes $\\lceil f \\cdot n k / E \\rceil$.",
      "With **expert parallelism** the experts live on different devices (here 8 experts on 4 GPUs, 2 each). Each device routes its own tokens; a first **allToAll** (dispatch) carries every token to the device of its expert, the experts run, and a second allToAll (combine) brings the outputs back. The exchange needs fixed-size buffers, so each expert takes at most a **capacity** of $C = \\lceil f \\cdot n / E \\rceil$ tokens from each device's $n$ tokens, for a capacity factor $f$; tokens past it are **dropped** (they get no expert output; in a full Transformer the residual connection carries them on). A larger $f$ drops fewer tokens but sends and computes more padding. The dropped tokens come from an unbalanced gate: section 4 fixes that.",
      "Training with factor 1.25 on 4 GPUs equals the same MoE layer on one device with the same per-device capacity rule, to float rounding (about $10^{-8}$): each device runs its own replica of the gate, and an allReduce sums the replicas' gradients in another order than one device adds them. The Cluster panel's timeline shows the whole step: the gate, the dispatch allToAll, the experts, the combine allToAll, the same in reverse for backward, then the gate's allReduce and the optimizer step. Lesson 56's planner costs exactly this layer (`layerKind: \"ffn\"` with the capacity factor: no attention, $E \\cdot C$ slots per device, padding included), and its memory and step time equal the simulation's.",
      "A gate left alone need not spread the tokens: here they share a common direction, and the untrained gate sends almost half of them to one expert, which would drop most of them at any practical capacity. Switch Transformer (Fedus et al. 2022, eqs. 4–6) adds an **auxiliary load-balancing loss** $\\mathcal{L}_\\text{aux} = \\alpha \\cdot E \\cdot \\sum_i f_i P_i$, where $f_i$ is the share of the batch's tokens whose top-1 expert is $i$ and $P_i$ the mean gate probability of expert $i$. $f_i$ is an argmax and has no gradient; $P_i$ has one, $\\partial \\mathcal{L}_\\text{aux} / \\partial z_{tj} = \\tfrac{\\alpha E}{T} p_{tj}(f_j - \\sum_i f_i p_{ti})$, which takes probability away from the experts that already get more than their share. The loss is $\\alpha$ for an even gate ($f_i = P_i = 1/E$) and $\\alpha E$ when one expert takes everything. The example trains the same layer with $\\alpha = 0$ and with the knob's $\\alpha$ (the paper uses $0.01$ beside a language-model loss; this toy's MSE is larger, so the knob starts at $0.1$) and prints the tokens per expert before and after: without the loss the load stays piled up, with it the experts share the tokens. Too large an $\\alpha$ trades the task for balance: try $0.5$.",
    ].join("\n\n"),
    zh: [
      "大模型由两种结构搭成，它们的开销都可以手算。宽度为 $d$ 的 **Transformer 块**约有 $12d^2$ 个参数：注意力的 query、key、value 和输出投影共 $4d^2$，MLP（$d \\to 4d \\to d$）占 $8d^2$。对 $B$ 条长度为 $T$ 的序列做前向，每个 token 的每个权重花 2 次浮点运算，共 $24BTd^2$，再加上注意力分数 $QK^\\top$ 及其与 $V$ 相乘的 $4BT^2d$。示例把一个真实的块追踪成计算图，统计图中矩阵乘法的 FLOPs：与公式完全相等。",
      "用同样的公式放大到 GPT-3 的规模（96 个块，$d = 12288$），参数量为 $12Ld^2 \\approx 1740$ 亿，混合精度 Adam 训练需要 $16\\Psi \\approx 2.8$ TB 的模型状态（见第 40 课），仅前向每个 token 就要约 $0.36$ TFLOP。这就是大模型训练以参数量和每 token FLOPs 来衡量、并且离不开集群的原因。",
      "**混合专家**（MoE）让参数增长而计算量不变：把 MLP 换成 $E$ 个专家 MLP 和一个**门控网络**，门控把每个 token 发给得分最高（top-1）的专家，$e(x) = \\arg\\max_e \\operatorname{softmax}(W_g x)_e$，并用门控概率缩放该专家的输出。参数增加到 $E$ 倍，而每个 token 仍只付一个 MLP 的计算。GShard 和 Mixtral 则把每个 token 发给得分最高的 $k$ 个专家（$k = 2$），用被选中专家的概率重新归一化（和为 1）后加权它们的输出：这里传 `topK: 2` 即可，此时每个 token 付 $k$ 个 MLP 的计算、占 $k$ 个槽位，下面的容量变为 $\\lceil f \\cdot n k / E \\rceil$。",
      "**专家并行**把专家放在不同设备上（这里 8 个专家分在 4 块 GPU 上，每块 2 个）。每台设备为自己的 token 做路由；第一次 **allToAll**（分发）把每个 token 送到其专家所在的设备，专家计算完后，第二次 allToAll（合并）把输出送回。交换需要固定大小的缓冲区，所以对容量因子 $f$，每个专家从每台设备的 $n$ 个 token 中最多接收 $C = \\lceil f \\cdot n / E \\rceil$ 个，即**容量**；超出的 token 被**丢弃**（得不到专家输出；在完整的 Transformer 中由残差连接把它们原样传下去）。$f$ 越大丢弃越少，但要发送和计算的填充也越多。丢弃源于门控不均衡：第 4 部分来解决它。",
      '在 4 块 GPU 上以因子 1.25 训练，与在单设备上按相同的每设备容量规则运行同一个 MoE 层一致，差别只在浮点舍入（约 $10^{-8}$）：每台设备运行自己的门控副本，各副本的梯度由 allReduce 求和，求和顺序与单设备累加的顺序不同。集群面板的时间线给出完整的一步：门控、分发 allToAll、专家计算、合并 allToAll，反向时按相反顺序再走一遍，最后是门控梯度的 allReduce 和优化器更新。第 56 课的规划器可以精确地为这一层估算开销（`layerKind: "ffn"` 加上容量因子：没有注意力，每台设备 $E \\cdot C$ 个槽位，填充也算在内），其显存和单步时间与模拟结果相等。',
      "门控网络自己并不会把 token 分均匀：这里的 token 有一个共同的方向，未训练的门控把将近一半的 token 发给同一个专家，在任何实际的容量下大部分都会被丢弃。Switch Transformer（Fedus 等，2022，式 4–6）加入一个**辅助负载均衡损失** $\\mathcal{L}_\\text{aux} = \\alpha \\cdot E \\cdot \\sum_i f_i P_i$，其中 $f_i$ 是这一批 token 中 top-1 专家为 $i$ 的比例，$P_i$ 是专家 $i$ 的平均门控概率。$f_i$ 来自 argmax，没有梯度；$P_i$ 有梯度，$\\partial \\mathcal{L}_\\text{aux} / \\partial z_{tj} = \\tfrac{\\alpha E}{T} p_{tj}(f_j - \\sum_i f_i p_{ti})$，它把概率从已经分得过多 token 的专家那里拿走。门控均匀时（$f_i = P_i = 1/E$）损失为 $\\alpha$，一个专家包揽全部 token 时为 $\\alpha E$。示例分别用 $\\alpha = 0$ 和旋钮给出的 $\\alpha$ 训练同一层（论文在语言模型损失旁用 $0.01$；这个小例子的 MSE 更大，所以旋钮从 $0.1$ 开始），并打印训练前后每个专家分到的 token 数：没有这个损失时负载仍然堆在少数专家上，加上它之后各专家分担了 token。$\\alpha$ 太大则会为了均衡牺牲任务本身：试试 $0.5$。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the traced block's FLOPs against the formula, the GPT-3 estimate, the capacity and the dropped tokens per factor, the tokens per expert before and after training with and without the load-balancing loss; the Plots panel: dropped tokens against the capacity factor, the training losses, and the imbalance E·Σ fᵢ·Pᵢ per step for α = 0 and the knob's α; the Cluster panel's timeline: the dispatch and combine allToAlls, then the allReduce of the gate's gradients.",
    zh: "控制台：追踪所得的 FLOPs 与公式的对照、GPT-3 规模的估算、每个因子下的容量和丢弃的 token 数，以及有无负载均衡损失时训练前后每个专家的 token 数；绘图面板：丢弃比例随容量因子的变化、训练损失，以及 α = 0 和旋钮所选 α 下每步的不均衡度 E·Σ fᵢ·Pᵢ；集群面板的时间线：分发和合并两次 allToAll，然后是门控梯度的 allReduce。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "\\Psi_\\text{block} \\approx \\underbrace{4d^2}_{\\text{attention}} + \\underbrace{8d^2}_{\\text{MLP}} = 12d^2",
      line: "12d² = ${12 * d * d}",
      label: { en: "parameters of one Transformer block (without biases and norms)", zh: "一个 Transformer 块的参数量（不计偏置和归一化）" },
    },
    {
      tex: "F_\\text{forward} = 24\\,B T d^2 + 4\\,B T^2 d",
      line: "24 * B * T * d * d + 4 * B * T * T * d",
      label: { en: "forward matmul FLOPs of one block", zh: "一个块前向的矩阵乘法 FLOPs" },
    },
    {
      tex: "\\Psi \\approx 12\\,L\\,d^2, \\qquad M = 16\\,\\Psi, \\qquad \\frac{F}{\\text{token}} = (24d^2 + 4Td)\\,L",
      line: "const bigParams = 12 * big.d ** 2 * big.layers;",
      label: { en: "a model of L blocks", zh: "L 个块的模型" },
    },
    {
      tex: "e(x) = \\arg\\max_e \\operatorname{softmax}(W_g x)_e, \\qquad y = \\operatorname{softmax}(W_g x)_{e(x)} \\cdot \\text{Expert}_{e(x)}(x)",
      line: "new dist.ExpertParallelMoE(m.gate, m.experts, c.devices",
      label: { en: "top-1 gate", zh: "top-1 门控" },
    },
    {
      tex: "C = \\Big\\lceil \\frac{f \\cdot n}{E} \\Big\\rceil",
      line: "capacity ${r.capacity} tokens per expert per device",
      label: { en: "expert capacity per device (n tokens per device, E experts, factor f)", zh: "每台设备上的专家容量（每台 n 个 token，E 个专家，因子 f）" },
    },
    {
      tex: "\\mathcal{L}_\\text{aux} = \\alpha \\cdot E \\cdot \\sum_{i=1}^{E} f_i\\,P_i, \\qquad f_i = \\frac{1}{T}\\sum_x \\mathbb{1}[e(x) = i], \\qquad P_i = \\frac{1}{T}\\sum_x p_i(x)",
      line: "const lb = dist.loadBalancingLoss(m.gate.forward(skewed), { alpha: 1 });",
      label: {
        en: "Switch Transformer's load-balancing loss (α = 1 here: the imbalance; the step multiplies it by the knob's α)",
        zh: "Switch Transformer 的负载均衡损失（这里 α = 1，即不均衡度；训练时再乘以旋钮给出的 α）",
      },
    },
  ],
  comments: {
    "1. One real Transformer block: count its parameters, and its forward FLOPs from the traced graph.":
      "1. 一个真实的 Transformer 块：统计它的参数量，以及从追踪得到的计算图中统计前向 FLOPs。",
    "Scaled up with the same formulas: a GPT-3-sized model (96 blocks, d = 12288, 2048 tokens).":
      "用同样的公式放大：GPT-3 规模的模型（96 个块，d = 12288，2048 个 token）。",
    "2. A mixture of 8 experts on 4 simulated GPUs (2 experts each), top-1 gate. The cluster comes":
      "2. 在 4 块模拟 GPU 上的 8 专家混合（每块 2 个专家），top-1 门控。先创建",
    "first: it computes on the host, so it makes the CPU the default backend for what follows.": "集群：它在主机上计算，因此让 CPU 成为后续代码的默认后端。",
    "3. Training with factor 1.25 equals the same layer on one device with the same capacity rule.":
      "3. 以因子 1.25 训练，与单设备上采用相同容量规则的同一层完全一致。",
    "4. The load-balancing loss (Switch Transformer): α·E·Σ fᵢ·Pᵢ, on tokens that share a common":
      "4. 负载均衡损失（Switch Transformer）：α·E·Σ fᵢ·Pᵢ，作用在有一个共同方向的 token 上，",
    "direction, so the untrained gate sends most of them to one expert.": "因此未训练的门控会把其中大部分发给同一个专家。",
    "With α = 1 the loss is the imbalance itself: 1 for an even gate, E when one expert takes every token.":
      "α = 1 时损失就是不均衡度本身：门控均匀时为 1，一个专家包揽所有 token 时为 E。",
  },
});
