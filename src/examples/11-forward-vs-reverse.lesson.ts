import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Forward vs reverse mode: the evaluation trace, and who pays for n", zh: "前向模式 vs 反向模式：求值轨迹，以及谁为 n 买单" },
  body: {
    en: `Automatic differentiation — forward and reverse mode. Any program is a sequence of elementary operations. Write each intermediate as a row of the **evaluation trace**: the inputs are $v_{-1} = x_1$, $v_0 = x_2$, and for the course's function $f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2$ at $(2, 5)$

$$v_1 = \\ln v_{-1},\\; v_2 = v_{-1} v_0,\\; v_3 = v_1 + v_2,\\; v_4 = \\sin v_0,\\; v_5 = v_3 - v_4 = f .$$

**Forward mode** gives every row a **tangent** $\\dot v_i = \\partial v_i / \\partial x \\cdot \\dot x$, computed in the same order as the values by the chain rule on that one row, e.g. $\\dot v_2 = \\dot v_{-1} v_0 + v_{-1} \\dot v_0$. Seeded with $\\dot x = (1, 0)$ it ends with $\\dot v_5 = \\partial f/\\partial x_1 = 1/x_1 + x_2 = 5.5$; $\\partial f/\\partial x_2$ needs a second pass with $\\dot x = (0, 1)$.

**Reverse mode** runs the rows forward first, then gives every row an **adjoint** $\\bar v_i = \\partial f / \\partial v_i$, bottom to top, starting from $\\bar v_5 = 1$: each row collects from the rows that use it, $\\bar v_i = \\sum_{j} \\bar v_j \\, \\partial v_j / \\partial v_i$. One sweep fills in both $\\bar v_{-1} = \\partial f/\\partial x_1 = 5.5$ and $\\bar v_0 = \\partial f/\\partial x_2 = x_1 - \\cos x_2 \\approx 1.716$.

In general, for $f: \\mathbb{R}^n \\to \\mathbb{R}^m$ with Jacobian $J$: a forward pass (\`jvp\`) gives $J \\dot x$, one **column**, so the whole $J$ takes $n$ passes; a reverse pass (\`vjp\`) gives $\\bar y^\\top J$, one **row**, so it takes $m$. A loss ($m = 1$) needs a single reverse pass — which is why training uses reverse mode. The second half counts the ops of each full Jacobian by tracing it into a graph.`,
    zh: `自动微分：前向模式与反向模式。任何程序都是一串基本运算。把每个中间变量写成**求值轨迹**（evaluation trace）中的一行：输入为 $v_{-1} = x_1$、$v_0 = x_2$；对课程中的函数 $f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2$，在点 $(2, 5)$ 处

$$v_1 = \\ln v_{-1},\\; v_2 = v_{-1} v_0,\\; v_3 = v_1 + v_2,\\; v_4 = \\sin v_0,\\; v_5 = v_3 - v_4 = f .$$

**前向模式**给每一行配一个**切线值**（tangent）$\\dot v_i = \\partial v_i / \\partial x \\cdot \\dot x$，与函数值按相同顺序计算，每行只对本行用一次链式法则，例如 $\\dot v_2 = \\dot v_{-1} v_0 + v_{-1} \\dot v_0$。以 $\\dot x = (1, 0)$ 为种子，最后得到 $\\dot v_5 = \\partial f/\\partial x_1 = 1/x_1 + x_2 = 5.5$；要求 $\\partial f/\\partial x_2$，还得用 $\\dot x = (0, 1)$ 再跑一遍。

**反向模式**先正向算完所有行，再从 $\\bar v_5 = 1$ 开始自下而上给每一行配一个**伴随值**（adjoint）$\\bar v_i = \\partial f / \\partial v_i$：每一行从用到它的各行收集梯度，$\\bar v_i = \\sum_{j} \\bar v_j \\, \\partial v_j / \\partial v_i$。一遍反向扫描就同时得到 $\\bar v_{-1} = \\partial f/\\partial x_1 = 5.5$ 和 $\\bar v_0 = \\partial f/\\partial x_2 = x_1 - \\cos x_2 \\approx 1.716$。

一般地，设 $f: \\mathbb{R}^n \\to \\mathbb{R}^m$，其雅可比矩阵为 $J$：一遍前向传播（\`jvp\`）得到 $J \\dot x$，即 $J$ 的一**列**，求完整的 $J$ 需要 $n$ 遍；一遍反向传播（\`vjp\`）得到 $\\bar y^\\top J$，即一**行**，需要 $m$ 遍。损失函数（$m = 1$）只需一遍反向传播——这就是训练用反向模式的原因。示例的后半部分把完整雅可比的计算追踪成计算图，数一数各需要多少个算子。`,
  },
  lookAt: {
    en: "the Tape panel's Trace view: pick the forward or the reverse table (the “forward seed ẋ” knob above the editor switches the forward pass to ∂f/∂x₂), press « and step with ▶, predicting each value before it appears (reverse mode fills the values first, then the adjoints from the bottom up); then the Plots panel (“ops in the Jacobian graph”: the mode that needs $n$ passes grows with $n$, the other stays flat)",
    zh: "“梯度带”面板的“求值轨迹”视图：选择前向表或反向表（编辑器上方的“forward seed ẋ”旋钮可把前向传播切换为求 ∂f/∂x₂），按 « 回到开头，再按 ▶ 单步执行，每一步先预测下一个值（反向模式先填函数值，再自下而上填伴随值）；然后看“图表”面板（“ops in the Jacobian graph”：需要 $n$ 遍的模式随 $n$ 增长，另一种保持不变）",
  },
  panel: "tape",
  formulas: [
    {
      tex: "f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2",
      line: "const f = (x1: Tensor, x2: Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());",
      label: { en: "the course's example, one op per row", zh: "课程中的例子，每个算子一行" },
    },
    {
      tex: "\\dot v_i = \\sum_{j \\to i} \\frac{\\partial v_i}{\\partial v_j} \\dot v_j, \\quad \\dot x = (1, 0) \\Rightarrow \\dot v_5 = \\frac{\\partial f}{\\partial x_1} = \\frac{1}{x_1} + x_2 = 5.5",
      line: 'const fwd = await evaluationTrace(f, [2, 5], { mode: "forward", seed, name: "f(x1, x2)" });',
      label: { en: "forward mode: tangents, top to bottom", zh: "前向模式：切线值，自上而下" },
    },
    {
      tex: "\\bar v_i = \\sum_{i \\to j} \\bar v_j \\frac{\\partial v_j}{\\partial v_i}, \\quad \\bar v_5 = 1 \\Rightarrow (\\bar v_{-1}, \\bar v_0) = \\Big(\\frac{1}{x_1} + x_2,\\; x_1 - \\cos x_2\\Big)",
      line: 'const rev = await evaluationTrace(f, [2, 5], { mode: "reverse", name: "f(x1, x2)" });',
      label: { en: "reverse mode: adjoints, bottom to top", zh: "反向模式：伴随值，自下而上" },
    },
    { tex: "\\mathrm{loss}(x) = \\sum_i x_i \\tanh x_i, \\quad \\mathbb{R}^n \\to \\mathbb{R}", line: "const loss = (x: Tensor) => x.tanh().mul(x).sum();" },
    {
      tex: "J = \\begin{bmatrix} J e_1 & \\cdots & J e_n \\end{bmatrix}",
      line: "fFwd: opsOf(jacfwd(loss), x),",
      label: { en: "forward mode: one column per pass", zh: "前向模式：每遍一列" },
    },
    {
      tex: "\\bar y^\\top J = \\nabla f^\\top, \\quad \\bar y = 1",
      line: "fRev: opsOf(jacrev(loss), x),",
      label: { en: "reverse mode: one row per pass", zh: "反向模式：每遍一行" },
    },
  ],
  comments: {
    "The course's function, one elementary op per call: f(x1, x2) = ln(x1) + x1·x2 − sin(x2).":
      "课程中的函数，每次调用一个基本算子：f(x1, x2) = ln(x1) + x1·x2 − sin(x2)。",
    "Forward mode: seed the tangent ẋ (the knob: along x1 or along x2) and carry it down the table, row by row.":
      "前向模式：设定切线种子 ẋ（用旋钮选择沿 x1 还是沿 x2），沿表格逐行向下传递。",
    "Reverse mode: the rows forward first, then v̄ = 1 at the output and the adjoints back up.":
      "反向模式：先正向算完各行，再在输出处设 v̄ = 1，把伴随值逐行往回传。",
    "Who pays for n: loss: Rⁿ → R (like a loss) and g: R → Rⁿ (like a trajectory), a few ops each.":
      "谁为 n 买单：loss: Rⁿ → R（类似损失函数）和 g: R → Rⁿ（类似一条轨迹），各由几个算子组成。",
    "How many ops the traced Jacobian computation has (lower() traces in either mode).": "追踪得到的雅可比计算包含多少个算子（lower() 在两种模式下都会追踪）。",
    "n jvps: one per input": "n 次 jvp：每个输入一次",
    "1 vjp: one per output": "1 次 vjp：每个输出一次",
    "1 jvp": "1 次 jvp",
    "n vjps": "n 次 vjp",
    "Both modes compute the same Jacobian: check it.": "两种模式算出的雅可比矩阵相同：验证一下。",
    "Wall-clock time of each, run as written (eager) — the same story, noisier.": "按原样（即时模式）运行各自的实际耗时：结论相同，只是噪声更大。",
  },
});
