import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "DDP: gradient buckets and overlap", zh: "DDP：梯度分桶与计算通信重叠" },
  body: {
    en: [
      "What a framework offers for distribution is more than collectives: PyTorch's **DistributedDataParallel** (DDP) schedules them. Each device holds a replica of the model and computes the gradient of its slice of the batch; the gradients must then be all-reduced. Waiting for the whole backward pass and then all-reducing everything leaves the links idle during backward and the GPUs idle during communication.",
      "DDP instead groups the gradients into **buckets** in the order backward produces them (last layer first) and starts an allReduce as soon as a bucket is full, so communication **overlaps** the rest of backward. Only what is still being sent after the last gradient is computed, the **exposed communication**, adds to the step time: $T_\\text{step} = T_\\text{fwd} + T_\\text{bwd} + T_\\text{exposed}$.",
      "The bucket size $b$ is a trade-off. With $S$ bytes of gradients there are about $\\lceil S/b \\rceil$ buckets, each paying a ring allReduce of $2(p-1)\\alpha + 2\\frac{p-1}{p}\\frac{b}{B}$: tiny buckets pay the latency $\\alpha$ over and over, and one huge bucket cannot start until backward ends, so none of it is hidden. The sweep finds the size in between for this small model on a deliberately slow GPU and link (PyTorch's default, 25 MiB, is tuned for real models and networks).",
      "The schedule changes only the time: the allReduce sums the same gradients whatever the buckets, each replica divides by $p$ and takes the same optimizer step, so DDP on 4 GPUs trains exactly like one device on the whole batch, as the last plot and line show.",
    ].join("\n\n"),
    zh: [
      "框架为分布式提供的不只是集合通信，还有对它们的调度：PyTorch 的 **DistributedDataParallel**（DDP）就是如此。每台设备持有一份模型副本，计算自己那一份批数据的梯度，然后要对梯度做 allReduce。如果等整个反向传播结束再把所有梯度一起 allReduce，反向期间链路闲着，通信期间 GPU 闲着。",
      "DDP 则按反向传播产生梯度的顺序（最后一层先出）把梯度分进**桶**（bucket），一个桶满了就立即启动 allReduce，让通信与剩余的反向计算**重叠**。只有最后一个梯度算完之后还在发送的部分，即**暴露的通信**，才会加到步长时间上：$T_\\text{step} = T_\\text{fwd} + T_\\text{bwd} + T_\\text{exposed}$。",
      "桶的大小 $b$ 是一种权衡。梯度共 $S$ 字节时约有 $\\lceil S/b \\rceil$ 个桶，每个桶付出一次环形 allReduce 的开销 $2(p-1)\\alpha + 2\\frac{p-1}{p}\\frac{b}{B}$：桶太小就要一次又一次地付时延 $\\alpha$；只有一个大桶则要等反向结束才能开始，完全无法掩盖。扫描在故意放慢的 GPU 和链路上为这个小模型找到了折中的大小（PyTorch 默认的 25 MiB 是针对真实模型和网络调出来的）。",
      "调度只改变时间：无论怎么分桶，allReduce 求的都是同样的梯度之和，每个副本除以 $p$ 后执行相同的优化器步，所以 4 块 GPU 上的 DDP 与单设备在整批数据上的训练完全一致，最后的曲线和输出证明了这一点。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The Plots panel: step time and exposed communication against the bucket size, and the training loss of DDP next to one device. The Cluster panel's timeline: the bucket allReduces running under the backward bars.",
    zh: "绘图面板：步长时间和暴露的通信随桶大小的变化，以及 DDP 与单设备的训练损失对比。集群面板的时间线：各个桶的 allReduce 在反向计算条下方并行进行。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "T_\\text{comm} \\approx \\Big\\lceil \\frac{S}{b} \\Big\\rceil \\cdot 2(p-1)\\,\\alpha + 2\\,\\frac{p-1}{p}\\,\\frac{S}{B}",
      line: "new dist.DataParallel(make, sweep.devices, { optimizer: sgd, bucketBytes: 2 ** k })",
      label: { en: "S bytes of gradients in buckets of b bytes, ring allReduce each", zh: "S 字节梯度分成 b 字节的桶，每桶一次环形 allReduce" },
    },
    {
      tex: "T_\\text{step} = T_\\text{fwd} + T_\\text{bwd} + T_\\text{exposed}",
      line: 'r.exposedComm * 1e6, { series: "exposed communication" }',
      label: { en: "only the communication left after backward costs time", zh: "只有反向结束后剩下的通信才占用时间" },
    },
  ],
  comments: {
    'Train with the bucket size of the "bucket size" knob above the editor (32 KiB, the sweep\'s best,':
      '用编辑器上方 "bucket size" 旋钮选定的桶大小训练（默认 32 KiB，即扫描得到的最优值，',
    "unless you pick another; the Cluster panel's timeline shows where its all-reduces fall), next to":
      "除非你另选；集群面板的时间线显示各次 all-reduce 落在何处），并与",
    "the same model on one device: they stay equal whatever the bucket size.": "单设备上的同一模型对照：无论桶多大，两者都保持一致。",
    "A slow simulated GPU (10 GFLOP/s) and a slow link (α = 10 µs, 2 GB/s), so that compute and":
      "一块慢速的模拟 GPU（10 GFLOP/s）和一条慢速链路（α = 10 µs，2 GB/s），使计算与",
    "communication are of one size for this small model: 6 layers of 64 × 64.": "通信对这个小模型（6 层 64 × 64）来说量级相当。",
    "The simulated cluster computes on the host: creating it first makes the CPU the default backend":
      "模拟集群在主机上计算：先创建它，会让 CPU 成为下面这些张量的",
    "for the tensors below (the sweep builds one fresh cluster per bucket size; this one trains at the end).":
      "默认后端（扫描时每种桶大小各建一个新集群；这一个留到最后训练用）。",
  },
});
