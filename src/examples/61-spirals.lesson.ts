import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Spirals: watch a decision boundary grow while it trains", zh: "螺旋：看着决策边界在训练中长出来" },
  body: {
    en: [
      "Three interleaved spiral arms (the CS231n dataset) need a decision boundary that winds around the centre, far beyond what a line or a few lines can do. An MLP with two hidden layers of 64 **ReLU** units learns it: $z = W_3\\,\\mathrm{ReLU}(W_2\\,\\mathrm{ReLU}(W_1 x + b_1) + b_2) + b_3$, with $\\mathrm{ReLU}(u) = \\max(0, u)$.",
      "Each ReLU unit is zero on one side of a line and linear on the other, so the network is piecewise linear: its decision boundary is made of straight pieces. Watch the pieces multiply and bend into spirals as the loss falls.",
      "The loss is the cross-entropy of the softmax over the three class scores, computed on the whole dataset at every step, and **Adam** takes the steps: it keeps running averages of the gradient and of its square, $m \\leftarrow \\beta_1 m + (1-\\beta_1) g$ and $v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2$, and moves each weight by $\\eta\\,\\hat m / (\\sqrt{\\hat v} + \\epsilon)$, a step of about $\\eta$ whatever the gradient's scale. The step also returns the batch accuracy, computed inside the same compiled graph without gradients.",
      "The picture is redrawn every few steps: reading a value back from the device waits for it to finish, so the loop reads only now and then, and the training steps in between never wait.",
    ].join("\n\n"),
    zh: [
      "三条相互交错的螺旋臂（CS231n 的数据集）需要一条绕着中心盘旋的决策边界，远非一条或几条直线所能做到。一个有两层、每层 64 个 **ReLU** 单元的 MLP 可以学会它：$z = W_3\\,\\mathrm{ReLU}(W_2\\,\\mathrm{ReLU}(W_1 x + b_1) + b_2) + b_3$，其中 $\\mathrm{ReLU}(u) = \\max(0, u)$。",
      "每个 ReLU 单元在某条直线的一侧为零、另一侧是线性的，所以整个网络是分段线性的：它的决策边界由一段段直线组成。随着损失下降，可以看到这些线段越来越多，并弯成螺旋。",
      "损失是三个类别得分经 softmax 后的交叉熵，每一步都在整个数据集上计算，由 **Adam** 执行更新：它维护梯度及其平方的滑动平均，$m \\leftarrow \\beta_1 m + (1-\\beta_1) g$、$v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2$，并把每个权重移动 $\\eta\\,\\hat m / (\\sqrt{\\hat v} + \\epsilon)$，无论梯度的量级如何，步长都约为 $\\eta$。训练步还返回这批数据的准确率，它在同一张编译后的计算图中、不求梯度地算出。",
      "图片每隔几步重画一次：从设备读回数值要等设备算完，所以循环只偶尔读回，中间的训练步从不等待。",
    ].join("\n\n"),
  },
  lookAt: {
    en: 'The Plots panel: "spirals" is redrawn while the network trains (the library sends at most 30 pictures a second, so redrawing often costs little); "loss" and "accuracy" below it.',
    zh: '绘图面板："spirals" 在网络训练时不断重画（库每秒最多发送 30 幅图，所以频繁重画的代价很小）；下面是 "loss" 和 "accuracy"。',
  },
  panel: "plots",
  formulas: [
    {
      tex: "z = W_3\\,\\mathrm{ReLU}\\big(W_2\\,\\mathrm{ReLU}(W_1 x + b_1) + b_2\\big) + b_3, \\qquad \\mathrm{ReLU}(u) = \\max(0, u)",
      line: "const model = nn.sequential(nn.linear(2, 64), nn.relu(), nn.linear(64, 64), nn.relu(), nn.linear(64, 3));",
      label: { en: "two hidden layers of 64 ReLU units", zh: "两层各 64 个 ReLU 单元的隐藏层" },
    },
    {
      tex: "m \\leftarrow \\beta_1 m + (1-\\beta_1)\\,g, \\quad v \\leftarrow \\beta_2 v + (1-\\beta_2)\\,g^2, \\quad w \\leftarrow w - \\eta\\,\\frac{\\hat m}{\\sqrt{\\hat v} + \\epsilon}",
      line: "const opt = optim.adam(model.parameters(), { lr: 0.01 });",
      label: { en: "Adam (m̂, v̂: bias-corrected averages)", zh: "Adam（m̂、v̂ 为偏差修正后的平均）" },
    },
    {
      tex: "L = -\\frac{1}{N}\\sum_{i=1}^{N} \\log \\operatorname{softmax}(z_i)_{y_i}",
      line: "const loss = nn.crossEntropy(logits, y);",
      label: { en: "cross-entropy over three classes", zh: "三个类别上的交叉熵" },
    },
  ],
  comments: {
    "Read back only every few steps: each read waits for the device, training steps need not.":
      "只每隔几步读回一次：每次读回都要等待设备，而训练步本身不必等。",
  },
});
