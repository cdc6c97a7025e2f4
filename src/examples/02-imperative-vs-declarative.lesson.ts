import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Imperative vs declarative: the same model eager and as a graph", zh: "命令式 vs 声明式：同一个模型，即时执行与计算图" },
  body: {
    en: `Framework basics — programming paradigms. **Imperative** (eager, PyTorch-style) code runs each op the moment its line runs: easy to debug with \`console.log\`, but the framework only ever sees one op at a time.

**Declarative** (graph, TensorFlow/JAX-style) code is first traced into a whole graph, which the framework can optimise (fuse ops, plan memory) and then replay. The first call pays for tracing and compiling; later calls with the same shapes reuse the graph.

Here one training step of a small MLP — loss $L = \\frac{1}{N}\\sum_i (\\hat y_i - y_i)^2$, then an SGD step — runs both ways from the same initial weights on the same data, and the losses agree to the last digit printed.

Which is faster depends on how long you train. With a first call $t_1$ and later steps $t_s$, $n$ steps take $T(n) = t_1 + (n - 1)\\, t_s$ in each mode; the graph's first call costs more, its steps less, so it wins after $n^\\ast = (t_1^{\\text{graph}} - t_1^{\\text{eager}}) / (t_s^{\\text{eager}} - t_s^{\\text{graph}})$ steps. Drag the **training steps** knob to see both totals change: that trade-off is why frameworks let you choose.`,
    zh: `框架基础：编程范式。**命令式**（即时执行，PyTorch 风格）代码每执行一行就立刻运行其中的算子：用 \`console.log\` 调试很方便，但框架每次只能看到一个算子。

**声明式**（计算图，TensorFlow/JAX 风格）代码先被追踪成一整张计算图，框架可以对这张图做优化（算子融合、内存规划），然后反复执行。第一次调用要付出追踪和编译的代价；之后形状相同的调用直接复用这张图。

这里用一个小 MLP 的一步训练——损失 $L = \\frac{1}{N}\\sum_i (\\hat y_i - y_i)^2$，再做一步 SGD——在同样的数据上、从同样的初始权重出发，分别用两种方式运行，损失值完全一致。

哪种更快取决于训练多久。设第一次调用耗时 $t_1$、之后每步耗时 $t_s$，那么 $n$ 步在每种模式下共耗时 $T(n) = t_1 + (n - 1)\\, t_s$；图模式第一次调用更贵、之后每步更便宜，因此在 $n^\\ast = (t_1^{\\text{graph}} - t_1^{\\text{eager}}) / (t_s^{\\text{eager}} - t_s^{\\text{graph}})$ 步之后胜出。拖动 **training steps**（训练步数）旋钮，看两种模式的总耗时如何变化：正是这种权衡，让框架把选择权交给你。`,
  },
  lookAt: {
    en: "the Console for the time of the first call and of later calls; the Plots panel (both loss lines match); the Graph panel for the compiled step",
    zh: "控制台中第一次调用与之后调用的耗时；“图表”面板（两条损失曲线重合）；“计算图”面板中编译好的训练步",
  },
  panel: "graph",
  formulas: [
    {
      tex: "L = \\frac{1}{N} \\sum_i (\\hat y_i - y_i)^2",
      line: "const loss = nn.mse(model.forward(x), y);",
      label: { en: "mean squared error", zh: "均方误差" },
    },
    { tex: "\\theta \\leftarrow \\theta - \\eta \\, \\nabla_\\theta L", line: "opt.step();", label: { en: "SGD step, η = 0.3", zh: "SGD 更新，η = 0.3" } },
    {
      tex: "T(n) = t_1 + (n - 1)\\, t_s",
      line: "const total = (r: { first: number; rest: number }) =>",
      label: { en: "total time of n steps, per mode", zh: "每种模式下 n 步的总耗时" },
    },
    {
      tex: "n^\\ast = \\frac{t_1^{\\text{graph}} - t_1^{\\text{eager}}}{t_s^{\\text{eager}} - t_s^{\\text{graph}}}",
      line: "Math.ceil((graph.first - eager.first) / saving)",
      label: { en: "break-even number of steps", zh: "收支平衡的步数" },
    },
  ],
  comments: {
    "a smooth target the MLP can learn": "一个 MLP 学得会的平滑目标",
    "this example switches modes itself, then restores the toolbar's choice": "本示例自己切换模式，最后恢复工具栏上的选择",
    "what the toolbar's Eager/Graph toggle does": "相当于工具栏上的 Eager/Graph 开关",
    "same initial weights for both runs": "两次运行使用相同的初始权重",
    "The same Python-like step in both cases: only the mode differs.": "两种情况下是同一段训练代码：只有执行模式不同。",
    "graph mode: trace + optimize + run": "图模式：追踪 + 优化 + 执行",
    "graph mode: replay the cached graph": "图模式：重放缓存的计算图",
    'Drag "training steps": a short run favours eager (no compile); a long one lets the graph\'s':
      '拖动 "training steps"（训练步数）：训练得短，即时执行占优（无需编译）；训练得长，',
    "one-off trace and compile pay for itself through cheaper steps.": "图模式一次性的追踪与编译开销就能靠更便宜的每一步赚回来。",
    "total = first + (steps − 1)·rest: the graph wins once its saving per step has repaid its first call":
      "总耗时 = 第一次 + (步数 − 1)·之后每步：当每步省下的时间还清了第一次调用的额外开销，图模式就胜出",
  },
});
