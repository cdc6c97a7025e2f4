import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "allReduce = reduceScatter + allGather, step by step", zh: "allReduce = reduceScatter + allGather：逐步演示" },
  body: {
    en: [
      "A framework's distributed features are built from two halves of one collective. DDP all-reduces gradients; ZeRO and FSDP (lesson 40) **reduce-scatter** gradients, so each rank keeps and updates only its shard, and **all-gather** parameters when a layer needs them. The identity that ties them is $$\\text{allReduce} = \\text{allGather} \\circ \\text{reduceScatter},$$ and the ring algorithm is literally that: $p-1$ reduce-scatter steps, then $p-1$ allGather steps.",
      "The table traces a ring allReduce on real numbers. Each rank's buffer is cut into $p$ chunks; rank $r$ starts with chunk $j$ equal to $10r + j$. At **reduce-scatter** step $s$ (for $s = 0 \\dots p-2$) rank $r$ sends chunk $(r - s - 1) \\bmod p$ to rank $r + 1$, which **adds** it to its own copy (marked `+`). A chunk that has travelled $p-1$ hops carries the sum of all ranks: after step $p-2$ rank $r$ holds the full sum of chunk $r$, e.g. $0 + 10 + 20 + 30 = 60$ for chunk 0. At **allGather** step $s$ rank $r$ forwards chunk $(r - s) \\bmod p$ (counting $s$ from the start of the phase), and the receiver **overwrites** its copy (marked `=`), until every rank has every sum.",
      "Each step every rank sends $n/p$ bytes, so each half costs $T_\\text{RS} = T_\\text{AG} = (p-1)\\alpha + \\frac{p-1}{p}\\frac{n}{B}$ (plus the adds of the reduce-scatter, $\\gamma$ per byte), and the whole is their sum, $T_\\text{AR} = 2(p-1)\\alpha + \\frac{2(p-1)}{p}\\frac{n}{B}$. The last lines check it on random data: the two collectives in sequence give the allReduce's result **bit for bit** (the same additions in the same order) and the same time. A framework can therefore split the allReduce, keep a step between the halves (the optimizer on a shard, as ZeRO does) and pay nothing extra in communication.",
      "The Cluster panel's player steps through the same schedule on the topology: pick the allReduce, then the reduceScatter and the allGather, and compare their steps. The knob changes $p$: the table grows to $2(p-1)$ steps.",
    ].join("\n\n"),
    zh: [
      "框架的分布式功能由同一个集合通信的两半搭建而成。DDP 对梯度做 allReduce；ZeRO 和 FSDP（第 40 课）对梯度做 **reduce-scatter**，让每个 rank 只保存并更新自己那一份，在某一层需要参数时再 **all-gather**。把它们联系起来的恒等式是 $$\\text{allReduce} = \\text{allGather} \\circ \\text{reduceScatter},$$ 而环形算法正是如此：先做 $p-1$ 步 reduce-scatter，再做 $p-1$ 步 allGather。",
      "表格在真实数字上跟踪一次环形 allReduce。每个 rank 的缓冲区切成 $p$ 块；rank $r$ 的第 $j$ 块初始为 $10r + j$。在 **reduce-scatter** 的第 $s$ 步（$s = 0 \\dots p-2$），rank $r$ 把第 $(r - s - 1) \\bmod p$ 块发给 rank $r + 1$，接收方把它**加**到自己那份上（标记 `+`）。一块数据走过 $p-1$ 跳后就带上了所有 rank 的和：第 $p-2$ 步之后，rank $r$ 持有第 $r$ 块的完整和，例如第 0 块为 $0 + 10 + 20 + 30 = 60$。在 **allGather** 的第 $s$ 步（$s$ 从这一阶段开始计），rank $r$ 转发第 $(r - s) \\bmod p$ 块，接收方**覆盖**自己那份（标记 `=`），直到每个 rank 都拿到所有的和。",
      "每一步每个 rank 发送 $n/p$ 字节，所以每一半的开销都是 $T_\\text{RS} = T_\\text{AG} = (p-1)\\alpha + \\frac{p-1}{p}\\frac{n}{B}$（reduce-scatter 还要加上累加的开销，每字节 $\\gamma$），整体就是两者之和：$T_\\text{AR} = 2(p-1)\\alpha + \\frac{2(p-1)}{p}\\frac{n}{B}$。最后几行在随机数据上验证了这一点：依次执行两个集合通信，得到的结果与 allReduce **逐位相同**（同样的加法、同样的顺序），耗时也相同。因此框架可以把 allReduce 拆开，在两半之间插入一步（比如像 ZeRO 那样只对一个分片做优化器更新），而不必在通信上多付任何代价。",
      "集群面板的播放器会在拓扑上逐步演示同一个调度：依次选中 allReduce、reduceScatter 和 allGather，比较它们的步骤。旋钮改变 $p$：表格会增长到 $2(p-1)$ 步。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console's table: each step's chunks on every rank (+ added, = copied) and the sends (src→dst:chunk); then the reduceScatter and allGather outputs and the bit-for-bit and time check. The Cluster panel: step through the allReduce, then its two halves.",
    zh: "控制台的表格：每一步各 rank 上的各块数据（+ 表示累加，= 表示复制）以及发送（源→目的:块号）；然后是 reduceScatter 和 allGather 的输出，以及逐位与耗时的核对。集群面板：逐步查看 allReduce，再看它的两半。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "\\text{RS step } s:\\; r \\to r+1 \\text{ sends chunk } (r - s - 1) \\bmod p \\;(+), \\qquad \\text{AG step } s:\\; \\text{chunk } (r - s) \\bmod p \\;(=)",
      line: 'const traced = dist.allReduce(xs, { algorithm: "ring", trace: true });',
      label: { en: "the ring's send schedule", zh: "环的发送调度" },
    },
    {
      tex: "T_\\text{RS} = T_\\text{AG} = (p-1)\\,\\alpha + \\frac{p-1}{p}\\,\\frac{n}{B}",
      line: 'const rs = dist.reduceScatter(xs, { algorithm: "ring" });',
      label: { en: "each half on a ring", zh: "环上的每一半" },
    },
    {
      tex: "\\text{allReduce} = \\text{allGather} \\circ \\text{reduceScatter}, \\qquad T_\\text{AR} = T_\\text{RS} + T_\\text{AG} = 2(p-1)\\,\\alpha + \\frac{2(p-1)}{p}\\,\\frac{n}{B}",
      line: 'const half2 = dist.allGather(half1.outputs, { algorithm: "ring" });',
      label: { en: "the composition: same bits, same time", zh: "两者的组合：相同的结果位、相同的时间" },
    },
  ],
  comments: {
    'p GPUs on one NVLink node (the "devices" knob). Rank r holds p values, one per chunk:':
      'p 块 GPU 位于一个 NVLink 节点上（由 "devices" 旋钮设定）。rank r 持有 p 个值，每块一个：',
    "chunk j of rank r is 10r + j, so every sum can be read by eye.": "rank r 的第 j 块是 10r + j，这样每个和都能一眼看出来。",
    "A ring allReduce, traced: after every step, each rank's buffer and the chunks that moved.":
      "跟踪一次环形 allReduce：每一步之后各 rank 的缓冲区，以及移动了哪些块。",
    "Mark each rank's chunk that was just written (+ added by the reduce-scatter, = copied by the allGather).":
      "标出每个 rank 刚被写入的块（+ 表示由 reduce-scatter 累加，= 表示由 allGather 复制）。",
    "The same result as two collectives: reduceScatter leaves rank r the sum of chunk r, allGather":
      "用两个集合通信得到同样的结果：reduceScatter 让 rank r 得到第 r 块的和，allGather",
    "brings every rank all the sums. Bit for bit the allReduce's result, and its time is the sum.":
      "再把所有的和带给每个 rank。结果与 allReduce 逐位相同，耗时等于两者之和。",
    "On p · 64 KiB of random float32 per rank: the two halves against the whole, bit for bit and in time.":
      "每个 rank 上 p · 64 KiB 的随机 float32：两半与整体对比，比较结果位和时间。",
  },
});
