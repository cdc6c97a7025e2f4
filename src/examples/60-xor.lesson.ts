import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "XOR: a small MLP learns what one line cannot", zh: "XOR：一条直线做不到的事，小 MLP 能学会" },
  body: {
    en: [
      "XOR is the classic problem no linear model can solve: the two classes sit in opposite corners (one where $x_1 x_2 > 0$, the other where $x_1 x_2 < 0$), so no single straight line separates them. A linear classifier scores $w^\\top x + b$, and its decision boundary is always a line.",
      "A **hidden layer** changes that. The network computes $z = W_2 \\tanh(W_1 x + b_1) + b_2$ with 8 tanh units: each unit is a soft step along some line in the plane, and the output layer combines these steps. Together they bend the input space until the corners can be told apart.",
      "The two outputs are class scores (logits), turned into probabilities by the **softmax** $p_k = e^{z_k} / \\sum_j e^{z_j}$. Training minimises the **cross-entropy**, the mean of $-\\log p_{y}$ over the samples, whose gradient with respect to the logits is simply $p - \\text{onehot}(y)$; Adam takes the steps. The training step is compiled once by `jit` in Graph mode and runs line by line in Eager mode, with the same results.",
      "The picture shows the points coloured by class over the network's class probabilities on a $40 \\times 40$ grid: where the two colours blend is its **decision boundary**. It starts as a tilted line and bends into a cross that splits the four quadrants.",
    ].join("\n\n"),
    zh: [
      "XOR 是任何线性模型都解决不了的经典问题：两类点分别位于相对的两个角（一类在 $x_1 x_2 > 0$ 处，另一类在 $x_1 x_2 < 0$ 处），没有哪条直线能把它们分开。线性分类器的得分是 $w^\\top x + b$，它的决策边界永远是一条直线。",
      "**隐藏层**改变了这一点。网络计算 $z = W_2 \\tanh(W_1 x + b_1) + b_2$，隐藏层有 8 个 tanh 单元：每个单元是沿平面上某条直线的一个平滑台阶，输出层把这些台阶组合起来。它们一起把输入空间弯折，直到对角能被区分开。",
      "两个输出是类别得分（logits），经 **softmax** $p_k = e^{z_k} / \\sum_j e^{z_j}$ 变成概率。训练最小化**交叉熵**，即各样本 $-\\log p_{y}$ 的平均，它对 logits 的梯度就是 $p - \\text{onehot}(y)$；由 Adam 执行更新。训练步在图模式下由 `jit` 编译一次，在即时（Eager）模式下逐行执行，结果相同。",
      "图中按类别着色的点画在网络在 $40 \\times 40$ 网格上给出的类别概率之上：两种颜色交融之处就是它的**决策边界**。它起初是一条斜线，随后弯成一个十字，把四个象限分开。",
    ].join("\n\n"),
  },
  lookAt: {
    en: 'The Plots panel: "xor", where the boundary starts as a tilted line and becomes a cross that splits the four quadrants; "loss" falls as it does.',
    zh: '绘图面板："xor" 图中，边界从一条斜线变成分开四个象限的十字；"loss" 随之下降。',
  },
  panel: "plots",
  formulas: [
    {
      tex: "z = W_2 \\tanh(W_1 x + b_1) + b_2",
      line: "const model = nn.sequential(nn.linear(2, 8), nn.tanh(), nn.linear(8, 2));",
      label: { en: "a hidden layer of 8 tanh units", zh: "8 个 tanh 单元的隐藏层" },
    },
    {
      tex: "L = -\\frac{1}{N}\\sum_{i=1}^{N} \\log \\frac{e^{z_{i,y_i}}}{\\sum_j e^{z_{i,j}}}, \\qquad \\frac{\\partial L}{\\partial z_i} = \\frac{1}{N}\\big(p_i - \\text{onehot}(y_i)\\big)",
      line: "const loss = nn.crossEntropy(model.forward(x), y);",
      label: { en: "cross-entropy and its gradient", zh: "交叉熵及其梯度" },
    },
    {
      tex: "p_k = \\operatorname{softmax}(z)_k = \\frac{e^{z_k}}{\\sum_j e^{z_j}}",
      line: "model.forward(p).softmax(-1)",
      label: { en: "class probabilities (the background)", zh: "类别概率（背景）" },
    },
    {
      tex: "\\text{accuracy} = \\frac{1}{N}\\sum_{i} \\big[\\arg\\max_k z_{i,k} = y_i\\big]",
      line: 'model.forward(x).argmax(-1).eq(y).cast("float32").mean()',
      label: { en: "accuracy", zh: "准确率" },
    },
  ],
  comments: {
    "the same initial weights in every run (Eager and Graph alike)": "每次运行的初始权重都相同（即时模式和图模式都一样）",
    "One training step; jit compiles it into one graph in Graph mode (Eager runs it line by line).":
      "一个训练步；在图模式下 jit 把它编译成一张计算图（即时模式则逐行执行）。",
    "Class probabilities on a 40×40 grid over the data: the background of the picture.": "数据范围上 40×40 网格的类别概率：图片的背景。",
    "Read back only every few steps: each read waits for the device, training steps need not.":
      "只每隔几步读回一次：每次读回都要等待设备，而训练步本身不必等。",
  },
});
