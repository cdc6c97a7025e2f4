import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Build a PyTorch: a scalar autograd engine with a tape", zh: "动手造一个 PyTorch：基于 tape 的标量自动求导引擎" },
  body: {
    en: `Automatic differentiation — a reverse-mode framework by hand (micrograd-style). A \`Value\` holds a number and its gradient. Each operation appends its result to a **tape**, together with a closure that knows the op's local derivative.

\`backward()\` seeds $\\partial L / \\partial L = 1$ and walks the tape in reverse. Each node adds its contribution into its inputs — for $z = x \\cdot y$:

$$\\bar x \\mathrel{+}= y \\, \\bar z, \\qquad \\bar y \\mathrel{+}= x \\, \\bar z ,$$

where $\\bar v = \\partial L / \\partial v$. That is the chain rule, applied one node at a time; the $+=$ sums over every path from $v$ to $L$.

**See it run.** One neuron $o = \\tanh(x_1 w_1 + x_2 w_2 + b)$ goes to the Tape panel through \`showTape\`: the engine's own nodes, each with its value; the backward hands the panel every node right after its step, so stepping shows $\\bar o = 1$ arriving at tanh, then $\\bar n = (1 - o^2)\\,\\bar o = 0.5$, then $\\bar w_1 = x_1 \\bar n = 1$ and $\\bar x_1 = w_1 \\bar n = -1.5$ — the engine's numbers, so a wrong rule shows as a wrong number at the step that made it.

On top of it: a Module (Neuron, Layer, MLP), an SGD optimizer $p \\leftarrow p - \\eta\\, \\bar p$ and a training loop — then the same MLP, from the same weights, trained with webgrad's \`nn\` and \`optim\`. Each Linear layer there is one matmul instead of $n_{in} \\cdot n_{out}$ scalar ops.`,
    zh: `自动微分：手写一个反向模式框架（micrograd 风格）。\`Value\` 保存一个数及其梯度。每个运算都把结果追加到 **tape** 上，同时附带一个闭包，这个闭包知道该运算的局部导数。

\`backward()\` 以 $\\partial L / \\partial L = 1$ 为种子，逆序遍历 tape。每个节点把自己的贡献累加到输入上——对 $z = x \\cdot y$：

$$\\bar x \\mathrel{+}= y \\, \\bar z, \\qquad \\bar y \\mathrel{+}= x \\, \\bar z ,$$

其中 $\\bar v = \\partial L / \\partial v$。这就是逐个节点应用的链式法则；$+=$ 把从 $v$ 到 $L$ 的所有路径上的贡献加在一起。

**看它运行。** 一个神经元 $o = \\tanh(x_1 w_1 + x_2 w_2 + b)$ 通过 \`showTape\` 送进 Tape 面板：画出的是这个引擎自己的节点，每个都带着它的值；反向传播每执行完一个节点的反向步骤，就把该节点交给面板，所以单步执行时可以看到 $\\bar o = 1$ 先到达 tanh，接着 $\\bar n = (1 - o^2)\\,\\bar o = 0.5$，然后 $\\bar w_1 = x_1 \\bar n = 1$、$\\bar x_1 = w_1 \\bar n = -1.5$。这些都是引擎自己算出的数，所以哪条求导规则写错了，错误的数值就会出现在算出它的那一步。

在此之上再搭一个 Module（Neuron、Layer、MLP）、一个 SGD 优化器 $p \\leftarrow p - \\eta\\, \\bar p$ 和训练循环——然后用 webgrad 的 \`nn\` 和 \`optim\`，从相同的权重出发训练同样的 MLP。在那里每个线性层是一次矩阵乘法，而不是 $n_{in} \\cdot n_{out}$ 次标量运算。`,
  },
  lookAt: {
    en: "the Tape panel: the hand-made engine's neuron as a graph (Graph view), each box with its value; step ▶ through its backward and watch each gradient ḡ arrive. Then the Plots panel: “loss” has the hand-made engine and webgrad on top of each other; the Console shows the final predictions of both",
    zh: "“Tape”面板：手写引擎的那个神经元画成计算图（“图”视图），每个框都标着它的值；用 ▶ 单步执行反向传播，看每个梯度 ḡ 依次到达。再看“图表”面板：“loss” 中手写引擎与 webgrad 的曲线重合；控制台显示两者最终的预测值",
  },
  panel: "tape",
  formulas: [
    { tex: "\\bar x \\mathrel{+}= y\\, \\bar z", line: "this.grad += b.data * out.grad;", label: { en: "vjp of z = x·y", zh: "z = x·y 的 VJP" } },
    {
      tex: "\\bar x \\mathrel{+}= (1 - \\tanh^2 x)\\, \\bar z",
      line: "this.grad += (1 - t * t) * out.grad;",
      label: { en: "vjp of z = tanh x", zh: "z = tanh x 的 VJP" },
    },
    { tex: "\\bar L = \\frac{\\partial L}{\\partial L} = 1", line: "this.grad = 1;", label: { en: "the seed", zh: "种子梯度" } },
    {
      tex: "o = \\tanh(x_1 w_1 + x_2 w_2 + b)",
      line: "const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();",
      label: { en: "one neuron, drawn in the Tape panel", zh: "一个神经元，画在 Tape 面板中" },
    },
    {
      tex: "\\frac{\\partial o}{\\partial n} = 1 - o^2, \\quad \\frac{\\partial o}{\\partial w_1} = x_1 (1 - o^2)",
      line: "const dn = 1 - o.data * o.data;",
      label: { en: "the neuron's gradients by hand", zh: "手推神经元的梯度" },
    },
    { tex: "L = \\frac{1}{N} \\sum_k (\\hat y_k - y_k)^2", line: ".mul(1 / xs.length);", label: { en: "mean squared error", zh: "均方误差" } },
    { tex: "p \\leftarrow p - \\eta\\, \\bar p", line: "p.data -= this.lr * p.grad;", label: { en: "SGD step", zh: "SGD 更新" } },
  ],
  comments: {
    "---------------------------------------------------------------- the engine (~50 lines)":
      "---------------------------------------------------------------- 引擎（约 50 行）",
    "What the Tape panel calls a leaf (an input or a weight); ops are named by their op.": "Tape 面板给叶子节点（输入或权重）用的名字；运算节点以其算子命名。",
    "the graph's edges (micrograd's _prev)": "计算图的边（即 micrograd 的 _prev）",
    "---------------------------------------------------------------- one neuron, in the Tape panel":
      "---------------------------------------------------------------- 一个神经元，画在 Tape 面板中",
    "o = tanh(x1·w1 + x2·w2 + b). showTape draws the engine's own nodes in the Tape panel; the":
      "o = tanh(x1·w1 + x2·w2 + b)。showTape 把引擎自己的节点画进 Tape 面板；",
    "backward hands it each node right after its step, so the panel steps through the engine's grads.":
      "反向传播在每个节点的反向步骤之后把该节点交给它，于是面板可以逐步展示引擎算出的梯度。",
    "By hand: ∂o/∂n = 1 − o², then each weight gets its input times that (and each input its weight).":
      "手推：∂o/∂n = 1 − o²，每个权重的梯度是它的输入乘以这个值（每个输入的梯度是它的权重乘以这个值）。",
    "The tape: every Value made by an operation, in the order it was computed.": "tape：由运算产生的每个 Value，按计算顺序排列。",
    "Adds this node's gradient into its inputs' gradients (its local chain rule).": "把本节点的梯度累加到其输入的梯度上（局部的链式法则）。",
    "Reverse-mode AD: seed 1, then replay the tape backwards (onStep sees each node after its step).":
      "反向模式自动微分：种子为 1，然后逆序回放 tape（onStep 在每个节点的反向步骤之后看到该节点）。",
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
