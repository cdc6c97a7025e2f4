import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "The graph and autodiff: forward and generated backward", zh: "计算图与自动微分：前向图与生成的反向图" },
  body: {
    en: `Computation graphs — the graph and autodiff. Under \`jit\`, \`grad\` and \`valueAndGrad\` record no tape at run time: they build the backward pass as **more graph**, from the forward graph, before anything runs — a graph-to-graph transformation, as JAX does on its jaxpr and TensorFlow does in graph mode.

Each forward op contributes its vector-Jacobian product. For the linear model's loss $L(w) = \\frac{1}{N}\\lVert xw - y\\rVert^2$ the generated backward computes

$$\\nabla_w L = \\frac{2}{N}\\, x^\\top (xw - y):$$

the transpose of the matmul, and $2(\\cdot)$ for the square. Forward and backward sit in one graph that the passes then optimise together, and dead-code elimination keeps only what the requested outputs need: ask for the gradient alone and the loss value's last ops disappear.`,
    zh: `计算图：计算图与自动微分。在 \`jit\` 中，\`grad\` 和 \`valueAndGrad\` 运行时不记录 tape：它们在任何计算开始之前，就根据前向图把反向计算构造成**更多的图节点**——这是一种图到图的变换，JAX 在 jaxpr 上、TensorFlow 在图模式下都是这样做的。

每个前向算子贡献自己的向量-雅可比积（VJP）。对线性模型的损失 $L(w) = \\frac{1}{N}\\lVert xw - y\\rVert^2$，生成的反向图计算

$$\\nabla_w L = \\frac{2}{N}\\, x^\\top (xw - y):$$

即矩阵乘法的转置，以及平方对应的 $2(\\cdot)$。前向和反向位于同一张图中，由优化 pass 一起优化；死代码消除只保留所请求输出需要的部分：只要梯度时，计算损失值的最后几个算子就消失了。`,
  },
  lookAt: {
    en: "the Graph panel: dashed boxes are the generated backward nodes; click one to see which forward line it differentiates",
    zh: "“计算图”面板：虚线框是生成的反向节点；点击一个节点，看它对哪一行前向代码求导",
  },
  panel: "graph",
  formulas: [
    { tex: "L(w) = \\frac{1}{N} \\lVert xw - y \\rVert^2", line: "const loss = (w: Tensor) =>", label: { en: "the forward", zh: "前向计算" } },
    {
      tex: "\\nabla_w L = \\frac{2}{N}\\, x^\\top (xw - y)",
      line: 'const lossAndGrad = jit(valueAndGrad(loss), { name: "lossAndGrad" });',
      label: { en: "the generated backward", zh: "生成的反向计算" },
    },
    { tex: "w \\leftarrow w - 0.1\\, \\nabla_w L", line: "w = w.sub(g.mul(0.1));", label: { en: "gradient descent step", zh: "梯度下降一步" } },
  ],
  comments: {
    "The forward computation: a linear model and a mean-squared error.": "前向计算：一个线性模型和均方误差。",
    "valueAndGrad under jit: the traced graph holds the forward ops *and* the backward ops that":
      "jit 中的 valueAndGrad：追踪得到的图既包含前向算子，*也*包含反向模式自动微分",
    "reverse-mode autodiff generated for them (transpose of matmul, 2·(…) for square, …).": "为它们生成的反向算子（matmul 的转置、square 对应的 2·(…) 等）。",
    "Only the gradient: the graph keeps what the gradient needs and dead-code elimination drops": "只要梯度：图中保留梯度需要的部分，死代码消除去掉",
    'the rest (look at the "dce" stage of this second function).': "其余部分（看第二个函数的 “dce” 阶段）。",
  },
});
