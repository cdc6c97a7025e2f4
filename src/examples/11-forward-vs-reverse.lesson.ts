import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Forward vs reverse mode: who pays for n", zh: "前向模式 vs 反向模式：谁为 n 买单" },
  body: {
    en: `Automatic differentiation — forward and reverse mode. For $f: \\mathbb{R}^n \\to \\mathbb{R}^m$ with Jacobian $J \\in \\mathbb{R}^{m \\times n}$:

**Forward mode** (\`jvp\`) pushes one tangent $v$ through the program and gets $J v$: one **column** of $J$ per pass, so the full Jacobian takes $n$ passes.

**Reverse mode** (\`vjp\`) pulls one cotangent $u$ back and gets $u^\\top J$: one **row** per pass, so it takes $m$ passes.

A loss $f: \\mathbb{R}^n \\to \\mathbb{R}$ therefore needs $n$ forward passes but a single reverse pass — which is why training uses reverse mode. A curve $g: \\mathbb{R} \\to \\mathbb{R}^n$ is the opposite. We count the ops each full Jacobian costs by tracing it into a graph, and time it too.`,
    zh: `自动微分：前向模式与反向模式。设 $f: \\mathbb{R}^n \\to \\mathbb{R}^m$，其雅可比矩阵为 $J \\in \\mathbb{R}^{m \\times n}$：

**前向模式**（\`jvp\`）把一个切向量 $v$ 沿程序向前推，得到 $J v$：每遍得到 $J$ 的一**列**，求完整的雅可比矩阵需要 $n$ 遍。

**反向模式**（\`vjp\`）把一个余切向量 $u$ 从输出往回传，得到 $u^\\top J$：每遍得到一**行**，需要 $m$ 遍。

因此对损失函数 $f: \\mathbb{R}^n \\to \\mathbb{R}$，前向模式要 $n$ 遍，反向模式只要一遍——这就是训练用反向模式的原因。而对曲线 $g: \\mathbb{R} \\to \\mathbb{R}^n$ 则恰好相反。我们把完整雅可比的计算追踪成计算图，数一数各需要多少个算子，并测一下耗时。`,
  },
  lookAt: {
    en: "the Plots panel (“ops in the Jacobian graph”: the two modes start equal at $n = 1$, then the one that needs $n$ passes grows with $n$ while the other stays flat); the Console table",
    zh: "“图表”面板（“ops in the Jacobian graph”：两种模式在 $n = 1$ 时相同，之后需要 $n$ 遍的那种随 $n$ 增长，另一种保持不变）；控制台中的表格",
  },
  panel: "plots",
  formulas: [
    { tex: "f(x) = \\sum_i x_i \\tanh x_i, \\quad f: \\mathbb{R}^n \\to \\mathbb{R}", line: "const f = (x: Tensor) => x.tanh().mul(x).sum();" },
    {
      tex: "J = \\begin{bmatrix} J e_1 & \\cdots & J e_n \\end{bmatrix}",
      line: "fFwd: opsOf(jacfwd(f), x),",
      label: { en: "forward mode: one column per pass", zh: "前向模式：每遍一列" },
    },
    {
      tex: "u^\\top J = \\nabla f^\\top, \\quad u = 1",
      line: "fRev: opsOf(jacrev(f), x),",
      label: { en: "reverse mode: one row per pass", zh: "反向模式：每遍一行" },
    },
  ],
  comments: {
    "f: Rⁿ → R (like a loss) and g: R → Rⁿ (like a trajectory), written with a few ops each.":
      "f: Rⁿ → R（类似损失函数）和 g: R → Rⁿ（类似一条轨迹），各由几个算子组成。",
    "How many ops the traced Jacobian computation has (lower() traces in either mode).": "追踪得到的雅可比计算包含多少个算子（lower() 在两种模式下都会追踪）。",
    "n jvps: one per input": "n 次 jvp：每个输入一次",
    "1 vjp: one per output": "1 次 vjp：每个输出一次",
    "1 jvp": "1 次 jvp",
    "n vjps": "n 次 vjp",
    "Both modes compute the same Jacobian: check it.": "两种模式算出的雅可比矩阵相同：验证一下。",
    "Wall-clock time of each, run as written (eager) — the same story, noisier.": "按原样（即时模式）运行各自的实际耗时：结论相同，只是噪声更大。",
  },
});
