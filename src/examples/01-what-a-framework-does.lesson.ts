import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "What a framework does for you: gradients by hand vs autograd", zh: "框架为你做了什么：手推梯度 vs 自动求导" },
  body: {
    en: `Framework basics — what a framework does for you. We fit $y = w x + b$ to 32 points twice, minimising the mean squared error

$$L(w, b) = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2 .$$

**By hand**, we work out $\\partial L / \\partial w$ and $\\partial L / \\partial b$ on paper and type them in. **With autograd**, we write only the forward pass; \`loss.backward()\` replays the recorded ops in reverse and fills \`w.grad\` and \`b.grad\`. Both versions then take the same gradient-descent step $\\theta \\leftarrow \\theta - \\eta \\, \\nabla_\\theta L$ with learning rate $\\eta$.

The two loss curves lie on top of each other: the numbers are the same. The difference is who did the calculus — the hand-written version has to be redone, and can be got wrong, for every new model. That bookkeeping is the first thing a framework takes off your hands.`,
    zh: `框架基础：框架为你做了什么。我们用两种方式把 $y = w x + b$ 拟合到 32 个数据点上，最小化均方误差

$$L(w, b) = \\frac{1}{N} \\sum_i (w x_i + b - y_i)^2 .$$

**手推**：在纸上推导出 $\\partial L / \\partial w$ 和 $\\partial L / \\partial b$，再把公式写进代码。**自动求导**：只写前向计算，\`loss.backward()\` 沿着记录下来的算子反向执行，把梯度填进 \`w.grad\` 和 \`b.grad\`。两种做法随后都按学习率 $\\eta$ 做同样的梯度下降更新 $\\theta \\leftarrow \\theta - \\eta \\, \\nabla_\\theta L$。

两条损失曲线完全重合：每一步的数值都一样。区别在于谁来做微积分：手推的版本每换一个模型就得重新推一遍，而且可能推错。把这部分工作接过去，正是框架做的第一件事。`,
  },
  lookAt: {
    en: "the Plots panel: the two “loss” lines lie on top of each other; the Console prints both fits side by side",
    zh: "“图表”面板：两条 “loss” 曲线重合；控制台并排打印两种方式拟合出的参数",
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
  },
});
