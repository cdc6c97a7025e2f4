import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Collective primitives on real data", zh: "集合通信原语：真实数据上的演示" },
  body: {
    en: [
      "Every distributed training algorithm is built from a handful of **collective communication primitives**, each defined by what every device holds afterwards. Rooted ones: **broadcast** copies the root's buffer to all, **scatter** gives device $r$ the $r$-th part of the root's buffer, **gather** concatenates every device's buffer on the root, **reduce** sums them on the root. Symmetric ones: **allGather** gives every device the concatenation, **allReduce** the sum, **reduceScatter** leaves device $r$ the $r$-th part of the sum, and **allToAll** sends part $j$ of device $i$ to device $j$, a transpose across devices (MoE's token exchange).",
      "Rank $r$ starts with $[10r, 10r+1, 10r+2, 10r+3]$ on 4 simulated GPUs, so each output line can be read by eye: the sum of the first elements is $0+10+20+30 = 60$, and allToAll's outputs are the columns of the inputs. Note the identities the algorithms rely on: allReduce = reduceScatter + allGather, and broadcast = scatter + allGather (van de Geijn's algorithm for long messages).",
      "Each primitive has several algorithms with different α–β costs. The ring allGather or reduceScatter takes $p-1$ steps of $n/p$ bytes, $T = (p-1)\\alpha + \\frac{p-1}{p}\\frac{n}{B}$; a binomial-tree broadcast takes $\\log_2 p$ steps of the whole buffer, $T = \\log_2 p\\,(\\alpha + \\frac{n}{B})$, good for short messages; for long ones scatter + allGather costs about $\\log_2 p\\,\\alpha + (p-1)\\alpha + 2\\frac{p-1}{p}\\frac{n}{B}$, nearly independent of $p$ in the bandwidth term.",
      "To compare collectives of different shapes, nccl-tests reports **algbw** $= n/t$ and **busbw** $= \\text{algbw}\\cdot f(p)$, where the bus factor $f$ counts how much each device must send at the least: $\\frac{2(p-1)}{p}$ for allReduce, $\\frac{p-1}{p}$ for allGather, reduceScatter, gather, scatter and allToAll, and 1 for broadcast and reduce. On 64 MiB the bandwidth-optimal algorithms reach a busbw near the NVLink bandwidth; binomial broadcast and reduce, which move the whole buffer at every level of their tree, stay well below it.",
    ].join("\n\n"),
    zh: [
      "所有分布式训练算法都由少数几种**集合通信原语**搭建而成，每种原语由结束后各设备持有什么来定义。有根节点的：**broadcast**（广播）把根的缓冲区复制给所有设备，**scatter**（散发）把根缓冲区的第 $r$ 份交给设备 $r$，**gather**（收集）把各设备的缓冲区拼接到根上，**reduce**（归约）把它们求和到根上。对称的：**allGather** 让每台设备都得到拼接结果，**allReduce** 都得到和，**reduceScatter** 让设备 $r$ 得到和的第 $r$ 份，**allToAll** 把设备 $i$ 的第 $j$ 份发给设备 $j$，相当于跨设备转置（MoE 交换 token 就用它）。",
      "在 4 块模拟 GPU 上，rank $r$ 的初始数据是 $[10r, 10r+1, 10r+2, 10r+3]$，所以每行输出都能一眼看懂：第一个元素之和是 $0+10+20+30 = 60$，allToAll 的输出正是输入的各列。注意算法所依赖的恒等式：allReduce = reduceScatter + allGather，broadcast = scatter + allGather（van de Geijn 针对长消息的算法）。",
      "每种原语都有几种 α–β 开销不同的算法。环形 allGather 或 reduceScatter 走 $p-1$ 步、每步 $n/p$ 字节，$T = (p-1)\\alpha + \\frac{p-1}{p}\\frac{n}{B}$；二项树 broadcast 走 $\\log_2 p$ 步、每步整个缓冲区，$T = \\log_2 p\\,(\\alpha + \\frac{n}{B})$，适合短消息；长消息用 scatter + allGather，约为 $\\log_2 p\\,\\alpha + (p-1)\\alpha + 2\\frac{p-1}{p}\\frac{n}{B}$，带宽项几乎与 $p$ 无关。",
      "为了比较形状不同的集合通信，nccl-tests 报告 **algbw** $= n/t$ 和 **busbw** $= \\text{algbw}\\cdot f(p)$，总线系数 $f$ 计的是每台设备至少要发送多少：allReduce 为 $\\frac{2(p-1)}{p}$，allGather、reduceScatter、gather、scatter 和 allToAll 为 $\\frac{p-1}{p}$，broadcast 和 reduce 为 1。在 64 MiB 上，带宽最优的算法能让 busbw 接近 NVLink 带宽；二项树的 broadcast 和 reduce 在树的每一层都要搬运整个缓冲区，明显达不到这个值。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: inputs → outputs per device for each primitive, then the 64 MiB table (time, algbw, busbw). The Cluster panel: pick each collective and step through it.",
    zh: "控制台：每种原语下各设备的输入 → 输出，然后是 64 MiB 的表（耗时、algbw、busbw）。集群面板：选中每个集合通信，逐步查看。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "T_\\text{broadcast}^\\text{binomial} = \\lceil \\log_2 p \\rceil\\Big(\\alpha + \\frac{n}{B}\\Big)",
      line: '["broadcast", dist.broadcast(shards[0], c.devices)],',
      label: { en: "binomial-tree broadcast", zh: "二项树广播" },
    },
    {
      tex: "T_\\text{allGather}^\\text{ring} = T_\\text{reduceScatter}^\\text{ring} = (p-1)\\,\\alpha + \\frac{p-1}{p}\\,\\frac{n}{B}",
      line: '["allGather", dist.allGather(shards)],',
      label: { en: "ring allGather and reduceScatter (n: the gathered size)", zh: "环形 allGather 与 reduceScatter（n 为拼接后的大小）" },
    },
    {
      tex: "T_\\text{allReduce}^\\text{ring} = 2(p-1)\\,\\alpha + 2\\,\\frac{p-1}{p}\\,\\frac{n}{B}",
      line: '["allReduce", dist.allReduce(shards)],',
      label: { en: "ring allReduce = reduceScatter + allGather", zh: "环形 allReduce = reduceScatter + allGather" },
    },
    {
      tex: "\\text{busbw} = \\frac{n}{t}\\cdot f(p), \\quad f = \\begin{cases} \\frac{2(p-1)}{p} & \\text{allReduce} \\\\ \\frac{p-1}{p} & \\text{allGather, reduceScatter, gather, scatter, allToAll} \\\\ 1 & \\text{broadcast, reduce} \\end{cases}",
      line: "(r.busbw / GB).toFixed(1).padStart(10)",
      label: { en: "bus bandwidth and the bus factor", zh: "总线带宽与总线系数" },
    },
  ],
  comments: {
    "Rank r holds [10r, 10r + 1, 10r + 2, 10r + 3].": "rank r 持有 [10r, 10r + 1, 10r + 2, 10r + 3]。",
    "The same primitives on 64 MiB (the clock alone: no data moved), default algorithms.": "同样的原语作用于 64 MiB（只走时钟，不搬数据），使用默认算法。",
  },
});
