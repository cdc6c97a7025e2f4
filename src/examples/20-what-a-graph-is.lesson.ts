import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "What a graph is: values, ops and edges", zh: "什么是计算图：值、算子与边" },
  body: {
    en: `Computation graphs — what a graph is. \`jit\` runs a function once on **abstract tensors** (shape and dtype, no data) and records every op it meets as a **node**; the tensors flowing between ops are the **edges**, each with its shape. For this tiny layer

$$h = \\operatorname{relu}(xW + b), \\qquad \\text{out}_i = \\sum_j h_{ij},$$

with $x \\in \\mathbb{R}^{8 \\times 4}$ and $W \\in \\mathbb{R}^{4 \\times 3}$, the graph is: matmul → add (broadcasting $b$) → relu → sum.

The recorded graph is compiled once per **input signature** (shapes and dtypes): calling again with the same shapes reuses it, and new shapes retrace — the Graph panel says why. The same graph also prints as text, one line per op, like JAX's jaxpr.`,
    zh: `计算图：什么是计算图。\`jit\` 先在**抽象张量**（只有形状和数据类型，没有数据）上运行一遍函数，把遇到的每个算子记录为一个**节点**；在算子之间流动的张量就是**边**，每条边都带有形状。对于这个小小的层

$$h = \\operatorname{relu}(xW + b), \\qquad \\text{out}_i = \\sum_j h_{ij},$$

其中 $x \\in \\mathbb{R}^{8 \\times 4}$，$W \\in \\mathbb{R}^{4 \\times 3}$，计算图就是：matmul → add（广播 $b$）→ relu → sum。

记录下来的图按**输入签名**（形状和数据类型）各编译一次：用相同形状再次调用时直接复用，形状变了就重新追踪——“计算图”面板会说明原因。同一张图也能打印成文本，每行一个算子，类似 JAX 的 jaxpr。`,
  },
  lookAt: {
    en: "the Graph panel: click a node to find its line; IR text for the same graph as text; Stats for nodes, kernels and memory",
    zh: "“计算图”面板：点击节点可找到对应的代码行；IR 文本页以文本形式显示同一张图；统计页显示节点数、内核数和内存",
  },
  panel: "graph",
  formulas: [
    { tex: "z = xW + b", line: "const z = x.matmul(w).add(b);", label: { en: "matmul, then a broadcast add", zh: "矩阵乘法，然后是广播加法" } },
    { tex: "h = \\max(z, 0)", line: "const h = z.relu();", label: { en: "elementwise", zh: "逐元素" } },
    { tex: "\\text{out}_i = \\sum_j h_{ij}", line: "return h.sum(1);", label: { en: "a reduction over the last axis", zh: "沿最后一维归约" } },
  ],
  comments: {
    "The toolbar's Graph switch does this too: in graph mode `jit` traces instead of running eagerly.":
      "工具栏的 Graph 开关做的也是这件事：在图模式下 `jit` 会追踪，而不是即时执行。",
    "A tiny layer. Called with real tensors, jit first *traces* it: every op is recorded as a node":
      "一个小小的层。用真实张量调用时，jit 先*追踪*它：每个算子被记录为图中的一个节点，",
    "of a graph, with the shape and dtype of what it produces (the edges), but nothing is computed.":
      "并带有其输出的形状和数据类型（即边），但此时并不进行任何计算。",
    "matmul, then a broadcast add": "矩阵乘法，然后是广播加法",
    elementwise: "逐元素运算",
    "a reduction over the last axis": "沿最后一维归约",
    "The second call with the same shapes reuses the compiled graph: no new trace.": "第二次用相同形状调用时复用已编译的图：不会重新追踪。",
    "New shapes are a new signature: jit traces again, and the Graph panel says why.": "新的形状就是新的签名：jit 会重新追踪，“计算图”面板会说明原因。",
    "The same graph as text (jaxpr-like): one line per op, %n are the values.": "同一张图的文本形式（类似 jaxpr）：每行一个算子，%n 表示各个值。",
  },
});
