import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "What a framework is: its layers, and gradients by hand vs autograd", zh: "什么是 AI 框架：框架的分层，以及手推梯度 vs 自动求导" },
  figure: "framework-layers",
  body: {
    en: `Framework basics — what a framework does for you. We fit $y = w x + b$ to 32 points twice, minimising the mean squared error

$$L(w, b) = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2 .$$

**By hand**, we work out $\\partial L / \\partial w$ and $\\partial L / \\partial b$ on paper and type them in. **With autograd**, we write only the forward pass; \`loss.backward()\` replays the recorded ops in reverse and fills \`w.grad\` and \`b.grad\`. Both versions then take the same gradient-descent step $\\theta \\leftarrow \\theta - \\eta \\, \\nabla_\\theta L$ with learning rate $\\eta$.

The two loss curves lie on top of each other: the numbers are the same. The difference is who did the calculus — the hand-written version has to be redone, and can be got wrong, for every new model. That bookkeeping is the first thing a framework takes off your hands.

**The layers.** The drawing above is the framework this program runs on, top to bottom: the **frontend** you write against (tensors, \`nn\` modules, optimizers); the **operators**, a table of primitives, each with a shape rule and its derivative rules (vjp, jvp); **autodiff**, the tape and the \`grad\` transforms built on those rules; the **graph** layer, where \`jit\` traces code into an IR and passes rewrite it (fusion, dead code); the **backend**, the kernels that compute (CPU loops, WebGPU shaders in WGSL); and the **runtime**, which schedules work, manages memory and spreads it over devices. Part 3 of the code touches each layer once — it prints the op table's entry for \`mul\`, records a backward on the tape, lowers the step to its graph, names the backend, and splits the gradient over two simulated devices, where an allReduce adds the parts: $\\sum_{d} \\partial L_d / \\partial w = \\partial L / \\partial w$. Click a layer to open the panel that shows it.`,
    zh: `框架基础：框架为你做了什么。我们用两种方式把 $y = w x + b$ 拟合到 32 个数据点上，最小化均方误差

$$L(w, b) = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2 .$$

**手推**：在纸上推导出 $\\partial L / \\partial w$ 和 $\\partial L / \\partial b$，再把公式写进代码。**自动求导**：只写前向计算，\`loss.backward()\` 沿着记录下来的算子反向执行，把梯度填进 \`w.grad\` 和 \`b.grad\`。两种做法随后都按学习率 $\\eta$ 做同样的梯度下降更新 $\\theta \\leftarrow \\theta - \\eta \\, \\nabla_\\theta L$。

两条损失曲线完全重合：每一步的数值都一样。区别在于谁来做微积分：手推的版本每换一个模型就得重新推一遍，而且可能推错。把这部分工作接过去，正是框架做的第一件事。

**框架的分层。** 上图就是这个程序所运行的框架，自上而下：你直接调用的**前端**（张量、\`nn\` 模块、优化器）；**算子**层，一张原语表，每个算子带有形状规则和求导规则（vjp、jvp）；建立在这些规则之上的**自动微分**，即梯度带和 \`grad\` 等变换；**计算图**层，\`jit\` 把代码追踪成 IR，再由各个优化遍改写它（算子融合、死代码消除）；**后端**，真正做计算的内核（CPU 上的循环、用 WGSL 写的 WebGPU 着色器）；以及**运行时**，负责调度、管理内存，并把计算分布到多个设备上。代码的第 3 部分把每一层都走了一遍：打印算子表中 \`mul\` 的条目，在梯度带上记录一次反向传播，把训练步降级（lower）成计算图，报出后端的名字，再把梯度分到两个模拟设备上计算，由 allReduce 把各部分相加：$\\sum_{d} \\partial L_d / \\partial w = \\partial L / \\partial w$。点击某一层即可打开展示它的面板。`,
  },
  lookAt: {
    en: "the Plots panel: the two “loss” lines lie on top of each other; the Console prints both fits and one line per layer; click a layer in the drawing to open its panel",
    zh: "“图表”面板：两条 “loss” 曲线重合；控制台打印两种方式拟合出的参数，以及每一层各一行输出；点击图中的某一层打开对应面板",
  },
  panel: "plots",
  formulas: [
    { tex: "L = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2", line: "const loss = err.square().mean();", label: { en: "mean squared error", zh: "均方误差" } },
    {
      tex: "\\frac{\\partial L}{\\partial w} = \\frac{1}{N} \\sum_i 2\\, e_i x_i, \\quad e_i = w x_i + b - y_i",
      line: "const dw = err.mul(x).mul(2).mean();",
      label: { en: "the gradient worked out by hand", zh: "手推的梯度" },
    },
    { tex: "\\frac{\\partial L}{\\partial b} = \\frac{1}{N} \\sum_i 2\\, e_i", line: "const db = err.mul(2).mean();" },
    {
      tex: "w \\leftarrow w - \\eta \\frac{\\partial L}{\\partial w}, \\quad b \\leftarrow b - \\eta \\frac{\\partial L}{\\partial b}",
      line: "return [loss, w.sub(dw.mul(lr)), b.sub(db.mul(lr))] as const;",
      label: { en: "the SGD update, by hand", zh: "手写的 SGD 更新" },
    },
    { tex: "\\nabla_{w,b} L", line: "loss.backward();", label: { en: "by reverse-mode autodiff (autograd)", zh: "由反向模式自动微分求得" } },
    {
      tex: "\\frac{\\partial L}{\\partial w} = \\sum_{d=1}^{2} \\frac{\\partial L_d}{\\partial w}",
      line: "const summed = dist.allReduce(",
      label: { en: "the runtime: an allReduce adds the devices' partial gradients", zh: "运行时：allReduce 把各设备的部分梯度相加" },
    },
  ],
  comments: {
    "Data: y = 2x + 0.5 plus a little deterministic wiggle, 32 points in [-1, 1].": "数据：y = 2x + 0.5，再加一点确定性的小扰动，[-1, 1] 上共 32 个点。",
    "1. By hand. loss = mean((w·x + b − y)²), so with err = w·x + b − y:": "1. 手推。loss = mean((w·x + b − y)²)，记 err = w·x + b − y，则：",
    "∂loss/∂w = mean(2·err·x)   ∂loss/∂b = mean(2·err)": "∂loss/∂w = mean(2·err·x)   ∂loss/∂b = mean(2·err)",
    "jit compiles the step into one graph in Graph mode; in Eager mode it runs line by line.":
      "在图模式下，jit 把这一步编译成一张图；在即时（Eager）模式下它逐行执行。",
    "the derivative we derived ourselves": "我们自己推导出的导数",
    "2. With autograd. We only write the forward pass; `backward()` walks the recorded ops in reverse":
      "2. 自动求导。我们只写前向计算；`backward()` 沿记录下的算子反向遍历，",
    "and fills w.grad and b.grad. The optimizer applies the same update rule, w ← w − lr·grad.":
      "并填好 w.grad 和 b.grad。优化器使用同样的更新规则：w ← w − lr·grad。",
    "the framework's job: d loss / d every parameter": "框架的工作：求 loss 对每个参数的导数",
    "Frontend: tensors, modules and optimizers are what you write against (the Console shows what you print).":
      "前端：你编写代码时直接调用的张量、模块和优化器（控制台显示你打印的内容）。",
    "3. The layers this run went through: the drawing above the lesson opens each one's panel.":
      "3. 这次运行经过的各层：课程上方的图可以打开每一层对应的面板。",
    "Operators: every tensor method is a primitive of the op table, with a shape rule and derivative rules.":
      "算子：每个张量方法都是算子表中的一个原语，带有形状规则和求导规则。",
    "Autodiff: one more backward outside jit, so the Tape panel lists the recorded ops.":
      "自动微分：在 jit 之外再做一次反向传播，让“梯度带”面板列出记录下的算子。",
    "Graph: in graph mode jit traces the hand-written step into an IR and runs the passes over it":
      "计算图：在图模式下，jit 把手写的训练步追踪成 IR，并让各个优化遍处理它",
    "(the Graph panel draws every stage); in Eager mode the loop above ran it op by op instead.":
      "（“计算图”面板画出每个阶段）；而在即时（Eager）模式下，上面的循环是逐个算子执行它的。",
    "Backend: the kernels that ran every op (WebGPU: WGSL in the Kernels panel; CPU: loops in JS).":
      "后端：执行每个算子的内核（WebGPU：“内核”面板中的 WGSL；CPU：JS 中的循环）。",
    "Runtime: two simulated devices take 16 points each; an allReduce sums their gradients, which":
      "运行时：两个模拟设备各处理 16 个点；allReduce 把它们的梯度相加，",
    "equals the gradient over all 32 points (the Cluster panel shows the transfer).": "结果等于在全部 32 个点上求得的梯度（“集群”面板展示这次传输）。",
    "Σ over this device's points": "对本设备上的点求和",
    "the simulated cluster computes on the host (CPU)": "模拟集群在宿主机（CPU）上计算",
  },
});
