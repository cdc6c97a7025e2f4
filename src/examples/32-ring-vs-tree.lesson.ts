import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Ring vs tree allReduce", zh: "环形与树形 allReduce" },
  body: {
    en: [
      "A collective is defined by its result, not by how the bytes travel: an **allReduce** leaves the sum of every device's buffer on every device. Here one allReduce of 1 MiB per device runs on 8 simulated GPUs (two nodes of four, NVLink inside, InfiniBand between) with two algorithms, and the sums come out the same; only the schedule and the time differ.",
      "**Ring**: the devices form a ring and each buffer is cut into $p$ parts. A reduce-scatter of $p-1$ steps, each device passing one part to its neighbour and adding the part it receives, leaves each device one fully summed part; an allGather of $p-1$ more steps passes the sums around. Each step moves $n/p$ bytes per link, so in total $T_\\text{ring} = 2(p-1)\\alpha + 2\\frac{p-1}{p}\\frac{n}{B}$: the bandwidth term is the minimum any allReduce can have (**bandwidth-optimal**), but the latency term grows linearly with $p$.",
      "**Tree**: reduce up a binary tree to the root, then broadcast the sum back down. An unpipelined binomial tree takes $2\\log_2 p$ steps of the whole buffer, $T = 2\\log_2 p\\,(\\alpha + \\frac{n}{B})$: few latencies, but every byte crosses $2\\log_2 p$ links in turn, and the links near the root carry everything. Cutting the buffer into $c$ chunks and pipelining them (NCCL's tree, `chunks: 4` here) hides most of that: about $2(D + c - 1)\\big(\\alpha + \\frac{n}{cB}\\big)$ for depth $D = \\lfloor\\log_2 p\\rfloor$.",
      "Which one wins depends on the message size and the links: latency terms favour the tree, bandwidth terms the ring. On this cluster every one of the ring's $2(p-1)$ sequential steps waits for its slowest hop, the InfiniBand link between the nodes, and pays its latency; the pipelined tree has far fewer sequential steps. NCCL picks between them by size and topology; real clusters also use hierarchical algorithms (lesson 30).",
      "The figures printed are nccl-tests': **algbw** $= n/t$ and **busbw** $= \\text{algbw}\\cdot\\frac{2(p-1)}{p}$, which for allReduce makes the result comparable with the link bandwidth.",
    ].join("\n\n"),
    zh: [
      "集合通信由它的结果定义，而不是由字节怎么走来定义：**allReduce** 让每台设备都得到所有设备缓冲区之和。这里在 8 块模拟 GPU 上（两个节点各 4 块，节点内 NVLink，节点间 InfiniBand）对每台设备 1 MiB 的数据做一次 allReduce，用两种算法，得到的和完全相同，不同的只是调度和耗时。",
      "**环形算法**：设备围成一个环，每个缓冲区切成 $p$ 份。先做 $p-1$ 步 reduce-scatter，每台设备把一份传给邻居并累加收到的那份，结束时每台设备持有一份完整的和；再做 $p-1$ 步 allGather，把这些和传一圈。每一步每条链路传 $n/p$ 字节，总耗时 $T_\\text{ring} = 2(p-1)\\alpha + 2\\frac{p-1}{p}\\frac{n}{B}$：带宽项是任何 allReduce 所能达到的最小值（**带宽最优**），但时延项随 $p$ 线性增长。",
      "**树形算法**：沿二叉树向上归约到根，再把和向下广播。不做流水的二项树需要 $2\\log_2 p$ 步、每步传整个缓冲区，$T = 2\\log_2 p\\,(\\alpha + \\frac{n}{B})$：时延次数少，但每个字节要依次经过 $2\\log_2 p$ 条链路，靠近根的链路承载全部数据。把缓冲区切成 $c$ 块流水传输（NCCL 的树算法，这里是 `chunks: 4`）可以掩盖大部分开销：深度 $D = \\lfloor\\log_2 p\\rfloor$ 时约为 $2(D + c - 1)\\big(\\alpha + \\frac{n}{cB}\\big)$。",
      "谁更快取决于消息大小和链路：时延项有利于树，带宽项有利于环。在这个集群上，环的 $2(p-1)$ 个串行步骤每一步都要等最慢的那一跳，即节点间的 InfiniBand 链路，并付出它的时延；而流水化的树的串行步骤要少得多。**KiB per device** 旋钮让你沿着这个权衡移动：16 KiB 时时延项占主导，树大约快三倍；4 MiB 时带宽项占主导，环胜出。分界点在树省下的 $2(p-1)\\alpha$ 恰好等于它在最繁忙链路上多推送的字节所需时间之处。NCCL 也是这样按消息大小和拓扑在两者之间选择；真实集群还会用分层算法（见第 30 课）。",
      "打印的是 nccl-tests 的指标：**algbw** $= n/t$，**busbw** $= \\text{algbw}\\cdot\\frac{2(p-1)}{p}$；对 allReduce 来说，后者可以直接与链路带宽比较。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The Cluster panel: pick each collective, press Play or step through it, and compare the time and busbw; the console: the same sums from both algorithms.",
    zh: "集群面板：分别选中两次集合通信，按播放或逐步查看，比较耗时和 busbw；控制台：两种算法得到相同的和。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "T_\\text{ring} = 2(p-1)\\,\\alpha + 2\\,\\frac{p-1}{p}\\,\\frac{n}{B}",
      line: "dist.allReduce(shards, { algorithm, chunks: 4 })",
      label: { en: "ring allReduce", zh: "环形 allReduce" },
    },
    {
      tex: "T_\\text{binomial} = 2\\log_2 p\\,\\Big(\\alpha + \\frac{n}{B}\\Big), \\qquad T_\\text{tree} \\approx 2(D + c - 1)\\Big(\\alpha + \\frac{n}{c\\,B}\\Big),\\; D = \\lfloor \\log_2 p \\rfloor",
      line: "dist.allReduce(shards, { algorithm, chunks: 4 })",
      label: { en: "tree allReduce: unpipelined, and pipelined in c chunks", zh: "树形 allReduce：不流水，以及切成 c 块流水" },
    },
    {
      tex: "\\text{algbw} = \\frac{n}{t}, \\qquad \\text{busbw} = \\text{algbw}\\cdot\\frac{2(p-1)}{p}",
      line: "busbw ${(r.busbw / 1e9).toFixed(1)} GB/s",
      label: { en: "nccl-tests' figures", zh: "nccl-tests 的指标" },
    },
  ],
  comments: {
    "Two nodes of four GPUs: NVLink inside a node, InfiniBand between nodes.": "两个节点，各 4 块 GPU：节点内 NVLink，节点间 InfiniBand。",
    "kib KiB of float32 on each device": "每台设备上 kib KiB 的 float32",
    'The message size is the "KiB per device" knob above the editor: small messages favour the tree.':
      '消息大小由编辑器上方的 "KiB per device" 旋钮设定：小消息对树有利。',
    "Ring: every device sends to its neighbour, 2·(p − 1) steps, each moving 1/p of the data —": "环：每台设备发给邻居，共 2·(p − 1) 步，每步搬运 1/p 的数据——",
    "bandwidth-optimal. Tree: reduce up a binary tree, then broadcast down — fewer hops (latency),":
      "带宽最优。树：沿二叉树向上归约，再向下广播——跳数（时延）更少，",
    "but the links near the root carry everything.": "但靠近根的链路要承载全部数据。",
  },
});
