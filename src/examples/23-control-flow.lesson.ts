import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Control flow in graphs: cond, scan, whileLoop, autograph", zh: "计算图中的控制流：cond、scan、whileLoop 与 autograph" },
  body: {
    en: `Computation graphs — control flow in graphs. A traced graph has no JS \`if\` or loop, so control flow becomes **ops with nested regions**:

\`cond\` — two branches, one runs: here $f(x) = 2x$ if $\\sum_i x_i > 0$, else $-x$. \`scan\` — a loop with a static trip count, like an RNN over a sequence: $h_t = \\tanh(w \\odot h_{t-1} + x_t)$. \`whileLoop\` — the trip count depends on data.

Gradients flow through them: reverse mode through \`cond\` and through \`scan\` (a reverse scan over the carries the forward saved), and through \`whileLoop\` when it has a bound (\`maxIterations\`), as in JAX. In Eager mode the same calls run as plain JS. Finally \`convert\` (autograph) rewrites a JS \`if\` on a tensor into \`cond\`, and the graph leaves the framework as ONNX.

Regions are the modern form (JAX, MLIR's \`scf\`, ONNX's \`If\`/\`Loop\`). **TensorFlow 1** had no nested graphs: control flow was five plain dataflow ops in one flat graph. **Switch**$(d, p)$ sends $d$ to output $p$ and a **dead** token to the other; an op with a dead input is dead too, so the untaken branch is skipped; **Merge** passes on whichever input is live:
$$\\operatorname{cond}(p, f, g)(x) = \\operatorname{Merge}\\big(f(\\operatorname{Switch}(x,p)_1),\\; g(\\operatorname{Switch}(x,p)_0)\\big).$$
A loop is a ring per carried value — **Enter** (into the loop's frame) → Merge → Switch on **LoopCond** → body → **NextIteration** → back to the Merge — left through **Exit**. Every token is tagged with its frame and iteration, so one static graph runs any number of iterations (a tagged-token dataflow machine). \`lowerToDataflow\` lowers this lesson's \`cond\` and \`whileLoop\` into that form, \`runDataflow\` runs it token by token, and the results match the regions; the Graph panel draws it, each loop frame as a box.`,
    zh: `计算图：计算图中的控制流。追踪得到的图里没有 JS 的 \`if\` 或循环，因此控制流要变成**带嵌套子图（region）的算子**：

\`cond\`：两个分支，只执行其中一个；这里当 $\\sum_i x_i > 0$ 时 $f(x) = 2x$，否则为 $-x$。\`scan\`：迭代次数静态已知的循环，比如在序列上运行的 RNN：$h_t = \\tanh(w \\odot h_{t-1} + x_t)$。\`whileLoop\`：迭代次数取决于数据。

梯度可以穿过它们：反向模式可以穿过 \`cond\` 和 \`scan\`（对前向保存的 carry 做一次反向 scan），\`whileLoop\` 在有上界（\`maxIterations\`）时也可以，和 JAX 一样。在即时模式下，同样的调用就是普通的 JS。最后，\`convert\`（autograph）把张量上的 JS \`if\` 改写成 \`cond\`，计算图还能导出为 ONNX，离开框架。

子图（region）是现代的表示方式（JAX、MLIR 的 \`scf\`、ONNX 的 \`If\`/\`Loop\`）。**TensorFlow 1** 没有嵌套的子图：控制流是一张扁平计算图中的五个普通数据流算子。**Switch**$(d, p)$ 把 $d$ 送到第 $p$ 个输出，另一个输出得到一个**死**（dead）令牌；输入中有死令牌的算子，输出也是死的，所以未选中的分支被整体跳过；**Merge** 把哪个输入是活的就传出哪个：
$$\\operatorname{cond}(p, f, g)(x) = \\operatorname{Merge}\\big(f(\\operatorname{Switch}(x,p)_1),\\; g(\\operatorname{Switch}(x,p)_0)\\big).$$
循环对每个循环变量构成一个环——**Enter**（进入循环的帧）→ Merge → 以 **LoopCond** 为条件的 Switch → 循环体 → **NextIteration** → 回到 Merge——通过 **Exit** 离开。每个令牌都带有它所在的帧和迭代编号的标签，所以一张静态图可以运行任意多次迭代（带标签令牌的数据流机器）。\`lowerToDataflow\` 把本课的 \`cond\` 和 \`whileLoop\` 降低为这种形式，\`runDataflow\` 逐个令牌地执行它，结果与子图形式一致；“计算图”面板会把它画出来，每个循环帧画成一个框。`,
  },
  lookAt: {
    en: "the Console (IR with nested regions, the converted source, the TF1 dataflow listings); then switch the toolbar to Graph, run again, and open the Graph panel (cond / scan / while nodes, and the two graphs named “(TF1 dataflow)”: Switch, Merge, Enter, Exit, NextIteration, each loop frame a box)",
    zh: "控制台（带嵌套子图的 IR、转换后的源码、TF1 数据流清单）；然后把工具栏切到 Graph 再运行，打开“计算图”面板（cond / scan / while 节点，以及两张名为“(TF1 dataflow)”的图：Switch、Merge、Enter、Exit、NextIteration，每个循环帧画成一个框）",
  },
  formulas: [
    {
      tex: "f(x) = \\begin{cases} 2x & \\sum_i x_i > 0 \\\\ -x & \\text{otherwise} \\end{cases}",
      line: "(v: Tensor) => v.mul(2),",
      label: { en: "cond", zh: "cond" },
    },
    {
      tex: "h_t = \\tanh(w \\odot h_{t-1} + x_t)",
      line: "const next = h.mul(w).add(x).tanh();",
      label: { en: "the scan body (an RNN step)", zh: "scan 的循环体（一步 RNN）" },
    },
    { tex: "c \\leftarrow 2c \\quad \\text{while } \\textstyle\\sum c < 100", line: "(c: Tensor) => c.mul(2),", label: { en: "whileLoop", zh: "whileLoop" } },
    {
      tex: "\\operatorname{cond}(p, f, g)(x) = \\operatorname{Merge}\\big(f(\\operatorname{Switch}(x,p)_1),\\; g(\\operatorname{Switch}(x,p)_0)\\big)",
      line: "const df = lowerToDataflow(g);",
      label: {
        en: "regions lowered to TF1's Switch / Merge (and Enter / Exit / NextIteration for loops)",
        zh: "子图降低为 TF1 的 Switch / Merge（循环还有 Enter / Exit / NextIteration）",
      },
    },
  ],
  comments: {
    "1. cond: a branch chosen by data. Eagerly it is a JS `if`; under jit it is one node whose two":
      "1. cond：由数据决定的分支。即时执行时它就是 JS 的 `if`；在 jit 中它是一个节点，",
    "branches are traced as regions, and only the chosen one runs.": "两个分支都被追踪为子图，运行时只执行被选中的那个。",
    "2. scan: a tiny RNN over a sequence (a loop with a static trip count). Its gradient is a reverse":
      "2. scan：在序列上运行的小 RNN（迭代次数静态已知的循环）。它的梯度是一次反向",
    "scan over the carries the forward saved: look for two scan nodes in the IR.": "scan，作用于前向保存的 carry：在 IR 中找找两个 scan 节点。",
    "3. whileLoop: the trip count depends on the data. Forward mode goes through it; reverse mode":
      "3. whileLoop：迭代次数取决于数据。前向模式可以穿过它；反向模式",
    "needs a bound ({ maxIterations }), as in JAX — otherwise use scan.": "需要一个上界（{ maxIterations }），和 JAX 一样——否则请用 scan。",
    "4. Dynamic → static. A JS `if` on a tensor cannot be traced (an object is always truthy), so":
      "4. 动态 → 静态。张量上的 JS `if` 无法追踪（对象总是为真值），所以",
    "autograph rewrites the source: tensor conditions become cond / whileLoop, JS values stay JS.":
      "autograph 改写源码：张量条件变成 cond / whileLoop，JS 值的条件仍是 JS。",
    "5. The graph leaves the framework: ONNX (cond becomes an If node).": "5. 计算图离开框架：导出 ONNX（cond 变成 If 节点）。",
    "6. The same cond and while in TensorFlow 1's static dataflow form. Switch sends a value to one":
      "6. 同样的 cond 和 while，写成 TensorFlow 1 的静态数据流形式。Switch 把值送到一侧，",
    "side and a dead token to the other, Merge passes on whichever input is live; a loop is a ring":
      "另一侧得到死令牌，Merge 把活的那个输入传下去；循环是一个环",
    "Enter → Merge → Switch → body → NextIteration → Merge, left through Exit. runDataflow runs it":
      "Enter → Merge → Switch → 循环体 → NextIteration → Merge，经 Exit 离开。runDataflow 逐个令牌执行它",
    "token by token (each token tagged with its frame and iteration) to check it against the regions.":
      "（每个令牌都标有所在的帧和迭代编号），并与子图形式的结果对照。",
    "drawn in the Graph panel beside the traced functions": "画在“计算图”面板中，与被追踪的函数并列",
  },
});
