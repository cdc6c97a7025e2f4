import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Implementing AD: operator overloading (tape) vs graph transformation", zh: "自动微分的实现：运算符重载（tape）vs 计算图变换" },
  body: {
    en: `Automatic differentiation — implementation methods. Both halves of this example compute the gradient of $L(W) = \\operatorname{mean}(\\tanh(xW)^2)$ and get the same numbers.

**Operator overloading with a tape** (PyTorch): every tensor method both computes and appends a node to a tape — the op, its inputs, what it saved for backward. \`backward()\` replays the tape in reverse, applying each op's vector-Jacobian product. The tape exists at run time, one per forward pass.

**Tracing, then graph transformation** (JAX; webgrad's \`jit\`): the program is first run on abstract values and recorded as a graph (JAX calls it a jaxpr); differentiation is a transformation of that graph that writes the backward ops as more nodes, which are then optimised and compiled with the forward. No tape at run time.

**Source transformation** is a third way: the AD tool reads the program's source (or its AST) and writes a new program that computes the derivative — Tangent for Python, Zygote for Julia's IR, Myia, and MindSpore's AST-based approach. JAX is *not* of this kind: it never reads your source, it traces.`,
    zh: `自动微分：实现方法。本示例的两部分都计算 $L(W) = \\operatorname{mean}(\\tanh(xW)^2)$ 的梯度，结果完全一致。

**基于 tape 的运算符重载**（PyTorch）：每个张量方法在计算的同时往 tape 上追加一个节点——记录算子、输入以及为反向传播保存的数据。\`backward()\` 逆序回放 tape，对每个算子应用其向量-雅可比积（VJP）规则。tape 存在于运行时，每次前向计算一条。

**先追踪，再做计算图变换**（JAX；webgrad 的 \`jit\`）：程序先在抽象值上运行一遍，被记录成一张计算图（JAX 称之为 jaxpr）；求导是对这张图的变换，把反向算子作为新节点写进图里，然后与前向部分一起优化、编译。运行时没有 tape。

**源码转换**是第三种方式：自动微分工具读取程序的源码（或其 AST），生成一个计算导数的新程序——例如 Python 的 Tangent、作用于 Julia IR 的 Zygote、Myia，以及 MindSpore 基于 AST 的做法。JAX *不*属于这一类：它从不读取你的源码，而是追踪。`,
  },
  lookAt: {
    en: "the Tape panel for the recorded forward ops, their saved bytes and the backward steps; then switch the toolbar to Graph, run again, and open the Graph panel for the generated backward graph (also printed in the Console)",
    zh: "“Tape”面板：记录下的前向算子、保存的字节数和反向步骤；然后把工具栏切换到 Graph 再运行，在“计算图”面板中查看生成的反向计算图（控制台中也打印了）",
  },
  panel: "tape",
  formulas: [
    { tex: "L(W) = \\frac{1}{|xW|} \\sum \\tanh(xW)^2", line: "const lossFn = (W: Tensor, x: Tensor) =>", label: { en: "the model", zh: "模型" } },
    {
      tex: "\\bar W = x^\\top \\big(\\bar h \\odot (1 - \\tanh^2(xW))\\big)",
      line: "loss.backward();",
      label: { en: "the tape replayed in reverse (vjp rules of tanh and matmul)", zh: "逆序回放 tape（tanh 与 matmul 的 VJP 规则）" },
    },
    {
      tex: "\\nabla_W L = \\operatorname{grad}(L)(W)",
      line: 'const dLoss = jit(grad(lossFn), { name: "grad(loss)" });',
      label: { en: "the same gradient, generated as a graph", zh: "同一个梯度，作为计算图生成" },
    },
  ],
  comments: {
    "The model: loss = mean(tanh(x·W)²)": "模型：loss = mean(tanh(x·W)²)",
    "1. Operator overloading with a tape. Each call below runs immediately AND records a node:":
      "1. 基于 tape 的运算符重载。下面每次调用都会立即执行，并且记录一个节点：",
    "the op, its inputs and what it saved for backward (e.g. tanh saves its output).": "包括算子、它的输入以及为反向传播保存的数据（例如 tanh 保存它的输出）。",
    "walk the tape backwards, applying each op's vjp rule": "逆序遍历 tape，应用每个算子的 VJP 规则",
    "2. Graph transformation. grad() under jit: the forward is traced into a graph, the backward": "2. 计算图变换。jit 中的 grad()：前向计算被追踪成计算图，",
    "ops are generated as more graph nodes (no tape at run time), and the whole thing is compiled.":
      "反向算子作为新的图节点生成（运行时没有 tape），然后整张图一起编译。",
    "The generated graph as text: the forward ops (matmul … div) first, then the ones that grad":
      "生成的计算图的文本形式：先是前向算子（matmul … div），然后是 grad",
    "wrote: the seed broadcast back (reshape, expand), tanh′ = 1 − tanh², and matmul's transpose rule.":
      "写出的算子：种子梯度广播回去（reshape、expand）、tanh′ = 1 − tanh²，以及 matmul 的转置规则。",
  },
});
