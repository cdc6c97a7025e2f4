import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Dynamic to static: tracing, its limits, and source conversion", zh: "动静统一：追踪、它的局限与源码转换" },
  body: {
    en: `Computation graphs — dynamic/static unification. **Tracing** runs your function once on abstract tensors and records the ops it meets. A plain JS value (a number argument, an array length) simply picks a path while tracing: \`power(x, 3)\` unrolls into $y = x \\cdot x \\cdot x$, the graph is specialised, and another $n$ is another signature that retraces.

A JS \`if\` on a **tensor** is different: the tracer does not have the data, and JS cannot intercept an object's truthiness, so \`jit\` refuses it with an error at your line instead of silently baking in one branch.

The fix is to say "this branch depends on data": write \`cond\` / \`whileLoop\` yourself, or let **source conversion** (autograph, as in TensorFlow's AutoGraph or MindSpore's AST-based graph mode) parse the source and rewrite tensor conditions into them, leaving JS conditions as JS. Here $\\operatorname{normalize}(x) = x / \\max_i |x_i|$ when $\\max_i |x_i| > 1$, else $x$.`,
    zh: `计算图：动静统一。**追踪**在抽象张量上把函数运行一遍，记录遇到的算子。普通的 JS 值（一个数值参数、数组长度）在追踪时只是选择一条路径：\`power(x, 3)\` 被展开成 $y = x \\cdot x \\cdot x$，计算图因此被特化，换一个 $n$ 就是新的签名，需要重新追踪。

作用在**张量**上的 JS \`if\` 则不同：追踪器手里没有数据，而 JS 又无法拦截对象的真值判断，所以 \`jit\` 会在你那一行报错拒绝，而不是悄悄把某一个分支固化进图里。

解决办法是明确说出“这个分支取决于数据”：自己写 \`cond\` / \`whileLoop\`，或者交给**源码转换**（autograph，类似 TensorFlow 的 AutoGraph 或 MindSpore 基于 AST 的图模式）解析源码，把张量条件改写成它们，JS 条件仍保留为 JS。这里当 $\\max_i |x_i| > 1$ 时 $\\operatorname{normalize}(x) = x / \\max_i |x_i|$，否则为 $x$。`,
  },
  lookAt: {
    en: "the Console: the error and the line it names, then the converted source and the IR with its cond and while nodes; the Graph panel for the traced functions (switch between them on the left)",
    zh: "控制台：报错信息及其指出的代码行，然后是转换后的源码，以及含 cond 和 while 节点的 IR；“计算图”面板中的各个被追踪函数（在左侧切换）",
  },
  panel: "graph",
  formulas: [
    {
      tex: "y = x^n = \\underbrace{x \\cdot x \\cdots x}_{n}",
      line: "for (let i = 1; i < n; i++) y = y.mul(x);",
      label: { en: "unrolled while tracing", zh: "追踪时展开" },
    },
    {
      tex: "\\operatorname{normalize}(x) = \\begin{cases} x / \\max_i |x_i| & \\max_i |x_i| > 1 \\\\ x & \\text{otherwise} \\end{cases}",
      line: "(v: Tensor) => v.div(v.abs().max()),",
      label: { en: "as cond", zh: "写成 cond" },
    },
    {
      tex: "x \\leftarrow x / 2 \\quad \\text{while } \\textstyle\\sum_i x_i > 1",
      line: "x = x.mul(0.5);",
      label: { en: "becomes whileLoop", zh: "变成 whileLoop" },
    },
  ],
  comments: {
    "this lesson is about what tracing does, so trace in both toolbar modes": "本课讲的是追踪做了什么，所以在工具栏的两种模式下都进行追踪",
    "1. A JS value picks a path while tracing: the graph holds only that path, and another value": "1. JS 值在追踪时选定一条路径：图中只有这条路径，换一个值",
    "is another signature (a retrace). Nothing is wrong, but nothing data-dependent is left.":
      "就是新的签名（重新追踪）。这没有错，只是图里不再有依赖数据的部分。",
    "unrolled: n is known while tracing": "展开：追踪时 n 已知",
    "2. A JS `if` on a tensor: the condition depends on data the tracer does not have.": "2. 张量上的 JS `if`：条件取决于追踪器手里没有的数据。",
    "3a. The fix by hand: cond traces both branches as regions and picks one at run time.": "3a. 手动修复：cond 把两个分支都追踪为子图，运行时选择其一。",
    "3b. The fix by source conversion: autograph rewrites the `if` into the same cond.": "3b. 用源码转换修复：autograph 把这个 `if` 改写成同样的 cond。",
    "4. Loops too: a `while` on a tensor becomes whileLoop; the `for` over a JS number stays a JS loop.":
      "4. 循环也一样：张量上的 `while` 变成 whileLoop；遍历 JS 数值的 `for` 仍是 JS 循环。",
    "A compiled loop needs a bound (maxIterations): reverse mode runs it as guarded steps, and a":
      "编译后的循环需要一个上界（maxIterations）：反向模式把它作为带守卫的步骤运行，而且",
    "GPU cannot hand the condition back to JS in the middle of a graph.": "GPU 无法在执行一张图的中途把条件交回给 JS。",
  },
});
