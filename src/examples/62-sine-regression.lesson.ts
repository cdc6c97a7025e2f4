import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Regression: fit a sine, the curve redrawn live", zh: "回归：拟合正弦曲线，实时重画" },
  body: {
    en: [
      "In **regression** the network outputs a number, not a class. The data are 64 noisy samples $y_i = \\sin(x_i) + \\varepsilon_i$ with $x_i$ in $[-\\pi, \\pi]$, and the loss is the **mean squared error** $L = \\frac{1}{N}\\sum_i (f(x_i) - y_i)^2$, whose gradient with respect to each prediction is $\\frac{2}{N}(f(x_i) - y_i)$: every point pulls the curve towards itself in proportion to its error.",
      "The model is a small MLP, $1 \\to 32 \\to 32 \\to 1$ with tanh activations. It starts as an almost flat curve; gradient descent (Adam) bends it through the points, the smooth tanh units giving a smooth curve.",
      "Between the samples the network **interpolates**, and does it well. Outside them ($|x| > \\pi$) it has seen nothing, so it **extrapolates** with whatever its tanh units happen to do there, usually levelling off, while the true sine keeps turning. A fitted model is only trustworthy where it had data.",
    ].join("\n\n"),
    zh: [
      "在**回归**中，网络输出的是一个数而不是类别。数据是 64 个带噪声的样本 $y_i = \\sin(x_i) + \\varepsilon_i$，$x_i$ 位于 $[-\\pi, \\pi]$，损失是**均方误差** $L = \\frac{1}{N}\\sum_i (f(x_i) - y_i)^2$，它对每个预测值的梯度是 $\\frac{2}{N}(f(x_i) - y_i)$：每个点都按其误差大小把曲线拉向自己。",
      "模型是一个小 MLP，$1 \\to 32 \\to 32 \\to 1$，激活函数为 tanh。它起初几乎是一条平线；梯度下降（Adam）把它弯折着穿过这些点，平滑的 tanh 单元给出平滑的曲线。",
      "在样本之间，网络做的是**内插**，效果很好。在样本之外（$|x| > \\pi$）它什么也没见过，只能按 tanh 单元在那里碰巧的行为去**外推**，通常是趋于平缓，而真正的正弦曲线还在继续转弯。拟合出的模型只在有数据的地方才可信。",
    ].join("\n\n"),
  },
  lookAt: {
    en: 'The Plots panel: "fit" shows the samples, the true sin(x) and the model\'s curve, redrawn while it trains; "loss" falls on a log-like curve. The console compares the model with sin at three points.',
    zh: '绘图面板："fit" 显示样本点、真实的 sin(x) 和模型曲线，训练时不断重画；"loss" 近似按对数规律下降。控制台在三个点上比较模型与 sin 的值。',
  },
  panel: "plots",
  formulas: [
    {
      tex: "L = \\frac{1}{N}\\sum_{i=1}^{N} \\big(f(x_i) - y_i\\big)^2, \\qquad \\frac{\\partial L}{\\partial f(x_i)} = \\frac{2}{N}\\big(f(x_i) - y_i\\big)",
      line: "const loss = nn.mse(model.forward(x), y);",
      label: { en: "mean squared error and its gradient", zh: "均方误差及其梯度" },
    },
    {
      tex: "f(x) = W_3 \\tanh\\big(W_2 \\tanh(W_1 x + b_1) + b_2\\big) + b_3",
      line: "const model = nn.sequential(nn.linear(1, 32), nn.tanh(), nn.linear(32, 32), nn.tanh(), nn.linear(32, 1));",
      label: { en: "the model: 1 → 32 → 32 → 1", zh: "模型：1 → 32 → 32 → 1" },
    },
  ],
  comments: {
    "x, y: [64, 1]": "x、y：[64, 1]",
    "The curves are drawn on 120 points from -4 to 4 (a little beyond the data).": "曲线画在 -4 到 4 之间的 120 个点上（比数据范围略宽）。",
    "Read back only every few steps: each read waits for the device, training steps need not.":
      "只每隔几步读回一次：每次读回都要等待设备，而训练步本身不必等。",
  },
});
