import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Gradient descent by hand", zh: "手写梯度下降" },
  body: {
    en: `Framework basics — what a gradient is for, before any framework computes it. We fit $y = w x$ to data made with $w = 3$ by minimising the mean squared error

$$L(w) = \\frac{1}{N} \\sum_i (w x_i - y_i)^2, \\qquad \\frac{dL}{dw} = \\frac{1}{N} \\sum_i 2 (w x_i - y_i)\\, x_i .$$

Each step moves $w$ a little against the derivative: $w \\leftarrow w - \\eta \\, dL/dw$. Watch the loss fall and $w$ approach 3. Then try a larger learning rate $\\eta$ (say 0.5): the steps overshoot, and the loss grows instead of falling.

Everything later in the course automates the derivative part of this loop.`,
    zh: `框架基础：在让框架计算梯度之前，先看梯度是用来做什么的。数据由 $w = 3$ 生成，我们通过最小化均方误差来拟合 $y = w x$：

$$L(w) = \\frac{1}{N} \\sum_i (w x_i - y_i)^2, \\qquad \\frac{dL}{dw} = \\frac{1}{N} \\sum_i 2 (w x_i - y_i)\\, x_i .$$

每一步让 $w$ 沿导数的反方向走一小步：$w \\leftarrow w - \\eta \\, dL/dw$。观察损失下降、$w$ 逐渐接近 3。再试试更大的学习率 $\\eta$（比如 0.5）：步子迈得太大会越过最优点，损失不降反升。

课程后面的内容，都是在把这个循环里“求导”这一部分自动化。`,
  },
  lookAt: {
    en: "the Plots panel, the “loss” and “w” charts; then change `lr` and run again",
    zh: "“图表”面板中的 “loss” 和 “w” 两张图；然后修改 `lr` 再运行一次",
  },
  panel: "plots",
  formulas: [
    { tex: "e_i = w x_i - y_i", line: "const err = w * xs[i] - ys[i];" },
    { tex: "L = \\frac{1}{N} \\sum_i e_i^2", line: "loss += err * err;", label: { en: "summed here, divided by N below", zh: "此处累加，下面再除以 N" } },
    {
      tex: "\\frac{dL}{dw} = \\frac{1}{N} \\sum_i 2 e_i x_i",
      line: "grad += 2 * err * xs[i];",
      label: { en: "the derivative worked out by hand", zh: "手推的导数" },
    },
    { tex: "w \\leftarrow w - \\eta \\, \\frac{dL}{dw}", line: "w -= lr * grad;", label: { en: "gradient descent step", zh: "梯度下降一步" } },
  ],
  comments: {
    'Drag the "learning rate" knob above the editor: small values crawl; past ~0.37 each step':
      '拖动编辑器上方的 "learning rate"（学习率）旋钮：取值小时收敛很慢；超过约 0.37 后每一步',
    "overshoots w = 3 and swings back; past ~0.75 every swing is larger than the last (divergence).":
      "都会越过 w = 3 再摆回来；超过约 0.75 后每次摆动都比上一次更大（发散）。",
    "Fit y = w·x to data generated with w = 3, using the derivative we worked out by hand:": "用我们手推的导数，把 y = w·x 拟合到由 w = 3 生成的数据上：",
    "loss(w) = mean((w·x − y)²)  ⇒  dloss/dw = mean(2·(w·x − y)·x)": "loss(w) = mean((w·x − y)²)  ⇒  dloss/dw = mean(2·(w·x − y)·x)",
    "let the chart draw live": "让图表实时刷新",
  },
});
