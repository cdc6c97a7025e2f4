import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Gradient descent by hand", zh: "手写梯度下降" },
  body: {
    en: `Framework basics — what a gradient is for, before any framework computes it. We fit $y = w x$ to data made with $w = 3$ by minimising the mean squared error

$$L(w) = \\frac{1}{N} \\sum_i (w x_i - y_i)^2, \\qquad \\frac{dL}{dw} = \\frac{1}{N} \\sum_i 2 (w x_i - y_i)\\, x_i .$$

Each step moves $w$ a little against the derivative: $w \\leftarrow w - \\eta \\, dL/dw$. Watch the loss fall and $w$ approach 3.

How large may a step be? The loss is a parabola in $w$ with curvature $L'' = \\frac{2}{N} \\sum_i x_i^2$ (2.67 for these points), so each step multiplies the distance to the best $w^*$ by the same factor:

$$w_{t+1} - w^* = (1 - \\eta L'')\\,(w_t - w^*) .$$

Drag the **learning rate** knob. Below $\\eta = 1/L'' \\approx 0.37$ the factor is positive and $w$ creeps up to 3; above it the factor is negative and $w$ overshoots, swinging around 3 (at 0.5 it still settles); above $\\eta = 2/L'' \\approx 0.75$ (try 0.9) the factor is below $-1$, every swing is larger than the last and the loss grows instead of falling. The Console prints the factor and both thresholds for the knob's $\\eta$.

Everything later in the course automates the derivative part of this loop.`,
    zh: `框架基础：在让框架计算梯度之前，先看梯度是用来做什么的。数据由 $w = 3$ 生成，我们通过最小化均方误差来拟合 $y = w x$：

$$L(w) = \\frac{1}{N} \\sum_i (w x_i - y_i)^2, \\qquad \\frac{dL}{dw} = \\frac{1}{N} \\sum_i 2 (w x_i - y_i)\\, x_i .$$

每一步让 $w$ 沿导数的反方向走一小步：$w \\leftarrow w - \\eta \\, dL/dw$。观察损失下降、$w$ 逐渐接近 3。

步子可以迈多大？损失是 $w$ 的一条抛物线，曲率为 $L'' = \\frac{2}{N} \\sum_i x_i^2$（这组数据为 2.67），所以每一步都把到最优点 $w^*$ 的距离乘上同一个因子：

$$w_{t+1} - w^* = (1 - \\eta L'')\\,(w_t - w^*) .$$

拖动 **learning rate**（学习率）旋钮。$\\eta$ 小于 $1/L'' \\approx 0.37$ 时因子为正，$w$ 慢慢爬向 3；超过它因子变为负数，$w$ 会越过最优点，在 3 附近来回摆动（取 0.5 时仍会收敛）；超过 $2/L'' \\approx 0.75$（试试 0.9）后因子小于 $-1$，每次摆动都比上一次更大，损失不降反升。控制台会打印当前 $\\eta$ 对应的因子和这两个阈值。

课程后面的内容，都是在把这个循环里“求导”这一部分自动化。`,
  },
  lookAt: {
    en: "the Plots panel, the “loss” and “w” charts; then drag the “learning rate” knob above the editor (0.5, then 0.9) and compare with the factor and thresholds the Console prints",
    zh: "“图表”面板中的 “loss” 和 “w” 两张图；然后拖动编辑器上方的 “learning rate”（学习率）旋钮（先取 0.5，再取 0.9），对照控制台打印的因子和阈值",
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
    {
      tex: "L'' = \\frac{2}{N} \\sum_i x_i^2",
      line: "const curvature = (2 * xs.reduce(",
      label: { en: "the curvature: overshoot above η = 1/L″, divergence above 2/L″", zh: "曲率：η 超过 1/L″ 时越过最优点，超过 2/L″ 时发散" },
    },
  ],
  comments: {
    'Drag the "learning rate" knob above the editor: small values crawl; past ~0.37 each step':
      '拖动编辑器上方的 "learning rate"（学习率）旋钮：取值小时收敛很慢；超过约 0.37 后每一步',
    "overshoots w = 3 and swings back; past ~0.75 every swing is larger than the last (divergence).":
      "都会越过 w = 3 再摆回来；超过约 0.75 后每次摆动都比上一次更大（发散）。",
    "Fit y = w·x to data generated with w = 3, using the derivative we worked out by hand:": "用我们手推的导数，把 y = w·x 拟合到由 w = 3 生成的数据上：",
    "loss(w) = mean((w·x − y)²)  ⇒  dloss/dw = mean(2·(w·x − y)·x)": "loss(w) = mean((w·x − y)²)  ⇒  dloss/dw = mean(2·(w·x − y)·x)",
    "let the chart draw live": "让图表实时刷新",
    "The loss is a parabola in w with curvature L'' = 2·mean(x²): each step multiplies the distance":
      "损失是 w 的抛物线，曲率 L'' = 2·mean(x²)：每一步都把到最优 w 的距离",
    "to the best w by (1 − lr·L''), so the two thresholds above are 1/L'' and 2/L''.": "乘以 (1 − lr·L'')，所以上面两个阈值就是 1/L'' 和 2/L''。",
  },
});
