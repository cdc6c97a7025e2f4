import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Forward mode from scratch: dual numbers", zh: "从零实现前向模式：对偶数" },
  body: {
    en: `Automatic differentiation — a forward-mode framework by hand. A **dual number** $a + b\\varepsilon$ with $\\varepsilon^2 = 0$ carries a value and a derivative together. Multiplying two of them

$$(a + b\\varepsilon)(c + d\\varepsilon) = ac + (ad + bc)\\varepsilon$$

is exactly the product rule, and for a smooth function $g(a + b\\varepsilon) = g(a) + g'(a)\\, b\\, \\varepsilon$ is the chain rule. Overloading $+$, $\\times$, $\\sin$ and $\\exp$ for duals makes any program computed on them return $f(x)$ and $f'(x)$ in one pass, once the input is seeded with $\\dot x = 1$.

**See it run.** One evaluation at $x = 1$ goes to the Tape panel through \`showTape\`: the graph of $f(x) = \\sin x \\cdot x + e^{0.5x}$ as the duals computed it, each node with its value and its tangent $\\dot v$. Step ▶ through the forward sweep: the tangents fill in top to bottom, in the same order as the values — no tape, no backward pass; the last box's $\\dot v$ is $f'(1) = \\cos 1 + \\sin 1 + 0.5\\,e^{0.5} \\approx 2.206$.

webgrad's \`jvp\` does the same with tensors: it pushes a tangent alongside every op. One pass gives one directional derivative, so a gradient of $h(x, y)$ needs one pass per input — the cost that reverse mode avoids.`,
    zh: `自动微分：手写一个前向模式框架。**对偶数** $a + b\\varepsilon$（其中 $\\varepsilon^2 = 0$）同时携带函数值和导数。两个对偶数相乘

$$(a + b\\varepsilon)(c + d\\varepsilon) = ac + (ad + bc)\\varepsilon$$

恰好就是乘积法则；对光滑函数有 $g(a + b\\varepsilon) = g(a) + g'(a)\\, b\\, \\varepsilon$，这就是链式法则。为对偶数重载 $+$、$\\times$、$\\sin$ 和 $\\exp$ 之后，只要把输入的导数部分设为 $\\dot x = 1$，任何在对偶数上运行的程序都能一遍同时算出 $f(x)$ 和 $f'(x)$。

**看它运行。** 在 $x = 1$ 处的一次求值通过 \`showTape\` 送进 Tape 面板：画出的是对偶数实际算过的 $f(x) = \\sin x \\cdot x + e^{0.5x}$ 的计算图，每个节点带着它的值和切向量 $\\dot v$。用 ▶ 单步执行前向扫描：切向量与函数值按同样的顺序自上而下填好——不需要 tape，也没有反向传播；最后一个框的 $\\dot v$ 就是 $f'(1) = \\cos 1 + \\sin 1 + 0.5\\,e^{0.5} \\approx 2.206$。

webgrad 的 \`jvp\` 在张量上做同样的事：它让一个切向量伴随每个算子向前传播。一遍只得到一个方向导数，所以求 $h(x, y)$ 的梯度需要每个输入各跑一遍——这正是反向模式要避免的代价。`,
  },
  lookAt: {
    en: "the Tape panel: the duals' evaluation at x = 1 as a graph (its Graph view; the List view has the same numbers as rows), each box with its value and tangent v̇; step ▶ through the forward sweep. The Console: the Dual class and jvp give the same derivatives; the Plots panel shows $f$ and $f'$ computed by duals",
    zh: "“梯度带”面板：对偶数在 x = 1 处的求值画成计算图（“图”视图；“列表”视图按行列出同样的数），每个框标着值和切向量 v̇；用 ▶ 单步执行前向扫描。控制台：Dual 类与 jvp 给出相同的导数；“图表”面板显示用对偶数算出的 $f$ 与 $f'$",
  },
  panel: "tape",
  formulas: [
    {
      tex: "(a + b\\varepsilon) + (c + d\\varepsilon) = (a + c) + (b + d)\\varepsilon",
      line: "this.val + b.val, this.dot + b.dot",
      label: { en: "sum rule", zh: "加法法则" },
    },
    {
      tex: "(a + b\\varepsilon)(c + d\\varepsilon) = ac + (bc + ad)\\varepsilon",
      line: "this.dot * b.val + this.val * b.dot",
      label: { en: "product rule", zh: "乘积法则" },
    },
    {
      tex: "\\sin(a + b\\varepsilon) = \\sin a + \\cos a \\cdot b\\, \\varepsilon",
      line: "Math.cos(this.val) * this.dot",
      label: { en: "chain rule", zh: "链式法则" },
    },
    { tex: "\\exp(a + b\\varepsilon) = e^a + e^a b\\, \\varepsilon", line: "return new Dual(e, e * this.dot," },
    {
      tex: "f(x + 1\\varepsilon) = f(x) + f'(x)\\,\\varepsilon",
      line: "const duals = xs.map((x) => fDual(new Dual(x, 1)));",
      label: { en: "seed ẋ = 1", zh: "种子 ẋ = 1" },
    },
    {
      tex: "f'(x) = \\cos x \\cdot x + \\sin x + 0.5\\, e^{0.5x}",
      line: "(Math.cos(1) + Math.sin(1) + 0.5 * Math.exp(0.5))",
      label: { en: "f′ by hand, at x = 1", zh: "手推的 f′，取 x = 1" },
    },
  ],
  comments: {
    "A dual number: val + dot·ε, where ε² = 0. `dot` is the derivative carried along.": "对偶数：val + dot·ε，其中 ε² = 0。`dot` 是随之携带的导数。",
    "constants have derivative 0": "常数的导数为 0",
    "the op and inputs are kept only to draw the evaluation: a dual needs no tape": "op 和 inputs 只是为了画出求值过程而保留的：对偶数不需要 tape",
    "One evaluation at x = 1, drawn in the Tape panel: each intermediate with its value and tangent v̇,":
      "在 x = 1 处求值一次，画在 Tape 面板中：每个中间结果带着它的值和切向量 v̇，",
    "stepped in the order forward mode computes them (the op nodes, inputs before the ops that use them).":
      "按前向模式计算它们的顺序单步展示（运算节点按拓扑序：输入在使用它的运算之前）。",
    "sum rule": "加法法则",
    "product rule": "乘积法则",
    "chain rule": "链式法则",
    "f(x) = sin(x)·x + exp(0.5·x), written once against the Dual API...": "f(x) = sin(x)·x + exp(0.5·x)，先用 Dual 的 API 写一遍……",
    "...and once against tensors (the same ops, same order).": "……再用张量写一遍（同样的算子，同样的顺序）。",
    "Seed dot = 1 (dx/dx = 1); one evaluation gives f and f′.": "种子 dot = 1（dx/dx = 1）；一次求值同时得到 f 和 f′。",
    "The same with jvp, on all points at once: the tangent is ones (one seed per element).":
      "用 jvp 做同样的事，一次处理所有点：切向量全为 1（每个元素一个种子）。",
    "The Dual columns are float64 JS numbers; jvp runs in float32 (and on WebGPU, sin and exp are":
      "Dual 那两列是 float64 的 JS 数；jvp 用 float32 计算（在 WebGPU 上 sin 和 exp 还是",
    "approximations), so the last digits may differ — the derivative rules are the same.": "近似值），所以最后几位可能不同——求导法则是一样的。",
    "Forward mode gives one directional derivative per pass. For h(x, y) = x·y + sin(x) the full":
      "前向模式每遍给出一个方向导数。对 h(x, y) = x·y + sin(x)，完整的",
    "gradient needs one pass per input — seed (1, 0), then (0, 1). That cost is what reverse mode avoids.":
      "梯度需要每个输入各跑一遍——先用种子 (1, 0)，再用 (0, 1)。反向模式避免的正是这个代价。",
  },
});
