import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Build a PyTorch: a scalar autograd engine with a tape", zh: "动手造一个 PyTorch：基于 tape 的标量自动求导引擎" },
  body: {
    en: `Automatic differentiation — a reverse-mode framework by hand (micrograd-style). A \`Value\` holds a number and its gradient. Each operation appends its result to a **tape**, together with a closure that knows the op's local derivative.

\`backward()\` seeds $\\partial L / \\partial L = 1$ and walks the tape in reverse. Each node adds its contribution into its inputs — for $z = x \\cdot y$:

$$\\bar x \\mathrel{+}= y \\, \\bar z, \\qquad \\bar y \\mathrel{+}= x \\, \\bar z ,$$

where $\\bar v = \\partial L / \\partial v$. That is the chain rule, applied one node at a time; the $+=$ sums over every path from $v$ to $L$.

On top of it: a Module (Neuron, Layer, MLP), an SGD optimizer $p \\leftarrow p - \\eta\\, \\bar p$ and a training loop — then the same MLP, from the same weights, trained with webgrad's \`nn\` and \`optim\`. Each Linear layer there is one matmul instead of $n_{in} \\cdot n_{out}$ scalar ops.`,
    zh: `自动微分：手写一个反向模式框架（micrograd 风格）。\`Value\` 保存一个数及其梯度。每个运算都把结果追加到 **tape** 上，同时附带一个闭包，这个闭包知道该运算的局部导数。

\`backward()\` 以 $\\partial L / \\partial L = 1$ 为种子，逆序遍历 tape。每个节点把自己的贡献累加到输入上——对 $z = x \\cdot y$：

$$\\bar x \\mathrel{+}= y \\, \\bar z, \\qquad \\bar y \\mathrel{+}= x \\, \\bar z ,$$

其中 $\\bar v = \\partial L / \\partial v$。这就是逐个节点应用的链式法则；$+=$ 把从 $v$ 到 $L$ 的所有路径上的贡献加在一起。

在此之上再搭一个 Module（Neuron、Layer、MLP）、一个 SGD 优化器 $p \\leftarrow p - \\eta\\, \\bar p$ 和训练循环——然后用 webgrad 的 \`nn\` 和 \`optim\`，从相同的权重出发训练同样的 MLP。在那里每个线性层是一次矩阵乘法，而不是 $n_{in} \\cdot n_{out}$ 次标量运算。`,
  },
  lookAt: {
    en: "the Plots panel: “loss” has the hand-made engine and webgrad on top of each other; the Console shows the final predictions of both",
    zh: "“图表”面板：“loss” 中手写引擎与 webgrad 的曲线重合；控制台显示两者最终的预测值",
  },
  panel: "plots",
  formulas: [
    { tex: "\\bar x \\mathrel{+}= y\\, \\bar z", line: "this.grad += b.data * out.grad;", label: { en: "vjp of z = x·y", zh: "z = x·y 的 VJP" } },
    {
      tex: "\\bar x \\mathrel{+}= (1 - \\tanh^2 x)\\, \\bar z",
      line: "this.grad += (1 - t * t) * out.grad;",
      label: { en: "vjp of z = tanh x", zh: "z = tanh x 的 VJP" },
    },
    { tex: "\\bar L = \\frac{\\partial L}{\\partial L} = 1", line: "this.grad = 1;", label: { en: "the seed", zh: "种子梯度" } },
    { tex: "L = \\frac{1}{N} \\sum_k (\\hat y_k - y_k)^2", line: ".mul(1 / xs.length);", label: { en: "mean squared error", zh: "均方误差" } },
    { tex: "p \\leftarrow p - \\eta\\, \\bar p", line: "p.data -= this.lr * p.grad;", label: { en: "SGD step", zh: "SGD 更新" } },
  ],
  comments: {
    "---------------------------------------------------------------- the engine (~40 lines)":
      "---------------------------------------------------------------- 引擎（约 40 行）",
    "The tape: every Value made by an operation, in the order it was computed.": "tape：由运算产生的每个 Value，按计算顺序排列。",
    "Adds this node's gradient into its inputs' gradients (its local chain rule).": "把本节点的梯度累加到其输入的梯度上（局部的链式法则）。",
    "Reverse-mode AD: seed 1, then replay the tape backwards.": "反向模式自动微分：种子为 1，然后逆序回放 tape。",
    "---------------------------------------------------------------- Module and optimizer":
      "---------------------------------------------------------------- Module 与优化器",
    'Deterministic "random" weights, so both implementations can start from the same ones.': "确定性的“随机”权重，让两种实现从相同的权重出发。",
    "[out][in], like nn.linear's weight": "[out][in]，与 nn.linear 的权重布局相同",
    "---------------------------------------------------------------- training, by hand":
      "---------------------------------------------------------------- 手写训练",
    "Copy the starting weights out before training changes them: webgrad's model gets the same.":
      "在训练改变权重之前先把初始权重复制出来：webgrad 的模型使用同样的权重。",
    "a fresh tape per step, like PyTorch's graph freed after backward": "每步一条新的 tape，就像 PyTorch 在反向传播后释放计算图",
    "mean squared error": "均方误差",
    "---------------------------------------------------------------- the same with webgrad":
      "---------------------------------------------------------------- 用 webgrad 做同样的事",
    "The same MLP as tensors: each Linear is one matmul instead of nin·nout scalar ops.":
      "用张量表示同样的 MLP：每个 Linear 是一次矩阵乘法，而不是 nin·nout 次标量运算。",
  },
});
