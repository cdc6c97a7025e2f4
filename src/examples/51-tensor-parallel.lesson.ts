import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Tensor parallelism (Megatron-LM)", zh: "张量并行（Megatron-LM）" },
  body: {
    en: [
      "When one layer's weights are too big or too slow for one device, **tensor parallelism** splits each weight matrix itself across $p$ devices. Megatron-LM (Shoeybi et al. 2019) does it so that a Transformer layer needs only a few collectives.",
      "In the **MLP**, the first matrix $A$ is split by output **columns**, $A = [A_1, \\dots, A_p]$: each device computes its slice of the hidden layer $X A_i$, and since GELU acts elementwise it applies it to its slice with no communication. The second matrix $B$ is split by input **rows**, $B = [B_1; \\dots; B_p]$: each device produces a partial result $\\operatorname{GELU}(XA_i)B_i$, and one **allReduce** (Megatron's $g$) adds the partial sums: $Z = \\sum_i \\operatorname{GELU}(XA_i)B_i$. **Attention** is split the same way along its heads: each device holds the query, key and value columns of $h/p$ heads and the matching rows of the output projection, so attention too ends in one allReduce.",
      "In backward the mirror happens: the input $X$ was used by every device, so its gradient is the sum of every device's contribution, one allReduce (Megatron's $f$, the identity in forward). A Transformer layer therefore costs **two allReduces in forward and two in backward**, each of the activations, $B \\cdot T \\cdot d$ elements, not of the weights. They sit on the critical path between compute steps, which is why tensor parallelism lives inside a node, on NVLink.",
      "Each device holds about $1/p$ of the layer's weights (LayerNorms and the row-parallel biases are replicated), so memory shrinks with $p$. The console lists the shard shapes and each allReduce, and training on 4 GPUs matches the unsplit layer on one device to float rounding.",
      "What tensor parallelism does not split are the parts between the blocks: LayerNorm, dropout and the residual add see the **full** output of the allReduce on every device, so their activations, about $10\\,sbh$ bytes per layer for $s$ tokens, $b$ sequences and width $h$, are kept $t$ times over. **Sequence parallelism** (Korthikanti et al. 2022) splits them along the tokens instead. It uses the identity $\\text{allReduce} = \\text{reduceScatter} + \\text{allGather}$: the row-parallel matmul's partial sums are **reduce-scattered** along the sequence, so each device gets the finished sum for its $s/t$ tokens, runs LayerNorm and dropout on just those, and an **allGather** rebuilds the full sequence right where the next column-parallel matmul needs it. The last part does exactly that on the 4 GPUs: the outputs equal the allReduce path, the two collectives send the same bytes as the one allReduce (a ring reduce-scatter and all-gather each move $\\frac{t-1}{t}n$ per device, the all-reduce both), and each device's LayerNorm sees a quarter of the tokens. Then `dist.TensorParallel` with `sequenceParallel: true` trains the whole layer that way on a second cluster: the same loss, an allGather and a reduceScatter where each allReduce was (and one more allGather in backward, as in Megatron: each device kept only its slice of the parallel part's input and gathers it again), and fewer bytes kept per device. For a GPT-3 layer with selective recomputation this takes the activations from $sbh(10 + 24/t)$ to $34\\,sbh/t$: at $t = 8$, from 0.33 GB to 0.11 GB per sequence and layer; turn the knob for $t$.",
    ].join("\n\n"),
    zh: [
      "当一层的权重对一台设备来说太大或算得太慢时，**张量并行**把每个权重矩阵本身切分到 $p$ 台设备上。Megatron-LM（Shoeybi 等，2019）的切法让一个 Transformer 层只需要很少几次集合通信。",
      "在 **MLP** 中，第一个矩阵 $A$ 按输出**列**切分，$A = [A_1, \\dots, A_p]$：每台设备算出隐藏层中属于自己的一片 $X A_i$，GELU 是逐元素的，可以直接作用在这一片上，无需通信。第二个矩阵 $B$ 按输入**行**切分，$B = [B_1; \\dots; B_p]$：每台设备得到部分结果 $\\operatorname{GELU}(XA_i)B_i$，一次 **allReduce**（Megatron 中的 $g$）把部分和加起来：$Z = \\sum_i \\operatorname{GELU}(XA_i)B_i$。**注意力**沿注意力头以同样方式切分：每台设备持有 $h/p$ 个头的 query、key、value 列以及输出投影中对应的行，所以注意力也以一次 allReduce 结束。",
      "反向时情况对称：输入 $X$ 被每台设备用过，它的梯度是各设备贡献之和，需要一次 allReduce（Megatron 中的 $f$，前向时是恒等映射）。因此一个 Transformer 层**前向两次、反向两次 allReduce**，每次传输的是激活，$B \\cdot T \\cdot d$ 个元素，而不是权重。它们位于计算步骤之间的关键路径上，这就是张量并行要放在节点内部、走 NVLink 的原因。",
      "每台设备约持有该层权重的 $1/p$（LayerNorm 和行并行层的偏置在每台设备上都有副本），显存随 $p$ 减小。控制台列出分片的形状和每次 allReduce，4 块 GPU 上的训练与单设备上未切分的层在浮点舍入误差内一致。",
      "张量并行没有切分的是块与块之间的部分：LayerNorm、dropout 和残差相加在每台设备上看到的都是 allReduce 之后的**完整**输出，所以它们的激活（对 $s$ 个 token、$b$ 条序列、宽度 $h$，每层约 $10\\,sbh$ 字节）被重复保存了 $t$ 份。**序列并行**（Korthikanti 等，2022）改为沿 token 维切分它们。它利用恒等式 $\\text{allReduce} = \\text{reduceScatter} + \\text{allGather}$：行并行矩阵乘法的部分和沿序列维做 **reduceScatter**，每台设备得到自己那 $s/t$ 个 token 的完整和，只在这些 token 上做 LayerNorm 和 dropout，再由一次 **allGather** 在下一个列并行矩阵乘法需要的地方拼回完整序列。最后一部分在 4 块 GPU 上正是这样做的：输出与 allReduce 路径相同，两次集合通信发送的字节数与一次 allReduce 相同（环形 reduce-scatter 和 all-gather 每台设备各传 $\\frac{t-1}{t}n$，all-reduce 两者都要），而每台设备的 LayerNorm 只处理四分之一的 token。接着，带 `sequenceParallel: true` 的 `dist.TensorParallel` 在第二个集群上用这种方式训练整层：损失相同，原来每次 allReduce 的位置换成一次 allGather 和一次 reduceScatter（反向时还多一次 allGather，与 Megatron 一样：每台设备只保存了并行部分输入中属于自己的一片，需要再收集一次），每台设备为反向保存的字节更少。对使用选择性重计算的 GPT-3 层，激活从 $sbh(10 + 24/t)$ 降到 $34\\,sbh/t$：$t = 8$ 时每条序列每层从 0.33 GB 降到 0.11 GB；调节旋钮改变 $t$。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the shard shapes, where each allReduce goes and its size, and the difference from single-device training; the Cluster panel's timeline: the g and f allReduces between the compute bars. Then sequence parallelism: the bytes of reduceScatter + allGather against the allReduce, the LayerNorm's input per device, one step of the layer with and without it (the same loss, the collectives in order, the bytes kept per device; the Cluster panel's Timeline source lists both runs), and a GPT-3 layer's activations with and without SP for the knob's t; the Plots panel: those activations against t.",
    zh: "控制台：分片形状、每次 allReduce 的位置和大小，以及与单设备训练的差异；集群面板的时间线：计算条之间的 g 和 f 两种 allReduce。然后是序列并行：reduceScatter + allGather 与 allReduce 的字节数对比、每台设备上 LayerNorm 的输入、这一层有无序列并行时的一步训练（损失相同、集合通信的顺序、每台设备保存的字节数；集群面板的时间线来源列出两次运行），以及旋钮所选 t 下 GPT-3 一层有无序列并行时的激活；绘图面板：这些激活随 t 的变化。",
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
    {
      tex: "\\text{allReduce}(Z_1, \\dots, Z_t) = \\text{allGather}\\big(\\text{reduceScatter}(Z_1, \\dots, Z_t)\\big)",
      line: 'const rs = dist.reduceScatter(partials, { algorithm: "ring" });',
      label: {
        en: "sequence parallelism: the allReduce split in two, LayerNorm in between on s/t tokens",
        zh: "序列并行：把 allReduce 拆成两半，中间在 s/t 个 token 上做 LayerNorm",
      },
    },
    {
      tex: "A_\\text{TP} = sbh\\Big(10 + \\frac{24}{t}\\Big), \\qquad A_\\text{TP+SP} = \\frac{34\\,sbh}{t} \\quad (\\text{selective recomputation})",
      line: 'const bytes = dist.layerActivationBytes(gpt3, 1, t, sp, "selective");',
      label: {
        en: "activation bytes of one layer per device (Korthikanti et al. 2022, Table 2)",
        zh: "每台设备上一层的激活字节数（Korthikanti 等，2022，表 2）",
      },
    },
  ],
  comments: {
    "One Transformer layer (pre-norm): attention block and MLP block, each with a residual.":
      "一个 Transformer 层（前置归一化）：注意力块和 MLP 块，各带一个残差连接。",
    "The tensor-parallel copy: the same weights, cut across the 4 devices.": "张量并行的版本：同样的权重，切分到 4 台设备上。",
    "The single-device reference: the same layer, unsplit.": "单设备参照：同一层，不切分。",
    "Memory in the accounting every strategy shares (mixed precision: 2 bytes per fp16 weight).":
      "按所有策略共用的记账方式统计显存（混合精度：每个 fp16 权重 2 字节）。",
    "Sequence parallelism (Korthikanti et al. 2022) beside Megatron TP: the MLP's partial sums are":
      "序列并行（Korthikanti 等，2022）与 Megatron 张量并行对照：MLP 的部分和",
    "reduce-scattered along the tokens instead of all-reduced, the LayerNorm runs on each device's":
      "沿 token 维做 reduce-scatter 而不是 all-reduce，LayerNorm 在每台设备的",
    "quarter of the tokens, and an allGather rebuilds the full sequence for the next column-parallel matmul.":
      "四分之一 token 上运行，再由 allGather 为下一个列并行矩阵乘法拼回完整序列。",
    "the block's input, B·T tokens (the trained layer's output)": "块的输入，B·T 个 token（训练后这一层的输出）",
    "one partial sum per device": "每台设备一个部分和",
    "Megatron TP: allReduce, then every device normalizes all B·T tokens (the same work, the same memory, 4 times).":
      "Megatron 张量并行：allReduce 之后，每台设备都对全部 B·T 个 token 做归一化（同样的计算、同样的显存，重复 4 份）。",
    "Sequence parallel: reduceScatter along the tokens, LayerNorm on B·T/p tokens per device, allGather.":
      "序列并行：沿 token 维 reduceScatter，每台设备对 B·T/p 个 token 做 LayerNorm，再 allGather。",
    "Bytes that cross links, summed over every transfer of the collective's schedule.": "经过链路的字节数，对集合通信调度中的每次传输求和。",
    "The whole layer with sequence parallelism, on a second cluster: norms and residuals run on T/p positions per":
      "整层使用序列并行，放在第二个集群上：归一化和残差在每台设备的 T/p 个位置上计算，",
    "device, an allGather before each parallel part and a reduceScatter after it replace the allReduces.":
      "每个并行部分之前的 allGather 和之后的 reduceScatter 取代了 allReduce。",
    "At scale: activation memory of one GPT-3 layer (one 2048-token sequence) on t tensor-parallel GPUs, with and without SP.":
      "放大到真实规模：GPT-3 的一层（一条 2048 个 token 的序列）在 t 块张量并行 GPU 上有无序列并行时的激活显存。",
  },
});
