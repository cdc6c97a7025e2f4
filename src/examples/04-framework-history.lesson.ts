import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Four eras of frameworks: library, dataflow graph, eager, compiler", zh: "框架发展的四个时代：库、数据流图、动态图、编译器" },
  figure: "framework-timeline",
  body: {
    en: `Framework basics — the history of frameworks (框架之争). The timeline above has one lane per era; pick one and press **Run this era**: its program is loaded into the editor and runs. All four solve the same task, fitting $y = w x + b$ to 8 points of $y = 2x + 1$ by gradient descent on

$$L(w, b) = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2, \\qquad w \\leftarrow w - \\eta \\frac{\\partial L}{\\partial w} .$$

**Library** (Torch 2002, NumPy 2006, Caffe 2013): arrays compute at once, and the backward pass is code you derive and type in — each Caffe layer shipped a hand-written \`Backward()\`. **Dataflow graph** (Theano 2007, TensorFlow 2015): you first declare the whole graph, with placeholders for the data and \`tf.gradients\` adding the backward nodes symbolically; a \`Session\` then feeds data through it. The framework sees the whole program and can optimise and distribute it, but you cannot print a value while building, and control flow needs graph ops.

**Eager, define-by-run** (Chainer 2015, PyTorch 2016/17, TensorFlow 2.0 in 2019): each line runs at once and records itself on a tape, so you print anything and use plain \`if\`/\`for\`; \`backward()\` replays the tape. Flexible, but the framework only ever sees one op at a time. **Compiler / DSL** (XLA 2017, JAX 2018, MindSpore 2020, torch.compile 2023): you write plain functions, transform them (\`grad\`), and a compiler traces them into an IR, fuses and runs it; a new input shape fails the cache's guard and retraces. MindSpore differentiates the source text itself (source-to-source), JAX and \`jit\` here a trace.

The losses in all four eras are the same numbers: what changed over time is who writes the derivative (you → the graph → the tape → a transform) and how much of the program the framework sees at once (one op → the whole graph).`,
    zh: `框架基础：AI 框架的发展（框架之争）。上面的时间线每个时代一条泳道；选一个时代，点击**运行这个时代的代码**：这个时代风格的程序会被载入编辑器并运行。四个时代解决的是同一个问题：用梯度下降把 $y = w x + b$ 拟合到 $y = 2x + 1$ 上的 8 个点，损失与更新为

$$L(w, b) = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2, \\qquad w \\leftarrow w - \\eta \\frac{\\partial L}{\\partial w} .$$

**库时代**（Torch 2002、NumPy 2006、Caffe 2013）：数组运算立即执行，反向传播是你自己推导、自己敲进去的代码——Caffe 的每一层都自带手写的 \`Backward()\`。**数据流图时代**（Theano 2007、TensorFlow 2015）：先声明整张计算图，数据用占位符表示，\`tf.gradients\` 以符号方式加入反向节点；再由 \`Session\` 把数据喂进这张图。框架能看到整个程序，可以优化、可以分布式执行，但构图时无法打印数值，控制流也得用图里的算子来写。

**动态图时代，define-by-run**（Chainer 2015、PyTorch 2016/17、2019 年的 TensorFlow 2.0）：每一行立即执行，并把自己记录到梯度带上，所以可以随手打印、直接写 \`if\`/\`for\`；\`backward()\` 反向重放这条梯度带。灵活，但框架每次只能看到一个算子。**编译器 / DSL 时代**（XLA 2017、JAX 2018、MindSpore 2020、torch.compile 2023）：你写普通的函数，对它做变换（\`grad\`），由编译器把它追踪成 IR、融合后执行；输入形状一变，缓存的守卫（guard）失败，就重新追踪。MindSpore 直接对源码做变换来求导（源码到源码），JAX 和这里的 \`jit\` 则基于追踪。

四个时代算出的损失完全相同：变的是谁来写导数（你自己 → 计算图 → 梯度带 → 函数变换），以及框架一次能看到多少程序（一个算子 → 整张图）。`,
  },
  lookAt: {
    en: "the timeline: select an era and press Run this era; then the Console (the graph printed before any data, values printed as they go, the optimised IR) and the Graph and Tape panels",
    zh: "时间线：选一个时代，点击“运行这个时代的代码”；然后看控制台（数据出现之前就打印出的图、边算边打印的数值、优化后的 IR），以及“计算图”和“梯度带”面板",
  },
  panel: "console",
  formulas: [
    { tex: "L = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2", line: "const loss = err.square().mean();", label: { en: "the loss, era 1", zh: "损失（时代 1）" } },
    {
      tex: "\\frac{\\partial L}{\\partial w} = \\frac{1}{N} \\sum_i 2 e_i x_i",
      line: "const dw = err.mul(xs).mul(2).mean();",
      label: { en: "derived by hand (library era)", zh: "手推（库时代）" },
    },
    { tex: "\\frac{\\partial L}{\\partial b} = \\frac{1}{N} \\sum_i 2 e_i", line: "const db = err.mul(2).mean();" },
    {
      tex: "\\nabla_{w,b} L \\text{ as graph nodes}",
      line: "valueAndGrad(lossOf, { argnums: [0, 1] })(w, b, x, y)",
      label: { en: "added to the graph symbolically (dataflow era)", zh: "以符号方式加入计算图（数据流图时代）" },
    },
    {
      tex: "\\nabla_{w,b} L \\text{ from the tape}",
      line: "loss.backward();",
      label: { en: "replaying the tape (eager era)", zh: "反向重放梯度带（动态图时代）" },
    },
    {
      tex: "\\text{jit}(\\nabla L)",
      line: "const step = jit(valueAndGrad(loss",
      label: { en: "a transform, traced and compiled (compiler era)", zh: "函数变换，经追踪与编译（编译器时代）" },
    },
  ],
  comments: {
    "One task for every era: fit y = w·x + b to 8 points of y = 2x + 1, loss = mean((w·x + b − y)²).":
      "每个时代都做同一件事：把 y = w·x + b 拟合到 y = 2x + 1 的 8 个点上，loss = mean((w·x + b − y)²)。",
    "eras 2–4 pick their own mode, then give the toolbar's back": "时代 2–4 各自选择执行模式，结束后恢复工具栏上的选择",
    "1. Library era (Torch 2002, NumPy 2006, Caffe 2013): arrays that compute at once; the backward":
      "1. 库时代（Torch 2002、NumPy 2006、Caffe 2013）：数组运算立即执行；反向传播",
    "pass is code you derive on paper and type in (Caffe: a Backward() written for every layer).":
      "是你在纸上推导后敲进去的代码（Caffe：每一层各写一个 Backward()）。",
    "forward: every line computes numbers": "前向：每一行都在计算具体数值",
    "backward, by hand: ∂L/∂w = mean(2·err·x)": "反向，手推：∂L/∂w = mean(2·err·x)",
    "∂L/∂b = mean(2·err)": "∂L/∂b = mean(2·err)",
    "2. Dataflow-graph era (Theano 2007, TensorFlow 2015): first declare the whole graph, gradients":
      "2. 数据流图时代（Theano 2007、TensorFlow 2015）：先声明整张计算图（梯度也在图里），",
    "included, with placeholders for the data; then a session feeds data and runs the graph.": "数据用占位符表示；再由 session 喂入数据并执行这张图。",
    "TF1 was graph-only, whatever the toolbar says": "TF1 只有图模式，不管工具栏选的是什么",
    "tf.gradients: more graph nodes": "相当于 tf.gradients：往图里再加一些节点",
    "only its shape matters while building": "构图时只有它的形状有意义",
    "session.run(train_op, feed_dict={x: xs, y: ys})": "session.run(train_op, feed_dict={x: xs, y: ys})",
    "3. Eager era (Chainer 2015, PyTorch 2016/17, TF 2.0 eager by default 2019): define-by-run.":
      "3. 动态图时代（Chainer 2015、PyTorch 2016/17、2019 年默认即时执行的 TF 2.0）：define-by-run。",
    "Each line runs at once and records itself on a tape; backward() walks the tape in reverse.":
      "每一行立即执行，并把自己记录到梯度带上；backward() 反向遍历这条梯度带。",
    "runs now: the numbers exist on this line": "立即执行：这一行结束时数值已经算出来了",
    "a plain print, mid-model": "在模型中间直接打印",
    "the tape recorded mul, add, sub, square, mean: replay it backwards": "梯度带记录了 mul、add、sub、square、mean：反向重放它",
    "4. Compiler era (XLA 2017, JAX 2018, MindSpore 2020, torch.compile 2023): write plain functions,":
      "4. 编译器时代（XLA 2017、JAX 2018、MindSpore 2020、torch.compile 2023）：写普通的函数，",
    "transform them (grad), and let a compiler trace them into an IR, optimise it and run it.": "对函数做变换（grad），由编译器把它追踪成 IR、优化后执行。",
    "JAX: jit(grad(f))": "JAX：jit(grad(f))",
    "a new shape: the guard fails": "新的形状：守卫检查失败",
    "MindSpore differentiates the source text instead of a trace: one point (x = 0.5, y = 2) here.":
      "MindSpore 对源码文本求导，而不是对追踪结果：这里取一个点（x = 0.5，y = 2）。",
  },
});
