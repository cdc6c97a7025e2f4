import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Tensor parallelism (Megatron-LM)", zh: "张量并行（Megatron-LM）" },
  body: {
    en: [
      "When one layer's weights are too big or too slow for one device, **tensor parallelism** splits each weight matrix itself across $p$ devices. Megatron-LM (Shoeybi et al. 2019) does it so that a Transformer layer needs only a few collectives.",
      "In the **MLP**, the first matrix $A$ is split by output **columns**, $A = [A_1, \\dots, A_p]$: each device computes its slice of the hidden layer $X A_i$, and since GELU acts elementwise it applies it to its slice with no communication. The second matrix $B$ is split by input **rows**, $B = [B_1; \\dots; B_p]$: each device produces a partial result $\\operatorname{GELU}(XA_i)B_i$, and one **allReduce** (Megatron's $g$) adds the partial sums: $Z = \\sum_i \\operatorname{GELU}(XA_i)B_i$. **Attention** is split the same way along its heads: each device holds the query, key and value columns of $h/p$ heads and the matching rows of the output projection, so attention too ends in one allReduce.",
      "In backward the mirror happens: the input $X$ was used by every device, so its gradient is the sum of every device's contribution, one allReduce (Megatron's $f$, the identity in forward). A Transformer layer therefore costs **two allReduces in forward and two in backward**, each of the activations, $B \\cdot T \\cdot d$ elements, not of the weights. They sit on the critical path between compute steps, which is why tensor parallelism lives inside a node, on NVLink.",
      "Each device holds about $1/p$ of the layer's weights (LayerNorms and the row-parallel biases are replicated), so memory shrinks with $p$. The console lists the shard shapes and each allReduce, and training on 4 GPUs matches the unsplit layer on one device to float rounding.",
    ].join("\n\n"),
    zh: [
      "当一层的权重对一台设备来说太大或算得太慢时，**张量并行**把每个权重矩阵本身切分到 $p$ 台设备上。Megatron-LM（Shoeybi 等，2019）的切法让一个 Transformer 层只需要很少几次集合通信。",
      "在 **MLP** 中，第一个矩阵 $A$ 按输出**列**切分，$A = [A_1, \\dots, A_p]$：每台设备算出隐藏层中属于自己的一片 $X A_i$，GELU 是逐元素的，可以直接作用在这一片上，无需通信。第二个矩阵 $B$ 按输入**行**切分，$B = [B_1; \\dots; B_p]$：每台设备得到部分结果 $\\operatorname{GELU}(XA_i)B_i$，一次 **allReduce**（Megatron 中的 $g$）把部分和加起来：$Z = \\sum_i \\operatorname{GELU}(XA_i)B_i$。**注意力**沿注意力头以同样方式切分：每台设备持有 $h/p$ 个头的 query、key、value 列以及输出投影中对应的行，所以注意力也以一次 allReduce 结束。",
      "反向时情况对称：输入 $X$ 被每台设备用过，它的梯度是各设备贡献之和，需要一次 allReduce（Megatron 中的 $f$，前向时是恒等映射）。因此一个 Transformer 层**前向两次、反向两次 allReduce**，每次传输的是激活，$B \\cdot T \\cdot d$ 个元素，而不是权重。它们位于计算步骤之间的关键路径上，这就是张量并行要放在节点内部、走 NVLink 的原因。",
      "每台设备约持有该层权重的 $1/p$（LayerNorm 和行并行层的偏置在每台设备上都有副本），显存随 $p$ 减小。控制台列出分片的形状和每次 allReduce，4 块 GPU 上的训练与单设备上未切分的层在浮点舍入误差内一致。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the shard shapes, where each allReduce goes and its size, and the difference from single-device training; the Cluster panel's timeline: the g and f allReduces between the compute bars.",
    zh: "控制台：分片形状、每次 allReduce 的位置和大小，以及与单设备训练的差异；集群面板的时间线：计算条之间的 g 和 f 两种 allReduce。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "Z = \\operatorname{GELU}(XA)\\,B = \\sum_{i=1}^{p} \\operatorname{GELU}(XA_i)\\,B_i, \\qquad A = [A_1, \\dots, A_p],\\; B = \\begin{bmatrix} B_1 \\\\ \\vdots \\\\ B_p \\end{bmatrix}",
      line: "const pMLP = dist.ParallelMLP.fromLinears(fc1, fc2, p);",
      label: { en: "MLP: column-parallel fc1, row-parallel fc2, one allReduce", zh: "MLP：fc1 列并行，fc2 行并行，一次 allReduce" },
    },
    {
      tex: "\\operatorname{Attn}(X) = \\sum_{i=1}^{p} \\operatorname{softmax}\\Big(\\frac{Q_i K_i^\\top}{\\sqrt{d_h}} + M\\Big) V_i\\, W_{O,i}",
      line: "const pAttn = dist.ParallelAttention.fromAttention(attn, p);",
      label: { en: "attention: each device's heads, then one allReduce", zh: "注意力：各设备算自己的头，再做一次 allReduce" },
    },
    {
      tex: "4 \\times \\text{allReduce}(B\\,T\\,d) \\text{ per layer}, \\qquad V = 4 \\cdot 2\\,\\frac{p-1}{p}\\,B\\,T\\,d \\text{ elements sent per device}",
      line: "for (const a of last!.allReduces)",
      label: { en: "communication per layer and step (ring allReduce)", zh: "每层每步的通信量（环形 allReduce）" },
    },
    {
      tex: "M_\\text{weights} \\approx \\frac{2\\,\\Psi}{p} \\text{ bytes (fp16)} + \\text{replicated norms and biases}",
      line: "fp16 weights per device: ${c.devices[0].memory.parameters} B",
      label: { en: "weights per device", zh: "每台设备的权重" },
    },
  ],
  comments: {
    "One Transformer layer (pre-norm): attention block and MLP block, each with a residual.":
      "一个 Transformer 层（前置归一化）：注意力块和 MLP 块，各带一个残差连接。",
    "The tensor-parallel copy: the same weights, cut across the 4 devices.": "张量并行的版本：同样的权重，切分到 4 台设备上。",
    "The single-device reference: the same layer, unsplit.": "单设备参照：同一层，不切分。",
    "Memory in the accounting every strategy shares (mixed precision: 2 bytes per fp16 weight).":
      "按所有策略共用的记账方式统计显存（混合精度：每个 fp16 权重 2 字节）。",
  },
});
