import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Data parallelism by hand", zh: "手写数据并行" },
  body: {
    en: [
      "**Data parallelism** is the simplest way to use many devices: every device holds a full copy (replica) of the model and takes an equal slice of each batch. Here the loop is written out by hand on 4 simulated GPUs, so that every step of the mechanism is visible.",
      "1. Each device runs forward and backward on its slice of $k = N/p$ samples and gets the gradient $g_r$ of its own slice's mean loss. 2. An **allReduce** gives every device the sum $\\sum_r g_r$ (real data, moved by a ring allReduce on the simulated clock). 3. Each device divides by $p$ and takes the same optimizer step with the same averaged gradient, so the replicas start equal and stay equal.",
      "Why this is exactly single-device training: for equal slices, the mean loss over the batch is the mean of the slices' mean losses, $L = \\frac{1}{p}\\sum_r L_r$, and since differentiation is linear, its gradient is the mean of the slices' gradients, $\\nabla L = \\frac{1}{p}\\sum_r g_r$. Only the arithmetic is spread out; the console shows the replicas identical to each other and equal to one device trained on the whole batch, up to float rounding.",
      "The cost is memory and communication: every device keeps all the weights, gradients and optimizer state, and every step all-reduces the whole gradient, $2\\frac{p-1}{p}\\frac{n}{B}$ in bandwidth for $n$ bytes of gradients. The last lines run the same thing with the library's `DataParallel`, which also overlaps that allReduce with backward in buckets (lesson 34); ZeRO (lesson 40) removes the memory copies.",
    ].join("\n\n"),
    zh: [
      "**数据并行**是使用多台设备最简单的方式：每台设备持有一份完整的模型副本，并分到每批数据中相等的一份。这里在 4 块模拟 GPU 上把循环完整地手写出来，让机制的每一步都清晰可见。",
      "1. 每台设备对自己那 $k = N/p$ 个样本做前向和反向，得到本份数据平均损失的梯度 $g_r$。2. 一次 **allReduce** 让每台设备都得到梯度之和 $\\sum_r g_r$（真实数据，在模拟时钟上由环形 allReduce 搬运）。3. 每台设备除以 $p$，用相同的平均梯度执行相同的优化器步，所以各副本初始相同、始终相同。",
      "为什么这与单设备训练完全相同：各份大小相等时，整批的平均损失等于各份平均损失的平均，$L = \\frac{1}{p}\\sum_r L_r$；由于求导是线性的，它的梯度就是各份梯度的平均，$\\nabla L = \\frac{1}{p}\\sum_r g_r$。分散开的只是算术；控制台显示各副本彼此完全相同，并且与在整批数据上训练的单设备模型在浮点舍入误差内一致。",
      "代价是显存和通信：每台设备都保存全部权重、梯度和优化器状态，每一步都要对整个梯度做 allReduce，$n$ 字节梯度的带宽开销为 $2\\frac{p-1}{p}\\frac{n}{B}$。最后几行用库里的 `DataParallel` 做同样的事，它还会分桶让 allReduce 与反向计算重叠（见第 34 课）；ZeRO（见第 40 课）则去掉了显存中的冗余副本。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the loss per step, the allReduce's size and time, and the largest difference from single-device training; the Plots panel: both losses on one chart; the Cluster panel: the gradient allReduce.",
    zh: "控制台：每一步的损失、allReduce 的大小和耗时，以及与单设备训练的最大差异；绘图面板：同一张图上的两条损失曲线；集群面板：梯度的 allReduce。",
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
  },
});
