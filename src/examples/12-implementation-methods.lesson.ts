import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: {
    en: "Implementing AD: elemental library, operator overloading, source transformation — and jit's tracing",
    zh: "自动微分的实现：基本表达式库、运算符重载、源码转换——以及 jit 的追踪",
  },
  body: {
    en: `Automatic differentiation — implementation methods. Every method here differentiates the same $f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2$ at $(2, 5)$ and prints the same $\\nabla f = (1/x_1 + x_2,\\; x_1 - \\cos x_2) = (5.5, 1.7163)$; they differ in **who** applies the chain rule and **when**.

**0. Elemental library** (the oldest way): the library registers each elementary function with its derivative written by hand — $\\ln \\mapsto 1/x$, $\\sin \\mapsto \\cos$ — and the user rewrites the program into calls of that library, each call carrying a value and a derivative. Simple, but the user does the decomposition, and anything the library lacks cannot be differentiated.

**1. Operator overloading with a tape** (PyTorch): every tensor method both computes and appends a node to a tape — the op, its inputs, what it saved for backward. \`backward()\` replays the tape in reverse, applying each op's vector-Jacobian product. The tape exists at run time, one per forward pass; the user's code is unchanged.

**2. Source transformation** (Tangent for Python, Zygote on Julia's IR, MindSpore's AST-based approach): the AD tool reads the program's **source**, parses it into an AST, and writes a **new program** that computes the derivative. webgrad's \`sourceGrad\` parses $f$'s JavaScript with acorn, lowers it to one operation per line (the evaluation trace, as code), and appends the adjoint of each line in reverse order:

$$\\bar v_i \\mathrel{+}= \\bar v_j \\, \\frac{\\partial v_j}{\\partial v_i} \\quad \\text{for each } v_j = \\varphi(\\ldots, v_i, \\ldots), \\text{ last line first.}$$

**3. Tracing, then graph transformation** (JAX; webgrad's \`jit\`): the program is first run on abstract values and recorded as a graph (JAX calls it a jaxpr); differentiation is a transformation of that graph that writes the backward ops as more nodes, which are then optimised and compiled with the forward. No tape at run time.

The generated code is printed: read it beside the graph \`jit\` traces for the same $f$ — the same adjoint operations, obtained by running the ops rather than by reading the text. JAX is **not** a source transformer: it never reads your source, it traces.`,
    zh: `自动微分：实现方法。这里的每种方法都对同一个 $f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2$ 在 $(2, 5)$ 处求导，打印出同样的 $\\nabla f = (1/x_1 + x_2,\\; x_1 - \\cos x_2) = (5.5, 1.7163)$；区别在于**由谁**、在**什么时候**应用链式法则。

**0. 基本表达式法（Elemental Library）**（最早的做法）：库中为每个基本函数手工注册它的导数——$\\ln \\mapsto 1/x$、$\\sin \\mapsto \\cos$——用户把程序改写成对这些库函数的调用，每次调用同时携带函数值和导数。实现简单，但分解工作要由用户完成，库里没有的函数就无法求导。

**1. 基于 tape 的运算符重载**（PyTorch）：每个张量方法在计算的同时往 tape 上追加一个节点——记录算子、输入以及为反向传播保存的数据。\`backward()\` 逆序回放 tape，对每个算子应用其向量-雅可比积（VJP）规则。tape 存在于运行时，每次前向计算一条；用户代码无需改动。

**2. 源码转换**（Python 的 Tangent、作用于 Julia IR 的 Zygote、MindSpore 基于 AST 的做法）：自动微分工具读取程序的**源码**，解析成 AST，再生成一个计算导数的**新程序**。webgrad 的 \`sourceGrad\` 用 acorn 解析 $f$ 的 JavaScript 源码，把它降低为每行一个运算（即写成代码的求值轨迹），再按相反顺序为每一行追加其伴随计算：

$$\\bar v_i \\mathrel{+}= \\bar v_j \\, \\frac{\\partial v_j}{\\partial v_i} \\quad \\text{对每个 } v_j = \\varphi(\\ldots, v_i, \\ldots)\\text{，从最后一行开始。}$$

**3. 先追踪，再做计算图变换**（JAX；webgrad 的 \`jit\`）：程序先在抽象值上运行一遍，被记录成一张计算图（JAX 称之为 jaxpr）；求导是对这张图的变换，把反向算子作为新节点写进图里，然后与前向部分一起优化、编译。运行时没有 tape。

生成的代码会打印出来：把它和 \`jit\` 为同一个 $f$ 追踪出的计算图对照着读——伴随运算相同，只是一个靠运行算子得到，一个靠读源码得到。JAX **不是**源码转换：它从不读取你的源码，而是追踪。`,
  },
  lookAt: {
    en: "the Console: the four ∇f lines agree; the generated derivative code (forward sweep, then the adjoints last line first) beside the graph jit traced for the same f; the Tape panel for the recorded ops, their saved bytes and the backward steps",
    zh: "控制台：四行 ∇f 结果一致；生成的求导代码（先前向扫描，再从最后一行起计算伴随值）与 jit 为同一个 f 追踪出的计算图并排；“梯度带”面板：记录下的算子、保存的字节数和反向步骤",
  },
  panel: "console",
  formulas: [
    {
      tex: "(\\ln, \\tfrac{1}{x}),\\; (\\sin, \\cos)",
      line: "log: { f: Math.log, df: (x) => 1 / x },",
      label: { en: "elemental library: derivatives registered by hand", zh: "基本表达式库：手工注册的导数" },
    },
    {
      tex: "(u \\cdot w)' = u' w + u w'",
      line: "const times = ([a, da]: Dual, [b, db]: Dual): Dual => [a * b, da * b + a * db];",
      label: { en: "the product rule, as a library call", zh: "乘积法则，写成库函数调用" },
    },
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
    {
      tex: "f \\xrightarrow{\\text{parse}} \\text{AST} \\xrightarrow{\\text{rewrite}} \\nabla f",
      line: "const { source, fn: gradF } = sourceGrad(f);",
      label: { en: "source transformation: a new program from f's text", zh: "源码转换：由 f 的源码生成新程序" },
    },
  ],
  comments: {
    "Every method below differentiates f(x1, x2) = ln(x1) + x1·x2 − sin(x2) at (2, 5); the answer is":
      "下面每种方法都在 (2, 5) 处对 f(x1, x2) = ln(x1) + x1·x2 − sin(x2) 求导；答案是",
    "∇f = (1/x1 + x2, x1 − cos x2) = (5.5, 1.7163).": "∇f = (1/x1 + x2, x1 − cos x2) = (5.5, 1.7163)。",
    "0. Elemental library: each elementary function is registered by hand with its derivative, and": "0. 基本表达式库：每个基本函数都手工注册了它的导数，",
    "the program is rewritten by hand into calls of the library, each carrying (value, derivative).":
      "程序由人手改写成对库函数的调用，每次调用携带（函数值，导数）。",
    "One call per input direction: seed dx1 = 1, then dx2 = 1.": "每个输入方向调用一次：先设 dx1 = 1，再设 dx2 = 1。",
    "The model: loss = mean(tanh(x·W)²)": "模型：loss = mean(tanh(x·W)²)",
    "1. Operator overloading with a tape. Each call below runs immediately AND records a node:":
      "1. 基于 tape 的运算符重载。下面每次调用都会立即执行，并且记录一个节点：",
    "the op, its inputs and what it saved for backward (e.g. tanh saves its output).": "包括算子、它的输入以及为反向传播保存的数据（例如 tanh 保存它的输出）。",
    "walk the tape backwards, applying each op's vjp rule": "逆序遍历 tape，应用每个算子的 VJP 规则",
    "The same tape for f: the overloaded tensor methods record ln, mul, add, sin, sub.":
      "对 f 使用同样的 tape：重载后的张量方法依次记录 ln、mul、add、sin、sub。",
    "2. Source transformation: f's source text is parsed (acorn) and rewritten into a new program": "2. 源码转换：用 acorn 解析 f 的源码，改写成一个新程序，",
    "that computes the derivative: a forward sweep, then the adjoints in reverse. Nothing of f runs.":
      "由它计算导数：先前向扫描，再逆序计算伴随值。f 本身一行也不运行。",
    "3. Tracing, then graph transformation. grad() under jit: the forward is traced into a graph,":
      "3. 先追踪，再做计算图变换。jit 中的 grad()：前向计算被追踪成计算图，",
    "the backward ops are generated as more graph nodes (no tape at run time), and it is compiled.":
      "反向算子作为新的图节点生成（运行时没有 tape），然后一起编译。",
    "For f, to read beside the generated code: jit never reads the source, it records the ops that":
      "先看 f，与上面生成的代码对照着读：jit 从不读取源码，它记录在追踪值上",
    "ran on traced values and appends their backward as graph nodes.": "运行过的算子，并把它们的反向计算作为图节点追加进去。",
    "The same for the model: the gradient computed by the compiled graph matches the tape's.": "对模型做同样的事：编译后的计算图算出的梯度与 tape 的结果一致。",
    "The generated graph as text: the forward ops (matmul … div) first, then the ones that grad":
      "生成的计算图的文本形式：先是前向算子（matmul … div），然后是 grad",
    "wrote: the seed broadcast back (reshape, expand), tanh′ = 1 − tanh², and matmul's transpose rule.":
      "写出的算子：种子梯度广播回去（reshape、expand）、tanh′ = 1 − tanh²，以及 matmul 的转置规则。",
  },
});
