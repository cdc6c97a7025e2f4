import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "What differentiation is: manual, symbolic, numeric, automatic", zh: "什么是微分：手动、符号、数值与自动微分" },
  body: {
    en: `Automatic differentiation — four ways to get $f'(x)$ for $f(x) = x^2 \\sin x + e^x$ at $x = 1.5$.

**Manual**: derive it on paper (product rule, chain rule) and type it in: $f'(x) = 2x \\sin x + x^2 \\cos x + e^x$. Exact, but every new $f$ needs new work.

**Symbolic**: let a program apply the rules to the expression tree. Exact, but the result is a formula that swells: the unsimplified $f'$ is several times the size of $f$, and $f''$ larger still.

**Numeric**: finite differences, e.g. the central difference $\\frac{f(x+h) - f(x-h)}{2h}$. Easy, but the step $h$ trades truncation error ($O(h)$ forward, $O(h^2)$ central) against round-off ($\\approx \\varepsilon / h$), so the error is V-shaped in $h$.

**Automatic**: apply the rules to each op as the program runs. No formula is built, and the value is exact up to the precision of the ops themselves.`,
    zh: `自动微分：对 $f(x) = x^2 \\sin x + e^x$ 在 $x = 1.5$ 处求 $f'(x)$ 的四种方法。

**手动微分**：在纸上用乘积法则、链式法则推导，再把结果写进代码：$f'(x) = 2x \\sin x + x^2 \\cos x + e^x$。结果精确，但每换一个 $f$ 就得重新推导。

**符号微分**：让程序在表达式树上应用求导法则。结果精确，但得到的是一个会膨胀的公式：未化简的 $f'$ 比 $f$ 大好几倍，$f''$ 更大（表达式膨胀）。

**数值微分**：有限差分，例如中心差分 $\\frac{f(x+h) - f(x-h)}{2h}$。实现简单，但步长 $h$ 要在截断误差（前向差分 $O(h)$，中心差分 $O(h^2)$）和舍入误差（约 $\\varepsilon / h$）之间权衡，所以误差随 $h$ 呈 V 字形。

**自动微分**：在程序运行时对每个算子应用求导法则。不构造公式，结果精确到算子本身的数值精度。`,
  },
  lookAt: {
    en: "the Console (the four values side by side, and the symbolic expression); the Plots panel: $\\log_{10}$ of the error against $\\log_{10} h$ for forward and central differences",
    zh: "控制台（四种方法的结果并列，以及符号表达式）；“图表”面板：前向差分与中心差分的误差 $\\log_{10}$ 随 $\\log_{10} h$ 的变化",
  },
  panel: "plots",
  formulas: [
    {
      tex: "f'(x) = 2x \\sin x + x^2 \\cos x + e^x",
      line: "const manual = (x: number) =>",
      label: { en: "manual: derived on paper", zh: "手动：纸上推导" },
    },
    {
      tex: "(uv)' = u'v + uv'",
      line: "return add(mul(d(e.a), e.b), mul(e.a, d(e.b)));",
      label: { en: "symbolic: the product rule on the tree", zh: "符号：在表达式树上应用乘积法则" },
    },
    { tex: "(\\sin u)' = \\cos u \\cdot u'", line: 'return mul(fn1("cos", e.a), d(e.a));', label: { en: "the chain rule", zh: "链式法则" } },
    {
      tex: "f'(x) = \\frac{f(x+h) - f(x)}{h} + O(h)",
      line: "const forward = (f(x0 + h) - f(x0)) / h;",
      label: { en: "forward difference", zh: "前向差分" },
    },
    {
      tex: "f'(x) = \\frac{f(x+h) - f(x-h)}{2h} + O(h^2)",
      line: "const central = (f(x0 + h) - f(x0 - h)) / (2 * h);",
      label: { en: "central difference", zh: "中心差分" },
    },
    {
      tex: "f'(x_0) = \\operatorname{grad}(f)(x_0)",
      line: 'const dfT = jit(grad(fT), { name: "df" });',
      label: { en: "automatic: grad() applies the rules op by op", zh: "自动：grad() 逐个算子应用求导法则" },
    },
  ],
  comments: {
    'Drag the "h" knob: the central difference\'s error falls with h² down to h ≈ 1e-5, then rises':
      '拖动 "h" 旋钮：中心差分的误差随 h² 下降，直到 h ≈ 1e-5，然后又上升',
    "again as round-off (≈ ε/h) takes over — the V of the plot, at your h.": "因为舍入误差（≈ ε/h）开始占主导——这就是图中的 V 形，标出你选的 h。",
    "1. Manual: by hand, with the product rule: (x² sin x)′ = 2x sin x + x² cos x, (eˣ)′ = eˣ.":
      "1. 手动微分：用乘积法则手推：(x² sin x)′ = 2x sin x + x² cos x，(eˣ)′ = eˣ。",
    "2. Symbolic: expressions as trees, and d() applies the differentiation rules to the tree.": "2. 符号微分：表达式表示为树，d() 在树上应用求导法则。",
    "sum rule": "加法法则",
    "product rule": "乘积法则",
    "chain rule": "链式法则",
    'unsimplified: this is the "expression swell"': "未化简：这就是“表达式膨胀”",
    "3. Numeric: finite differences. Forward: (f(x+h) − f(x))/h has error O(h); central:":
      "3. 数值微分：有限差分。前向差分 (f(x+h) − f(x))/h 的误差为 O(h)；中心差分",
    "(f(x+h) − f(x−h))/2h has error O(h²); both suffer round-off ≈ ε/h as h shrinks.":
      "(f(x+h) − f(x−h))/2h 的误差为 O(h²)；h 变小时两者都受约 ε/h 的舍入误差影响。",
    "log10 of the error (floored at 1e-17 so an exact hit does not give −∞)": "误差取 log10（下限 1e-17，以免恰好精确时得到 −∞）",
    "4. Automatic: the same f on tensors; grad() applies the rules op by op while it runs.":
      "4. 自动微分：同一个 f 写在张量上；grad() 在运行时逐个算子应用求导法则。",
    "float32 on the default backend": "默认后端上的 float32",
    "AD is exact up to the precision of the ops it runs. float64 on the CPU backend shows it; on":
      "自动微分的精度只受所执行算子的精度限制。CPU 后端上的 float64 可以说明这一点；",
    "WebGPU, float32 sin/cos/exp are approximations (WGSL allows sin an error of ~5e-4).":
      "在 WebGPU 上，float32 的 sin/cos/exp 是近似值（WGSL 允许 sin 有约 5e-4 的误差）。",
    "(Called without jit: a compiled graph runs on one backend, the default one.)": "（这里不用 jit：编译后的计算图只在一个后端上运行，即默认后端。）",
  },
});
