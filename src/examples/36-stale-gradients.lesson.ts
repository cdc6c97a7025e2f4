import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Synchronous vs asynchronous updates: stale gradients", zh: "同步与异步更新：过时梯度" },
  body: {
    en: [
      "In **synchronous** data parallelism every worker waits at each step: push the gradient, wait until the server (or the allReduce) has all of them, pull the new parameters, then compute the next gradient. One slow worker or link stalls everyone, and the communication adds to every step: $T_\\text{sync} = T_\\text{compute} + T_\\text{comm}$.",
      "**Asynchronous** training (Hogwild!, DistBelief's Downpour SGD, the parameter server's default) lets a worker go on computing with the parameters it has while its push and pull are in flight, so communication hides behind compute: $T_\\text{async} = \\max(T_\\text{compute}, T_\\text{comm})$. The price: the gradient a worker sends was computed on parameters that are $k$ updates old by the time the server applies it. With **bounded staleness** $k$ (the stale synchronous parallel model of Ho et al., 2013) the update is $$w_{t+1} = w_t - \\eta\\, \\nabla L(w_{t-k}),$$ and $k = 0$ is plain synchronous SGD.",
      "The program trains the same model from the same start with $k = 0$, $1$ and the knob's $k$, and plots the loss of the server's model. A stale gradient points downhill from where the model **was**: with a small $\\eta k$ it is nearly the same direction and training barely notices (it can even help a little, like momentum); as $\\eta k$ grows the updates overshoot, oscillate and finally diverge. For a quadratic with curvature $\\lambda$, delayed gradient descent is stable only while about $\\eta\\lambda < 2\\sin\\frac{\\pi}{2(2k+1)}$, close to $\\frac{\\pi}{2k+1}$ for large $k$: the larger the delay, the smaller the learning rate must be. Move the learning-rate knob down and watch $k = 4$ converge again.",
      "This is the trade-off between the two modes: asynchronous steps are shorter (the console prints compute, push + pull and the step time for each run), but each step is worth less, so it may take more of them, or a smaller learning rate. Large GPU clusters today train synchronously (allReduce, with the communication overlapped inside a step as DDP does in lesson 34); asynchronous parameter servers remain in recommendation systems with huge sparse embeddings.",
    ].join("\n\n"),
    zh: [
      "**同步**数据并行中，每个 worker 每一步都要等：推送梯度，等服务器（或 allReduce）收齐所有梯度，拉取新参数，再计算下一个梯度。一个慢的 worker 或一条慢链路会拖住所有人，而且通信时间加到每一步上：$T_\\text{sync} = T_\\text{compute} + T_\\text{comm}$。",
      "**异步**训练（Hogwild!、DistBelief 的 Downpour SGD、参数服务器的默认方式）让 worker 在推送和拉取进行时继续用手上的参数计算，于是通信隐藏在计算之后：$T_\\text{async} = \\max(T_\\text{compute}, T_\\text{comm})$。代价是：worker 发出的梯度，等到服务器应用它时，所基于的参数已经落后了 $k$ 次更新。在**有界过时**（bounded staleness，Ho 等人 2013 年提出的过时同步并行 SSP 模型）下，更新为 $$w_{t+1} = w_t - \\eta\\, \\nabla L(w_{t-k}),$$ 其中 $k = 0$ 就是普通的同步 SGD。",
      "程序用同一个模型、同一个起点，分别以 $k = 0$、$1$ 和旋钮给出的 $k$ 训练，并画出服务器上模型的损失。过时梯度指向的是模型**过去**所在位置的下坡方向：$\\eta k$ 小的时候方向几乎一样，训练几乎察觉不到（甚至像动量一样略有帮助）；$\\eta k$ 变大时，更新会冲过头、振荡，最终发散。对曲率为 $\\lambda$ 的二次函数，带延迟的梯度下降只有在大约 $\\eta\\lambda < 2\\sin\\frac{\\pi}{2(2k+1)}$ 时才稳定，$k$ 较大时接近 $\\frac{\\pi}{2k+1}$：延迟越大，学习率就必须越小。把学习率旋钮调低，看 $k = 4$ 重新收敛。",
      "这就是两种模式之间的权衡：异步的每一步更短（控制台打印了每次运行的计算时间、推送 + 拉取时间和步长时间），但每一步的价值更低，可能需要更多步，或者更小的学习率。今天的大型 GPU 集群都采用同步训练（allReduce，并像第 34 课的 DDP 那样在一步之内重叠通信）；异步参数服务器仍用于拥有巨大稀疏嵌入的推荐系统。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The Plots panel: log₁₀ of the server model's loss for k = 0, 1 and the knob's k. The console: final loss, the parameter version the last gradient used, and the step time of each run. Then move the two knobs.",
    zh: "绘图面板：k = 0、1 和旋钮所设 k 时服务器上模型损失的 log₁₀。控制台：每次运行的最终损失、最后一个梯度所用的参数版本，以及步长时间。然后拖动两个旋钮。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "w_{t+1} = w_t - \\eta\\, \\nabla L(w_{t-k})",
      line: "const ps = new dist.ParameterServer(make, workers, { servers: server, optimizer: (p) => optim.sgd(p, { lr }), staleness });",
      label: { en: "SGD with gradients k steps stale", zh: "使用过时 k 步梯度的 SGD" },
    },
    {
      tex: "T_\\text{sync} = T_\\text{compute} + T_\\text{comm}, \\qquad T_\\text{async} = \\max(T_\\text{compute}, T_\\text{comm})",
      line: "step ${(last.time * 1e6).toFixed(1)} µs",
      label: { en: "step time: waiting for the pull, or computing through it", zh: "步长时间：等待拉取，或在拉取时继续计算" },
    },
    {
      tex: "\\eta\\lambda < 2\\sin\\frac{\\pi}{2(2k+1)} \\approx \\frac{\\pi}{2k+1}",
      line: 'const lr = slider("learning rate", 0.05, 0.5, 0.2, { step: 0.05 });',
      label: { en: "stability of delayed gradient descent on a quadratic of curvature λ", zh: "曲率为 λ 的二次函数上带延迟梯度下降的稳定条件" },
    },
  ],
  comments: {
    "Two workers and one parameter server on one node of slow simulated GPUs (1 GFLOP/s, so that a":
      "一个节点上的两个 worker 和一台参数服务器，用慢速的模拟 GPU（1 GFLOP/s，使一步的",
    "step's compute and its push and pull take about as long). A small regression model, the same":
      "计算与推送、拉取耗时相当）。一个小的回归模型，每次运行用同样的",
    "data and learning rate for every run: only the staleness k changes.": "数据和学习率：只改变过时步数 k。",
    "the targets come from a fixed linear teacher": "目标值来自一个固定的线性教师模型",
    "The knobs above the editor: how many steps behind the server a worker may compute, and the":
      "编辑器上方的旋钮：worker 计算时最多可以落后服务器多少步，以及",
    "learning rate. Staleness hurts more the larger the step each stale gradient takes.": "学习率。每个过时梯度迈的步子越大，过时的危害越大。",
    "The server's model on the whole batch: what training has reached so far.": "服务器上的模型在整批数据上的损失：训练到目前为止达到的水平。",
  },
});
