import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Data parallelism by hand", zh: "手写数据并行" },
  body: {
    en: [
      "**Data parallelism** is the simplest way to use many devices: every device holds a full copy (replica) of the model and takes an equal slice of each batch. Here the loop is written out by hand on 4 simulated GPUs, so that every step of the mechanism is visible.",
      "1. Each device runs forward and backward on its slice of $k = N/p$ samples and gets the gradient $g_r$ of its own slice's mean loss. 2. An **allReduce** gives every device the sum $\\sum_r g_r$ (real data, moved by a ring allReduce on the simulated clock). 3. Each device divides by $p$ and takes the same optimizer step with the same averaged gradient, so the replicas start equal and stay equal.",
      "Why this is exactly single-device training: for equal slices, the mean loss over the batch is the mean of the slices' mean losses, $L = \\frac{1}{p}\\sum_r L_r$, and since differentiation is linear, its gradient is the mean of the slices' gradients, $\\nabla L = \\frac{1}{p}\\sum_r g_r$. Only the arithmetic is spread out; the console shows the replicas identical to each other and equal to one device trained on the whole batch, up to float rounding.",
      "The cost is memory and communication: every device keeps all the weights, gradients and optimizer state, and every step all-reduces the whole gradient, $2\\frac{p-1}{p}\\frac{n}{B}$ in bandwidth for $n$ bytes of gradients. The last lines run the same thing with the library's `DataParallel`, which also overlaps that allReduce with backward in buckets (lesson 34); ZeRO (lesson 40) removes the memory copies.",
      "The same identity gives **gradient accumulation**, data parallelism in time instead of space: when a batch does not fit in one device's memory, run it as $k$ microbatches of $b = N/k$ one after the other, divide each microbatch's loss by $k$ and call backward on each; gradients **add up** in `.grad` ($\\nabla L = \\sum_j \\nabla (L_j / k)$), and one optimizer step at the end applies exactly the big batch's gradient (here equal to float rounding, about $10^{-8}$). What shrinks is the memory of **activations**: backward of a microbatch keeps only its own $b$ samples' intermediates, about $1/k$ of the batch's, measured by `dist.activationBytes` and plotted against $k$. What it costs is time: $k$ smaller steps run one after another instead of side by side. Real systems combine both: global batch $=$ microbatch $\\times$ accumulation steps $\\times$ data-parallel replicas (lesson 56's DeepSpeed rule). Turn the knob for $k$.",
    ].join("\n\n"),
    zh: [
      "**数据并行**是使用多台设备最简单的方式：每台设备持有一份完整的模型副本，并分到每批数据中相等的一份。这里在 4 块模拟 GPU 上把循环完整地手写出来，让机制的每一步都清晰可见。",
      "1. 每台设备对自己那 $k = N/p$ 个样本做前向和反向，得到本份数据平均损失的梯度 $g_r$。2. 一次 **allReduce** 让每台设备都得到梯度之和 $\\sum_r g_r$（真实数据，在模拟时钟上由环形 allReduce 搬运）。3. 每台设备除以 $p$，用相同的平均梯度执行相同的优化器步，所以各副本初始相同、始终相同。",
      "为什么这与单设备训练完全相同：各份大小相等时，整批的平均损失等于各份平均损失的平均，$L = \\frac{1}{p}\\sum_r L_r$；由于求导是线性的，它的梯度就是各份梯度的平均，$\\nabla L = \\frac{1}{p}\\sum_r g_r$。分散开的只是算术；控制台显示各副本彼此完全相同，并且与在整批数据上训练的单设备模型在浮点舍入误差内一致。",
      "代价是显存和通信：每台设备都保存全部权重、梯度和优化器状态，每一步都要对整个梯度做 allReduce，$n$ 字节梯度的带宽开销为 $2\\frac{p-1}{p}\\frac{n}{B}$。最后几行用库里的 `DataParallel` 做同样的事，它还会分桶让 allReduce 与反向计算重叠（见第 34 课）；ZeRO（见第 40 课）则去掉了显存中的冗余副本。",
      "同一个等式还给出了**梯度累积**，即在时间上而不是在空间上做数据并行：一批数据放不进一台设备的显存时，把它分成 $k$ 个大小为 $b = N/k$ 的微批次依次运行，把每个微批次的损失除以 $k$ 后各自调用 backward；梯度在 `.grad` 中**累加**（$\\nabla L = \\sum_j \\nabla (L_j / k)$），最后执行一次优化器更新，得到的正是整批数据的梯度（这里在浮点舍入误差内相等，约 $10^{-8}$）。缩小的是**激活**的显存：一个微批次的反向只需保留它自己 $b$ 个样本的中间结果，约为整批的 $1/k$，由 `dist.activationBytes` 测量并画出它随 $k$ 的变化。代价是时间：$k$ 个更小的步骤依次执行，而不是并排执行。真实系统把两者结合起来：全局批大小 $=$ 微批次大小 $\\times$ 累积步数 $\\times$ 数据并行副本数（即第 56 课中 DeepSpeed 的规则）。调节旋钮改变 $k$。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the loss per step, the allReduce's size and time, the largest difference from single-device training, and gradient accumulation's gradients against the big batch's with the activation bytes of each; the Plots panel: both losses on one chart, and the activations kept against the accumulation steps; the Cluster panel: the gradient allReduce.",
    zh: "控制台：每一步的损失、allReduce 的大小和耗时、与单设备训练的最大差异，以及梯度累积得到的梯度与整批梯度的对比和各自的激活字节数；绘图面板：同一张图上的两条损失曲线，以及保留的激活随累积步数的变化；集群面板：梯度的 allReduce。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "L = \\frac{1}{p}\\sum_{r=0}^{p-1} L_r, \\qquad L_r = \\frac{1}{k}\\sum_{i \\in \\text{slice } r} \\ell_i",
      line: "loss += l.itemSync() / p;",
      label: { en: "the batch loss is the mean of the slices' losses", zh: "整批损失是各份损失的平均" },
    },
    {
      tex: "T_\\text{allReduce} = 2(p-1)\\,\\alpha + 2\\,\\frac{p-1}{p}\\,\\frac{n}{B}",
      line: 'const sum = dist.allReduce(grads, { algorithm: "ring" });',
      label: { en: "ring allReduce of n bytes of gradients", zh: "n 字节梯度的环形 allReduce" },
    },
    {
      tex: "\\nabla L = \\frac{1}{p}\\sum_{r=0}^{p-1} g_r",
      line: "const g = sum.outputs[r].tensor.div(p);",
      label: { en: "the averaged gradient every replica applies", zh: "每个副本使用的平均梯度" },
    },
    {
      tex: "\\nabla L = \\nabla \\frac{1}{N}\\sum_{i=1}^{N} \\ell_i = \\sum_{j=1}^{k} \\nabla \\frac{L_j}{k}, \\qquad L_j = \\frac{1}{b}\\sum_{i \\in \\text{microbatch } j} \\ell_i, \\quad b = N/k",
      line: "const l = nn.mse(acc.forward(x.narrow(0, j * b, b)), y.narrow(0, j * b, b)).div(k2);",
      label: { en: "gradient accumulation: k microbatch gradients add up to the batch's", zh: "梯度累积：k 个微批次的梯度相加等于整批的梯度" },
    },
  ],
  comments: {
    "A regression task: y = sin(x₀) + x₁·x₂ on 64 samples.": "一个回归任务：在 64 个样本上拟合 y = sin(x₀) + x₁·x₂。",
    "the same seeds: identical copies": "相同的随机种子：完全相同的副本",
    "1. Each device: forward and backward on its slice of the batch.": "1. 每台设备：在自己那一份批数据上做前向和反向。",
    "The gradients as one flat tensor on that device.": "把梯度展平成该设备上的一个张量。",
    "2. allReduce: every device receives the sum of all gradients (real data, simulated clock).":
      "2. allReduce：每台设备都收到所有梯度之和（真实数据，模拟时钟）。",
    "3. Average and step: every replica applies the same update.": "3. 求平均并更新：每个副本执行相同的更新。",
    "The same model on one device, on the whole batch.": "同一个模型在单设备上、用整批数据训练。",
    "The same with the library's DataParallel (gradient buckets overlapping backward: see 34).":
      "用库里的 DataParallel 做同样的事（梯度分桶与反向重叠：见第 34 课）。",
    "Gradient accumulation: the same batch of 64 on ONE device as k microbatches, each loss divided by":
      "梯度累积：在一台设备上把同样 64 个样本的批分成 k 个微批次，每个损失除以",
    "k and backpropagated, the gradients adding up in .grad, one optimizer step at the end.": "k 后反向传播，梯度在 .grad 中累加，最后执行一次优化器更新。",
    "Each microbatch's loss is a mean over b samples: divided by k, the sum is the mean over all 64.":
      "每个微批次的损失是 b 个样本的平均：除以 k 后求和，就是全部 64 个样本的平均。",
    "adds into each parameter's .grad": "累加到每个参数的 .grad 中",
  },
});
