import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "AD challenges: Hessians, higher order, and memory (checkpointing)", zh: "自动微分的挑战：Hessian、高阶导数与内存（重计算）" },
  body: {
    en: `Automatic differentiation — challenges and what frameworks do about them.

**Higher order.** Derivatives compose: \`hessian\` is forward-over-reverse, $H = J(\\nabla f)$, and \`grad(grad(grad(f)))\` gives the third derivative. But each order differentiates the *program* of the previous derivative, and that program grows: count the ops per order.

**Memory.** Reverse mode must keep every intermediate the backward needs — for a layer $h_{i+1} = \\tanh(h_i W_i)$, the input $h_i$ (for the matmul's gradient) and the output (for $\\tanh' = 1 - \\tanh^2$). These **activations** grow with depth and batch; the weights stay in memory anyway. **Checkpointing** (recomputation) keeps only each block's input and recomputes the inside during backward: fewer saved activations, more compute, the same gradients.`,
    zh: `自动微分：面临的挑战，以及框架的应对办法。

**高阶导数。** 导数可以组合：\`hessian\` 是“反向之上再做前向”，$H = J(\\nabla f)$；\`grad(grad(grad(f)))\` 给出三阶导数。但每一阶都是在对上一阶导数的*程序*求导，而这个程序会越来越大：数一数每阶的算子数量。

**内存。** 反向模式必须保留反向传播需要的每个中间结果——对于一层 $h_{i+1} = \\tanh(h_i W_i)$，要保存输入 $h_i$（用于矩阵乘法的梯度）和输出（用于 $\\tanh' = 1 - \\tanh^2$）。这些**激活值**随网络深度和批大小增长；而权重无论如何都常驻内存。**重计算**（checkpointing）只保存每个块的输入，在反向传播时重新计算块内部：保存的激活值更少，计算量更多，梯度完全相同。`,
  },
  lookAt: {
    en: "the Console (Hessian vs closed form, ops per derivative order, activations saved for backward with and without checkpoint); the Plots panel for tanh and its first three derivatives; the Tape panel: the run's last tape, the first layer's forward (matmul, tanh) recomputed by its checkpoint during backward",
    zh: "控制台（hessian() 与解析式的对比、各阶导数的算子数、使用与不使用重计算时为反向保存的激活值）；“图表”面板中的 tanh 及其前三阶导数；“Tape”面板：本次运行最后一条 tape，第一层的前向（matmul、tanh）在反向传播时被重新计算",
  },
  panel: "plots",
  formulas: [
    {
      tex: "H = \\begin{bmatrix} 2b & 2a & 0 \\\\ 2a & -c^2 \\sin bc & \\cos bc - bc \\sin bc \\\\ 0 & \\cos bc - bc \\sin bc & -b^2 \\sin bc \\end{bmatrix}",
      line: "const closed = [",
      label: { en: "Hessian of f(a, b, c) = a²b + sin(bc), by hand", zh: "f(a, b, c) = a²b + sin(bc) 的 Hessian，手推" },
    },
    { tex: "H = J(\\nabla f)", line: 'jit(hessian(f), { name: "hessian" })', label: { en: "forward-over-reverse", zh: "反向之上再做前向" } },
    {
      tex: "\\tanh''' x = (6t^2 - 2)(1 - t^2), \\quad t = \\tanh x",
      line: "(6 * t * t - 2) * (1 - t * t)",
      label: { en: "closed form of the third derivative", zh: "三阶导数的解析式" },
    },
    {
      tex: "h_{i+1} = \\tanh(h_i W_i)",
      line: "h.matmul(Ws[i]!).tanh()",
      label: { en: "one layer", zh: "一层" },
    },
    {
      tex: "h_{i+2} = \\tanh(\\tanh(h_i W_i)\\, W_{i+1})",
      line: "h = useCheckpoint ? checkpoint(block(i))(h) : block(i)(h);",
      label: {
        en: "checkpointed block of two layers: only h_i is saved, the inside is recomputed in backward",
        zh: "两层一块做重计算：只保存 h_i，块内部在反向时重新计算",
      },
    },
  ],
  comments: {
    "---------------------------------------------------------------- 1. the Hessian":
      "---------------------------------------------------------------- 1. Hessian 矩阵",
    "f(a, b, c) = a²·b + sin(b·c). Its Hessian by hand:": "f(a, b, c) = a²·b + sin(b·c)。手推的 Hessian：",
    "[ 2b   2a                  0               ]": "[ 2b   2a                  0               ]",
    "[ 2a   −c² sin(bc)         cos(bc) − bc sin(bc) ]": "[ 2a   −c² sin(bc)         cos(bc) − bc sin(bc) ]",
    "[ 0    cos(bc) − bc sin(bc)  −b² sin(bc)      ]": "[ 0    cos(bc) − bc sin(bc)  −b² sin(bc)      ]",
    "---------------------------------------------------------------- 2. higher order: tanh":
      "---------------------------------------------------------------- 2. 高阶导数：tanh",
    "Summing first makes each level a scalar function whose gradient is the elementwise derivative.": "先求和，使每一阶都是标量函数，其梯度就是逐元素的导数。",
    "Each order differentiates the program of the previous one: count its ops.": "每一阶都对上一阶的程序求导：数一数它的算子。",
    "Check the third derivative at 0.5 against the closed form (6t² − 2)(1 − t²), t = tanh x.":
      "在 0.5 处把三阶导数与解析式 (6t² − 2)(1 − t²)（t = tanh x）对比。",
    "---------------------------------------------------------------- 3. memory vs recomputation":
      "---------------------------------------------------------------- 3. 内存与重计算",
    "A deep stack of tanh layers. Backward needs each layer's input (for matmul) and output (for tanh);":
      "一个很深的 tanh 层堆叠。反向传播需要每层的输入（用于 matmul）和输出（用于 tanh）；",
    "the output of one layer is the input of the next, so without checkpointing every hidden state is":
      "一层的输出就是下一层的输入，所以不做重计算时，每个隐藏状态都要",
    "kept. Checkpointing a block of layers keeps only the block's input and recomputes the rest.":
      "保留。对一块层做重计算只保留这一块的输入，其余部分在反向时重新计算。",
    "What checkpointing changes: the activations autograd keeps until backward (each tensor once, even":
      "重计算改变的是：自动微分保留到反向传播的激活值（每个张量只算一次，即使",
    "when two ops save it). The weights are saved by every matmul too, but they stay in memory anyway.":
      "有两个算子保存了它）。每个 matmul 也保存了权重，但权重无论如何都留在内存中。",
    "Count the forward ops recomputed during backward (each one is recorded again as it runs).":
      "统计反向传播中被重新计算的前向算子（每个在运行时会被再次记录）。",
  },
});
