import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "MNIST: hand-written digits, 90 % in a minute", zh: "MNIST：手写数字，一分钟达到 90%" },
  body: {
    en: [
      'The "hello world" of deep learning. 6 000 hand-written digits ($28 \\times 28$ grey levels, bundled with the app) train a two-layer MLP, $784 \\to 64 \\to 10$: $z = W_2\\,\\mathrm{ReLU}(W_1 x + b_1) + b_2$, about 51 000 parameters. To it, each image is just a vector of 784 numbers: it learns which pixels vote for which digit.',
      "Training uses **mini-batches** of 100 shuffled images: each step computes the cross-entropy and its gradient on one batch only, a noisy but cheap estimate of the gradient over the whole training set, and Adam takes the step. 60 batches make one **epoch**, one pass over the training set.",
      "Accuracy on the training batch says how well the model fits what it sees; the 1 000 **test** digits it never trains on say how well it **generalises**. Expect over 90 % test accuracy after a few hundred steps. The pictures show 40 test digits with the network's answers, redrawn as it learns.",
    ].join("\n\n"),
    zh: [
      '深度学习的 "hello world"。6000 个手写数字（$28 \\times 28$ 的灰度图，随应用一起打包）训练一个两层 MLP，$784 \\to 64 \\to 10$：$z = W_2\\,\\mathrm{ReLU}(W_1 x + b_1) + b_2$，约 5.1 万个参数。对它来说，每张图只是 784 个数组成的向量：它学的是哪些像素为哪个数字投票。',
      "训练使用打乱后每批 100 张图的**小批次**（mini-batch）：每一步只在一批数据上计算交叉熵及其梯度，这是对整个训练集梯度的一个有噪声但很便宜的估计，然后由 Adam 更新。60 个批次构成一个**轮次**（epoch），即把训练集过一遍。",
      "训练批上的准确率说明模型对见过的数据拟合得多好；从不参与训练的 1000 个**测试**数字则说明它的**泛化**能力。几百步之后测试准确率应超过 90%。图中显示 40 个测试数字及网络给出的答案，随学习过程不断重画。",
    ].join("\n\n"),
  },
  lookAt: {
    en: 'The Plots panel: "test digits" shows 40 test images with the network\'s answers (green right, red and framed wrong), redrawn as it learns; "loss" and "accuracy" (train batch vs test) below.',
    zh: '绘图面板："test digits" 显示 40 张测试图片及网络的答案（绿色为正确，红色加框为错误），随学习过程重画；下面是 "loss" 和 "accuracy"（训练批与测试集对比）。',
  },
  panel: "plots",
  formulas: [
    {
      tex: "z = W_2\\,\\mathrm{ReLU}(W_1 x + b_1) + b_2, \\qquad W_1 \\in \\mathbb{R}^{64 \\times 784},\\; W_2 \\in \\mathbb{R}^{10 \\times 64}",
      line: "const model = nn.sequential(nn.linear(784, 64), nn.relu(), nn.linear(64, 10));",
      label: { en: "784 → 64 → 10: 784·64 + 64 + 64·10 + 10 = 50 890 parameters", zh: "784 → 64 → 10：784·64 + 64 + 64·10 + 10 = 50890 个参数" },
    },
    {
      tex: "L_\\text{batch} = -\\frac{1}{100}\\sum_{i \\in \\text{batch}} \\log \\operatorname{softmax}(z_i)_{y_i}",
      line: "const loss = nn.crossEntropy(logits, y);",
      label: { en: "cross-entropy on one mini-batch", zh: "一个小批次上的交叉熵" },
    },
    {
      tex: "\\text{test accuracy} = \\frac{1}{N_\\text{test}}\\sum_{i} \\big[\\arg\\max_k z_{i,k} = y_i\\big]",
      line: "const acc = right / preds.length;",
      label: { en: "accuracy on digits it never trained on", zh: "在从未训练过的数字上的准确率" },
    },
  ],
  comments: {
    "train.x: [6000, 784] in [0, 1], train.y: [6000] labels": "train.x：[6000, 784]，取值在 [0, 1]；train.y：[6000] 个标签",
    "A few test digits to look at, and their labels.": "挑几个测试数字来看，以及它们的标签。",
    "5 epochs of 60 batches": "5 个轮次，每轮 60 个批次",
  },
});
