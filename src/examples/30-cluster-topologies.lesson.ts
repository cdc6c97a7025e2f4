import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Cluster topologies", zh: "集群拓扑" },
  body: {
    en: [
      "A cluster is accelerators joined by links: inside a node (one server) by NVLink, through an NVSwitch, or by PCIe; between nodes by InfiniBand or Ethernet through switches. How the links are wired, the **topology**, fixes two figures that every collective feels: the **diameter** (the most hops between any two devices; each hop adds latency) and the **bisection bandwidth** (the bytes per second that can cross a cut splitting the devices into two halves; it bounds any collective that must move data from one half to the other).",
      "The table wires the same 16 devices six ways. A ring needs only $n$ cables but its diameter is $\\lfloor n/2 \\rfloor$ and just two links cross the middle. A $k \\times k$ mesh has $2k(k-1)$ cables and diameter $2(k-1)$; the torus adds wrap-around links ($2k^2$ cables), halving the diameter and doubling the bisection. Full connection gives diameter 1 and the widest cut, but needs $n(n-1)/2$ cables (120 for 16 devices), which is why real nodes put a **switch** (NVSwitch) in the middle: one port per device, two hops between any pair, and a non-blocking cut of $\\frac{n}{2}B$ for link bandwidth $B$.",
      "A **fat-tree** builds a large switch out of small ones: leaf switches hold a few devices each and uplink to a spine. With 2:1 **oversubscription** the uplinks carry only half of what the devices below them could send, so the bisection is half that of a non-blocking switch, and no collective on it can be faster than on the NVSwitch node; at best, a ring that crosses each leaf uplink once per direction keeps up with it.",
      "Two nodes of eight GPUs show the real shape of a cluster: NVLink is wide inside each node, but everything between the nodes funnels through the InfiniBand NICs, so the whole cluster is only as wide as its network (a bisection of 200 GB/s instead of thousands).",
      'The second table turns these figures into time: a ring allReduce of 16 MiB on each design, reported as nccl-tests\' **bus bandwidth** $\\text{busbw} = \\frac{n}{t}\\cdot\\frac{2(p-1)}{p}$. For a bandwidth-optimal algorithm it approaches the bandwidth of the slowest link the ring uses, so PCIe and the InfiniBand hop between nodes set the pace there. Last, a **hierarchical** allReduce on two nodes of four: a reduce-scatter inside each node over NVLink, an allReduce of each $1/k$ piece across the nodes (one ring per local index, the "rails"), and an allGather inside each node, so the slow network carries only $1/k$ of the data.',
    ].join("\n\n"),
    zh: [
      "集群就是用链路连起来的加速器：节点（一台服务器）内部通过 NVLink（经由 NVSwitch）或 PCIe 互连，节点之间通过交换机走 InfiniBand 或以太网。链路的连接方式，即**拓扑**，决定了每个集合通信都会感受到的两个指标：**直径**（任意两台设备之间最多要经过的跳数，每一跳都增加时延）和**对分带宽**（把设备切成两半时，每秒能穿过切面的字节数；凡是要把数据从一半搬到另一半的集合通信，都受它限制）。",
      "第一张表把同样的 16 台设备用六种方式连起来。环只需要 $n$ 根线缆，但直径是 $\\lfloor n/2 \\rfloor$，穿过中间的只有两条链路。$k \\times k$ 的二维网格有 $2k(k-1)$ 根线缆、直径 $2(k-1)$；二维环面再加上首尾相接的链路（$2k^2$ 根），直径减半、对分带宽翻倍。全连接的直径为 1、切面最宽，却需要 $n(n-1)/2$ 根线缆（16 台设备就是 120 根），所以真实的节点在中间放一个**交换机**（NVSwitch）：每台设备一个端口，任意两台之间两跳，链路带宽为 $B$ 时切面带宽为无阻塞的 $\\frac{n}{2}B$。",
      "**胖树**（fat-tree）用小交换机拼出大交换机：每个叶交换机挂几台设备，再向上连到脊交换机。收敛比（**超额订阅**）为 2:1 时，上行链路只能承载下面设备所能发出流量的一半，所以对分带宽只有无阻塞交换机的一半，任何集合通信在它上面都不可能比在 NVSwitch 节点上更快；最好的情况是，每个方向只经过每条叶上行链路一次的环能与之持平。",
      "两个各有 8 块 GPU 的节点展示了集群的真实形态：节点内 NVLink 很宽，但节点之间的一切流量都要挤过 InfiniBand 网卡，所以整个集群只和它的网络一样宽（对分带宽是 200 GB/s，而不是几千 GB/s）。",
      '第二张表把这些指标换算成时间：在每种设计上做一次 16 MiB 的环形 allReduce，报告 nccl-tests 的**总线带宽** $\\text{busbw} = \\frac{n}{t}\\cdot\\frac{2(p-1)}{p}$。对带宽最优的算法，它趋近于环上最慢那条链路的带宽，所以 PCIe 和节点间的 InfiniBand 决定了那几行的速度。最后是两个各 4 块 GPU 节点上的**分层** allReduce：先在每个节点内通过 NVLink 做 reduce-scatter，再对每一份 $1/k$ 的数据跨节点做 allReduce（每个本地序号一个环，即"轨道"），最后在节点内做 allGather，这样慢速网络只需搬运 $1/k$ 的数据。',
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console's two tables (cables, diameter, bisection, the route from d0 to d9; then busbw per design). Then the Cluster panel: it draws the last cluster built (two nodes of four GPUs) and the hierarchical allReduce run on it.",
    zh: "控制台的两张表（线缆数、直径、对分带宽、d0 到 d9 的路由；然后是每种设计的 busbw）。再看集群面板：它画出最后构建的集群（两个各 4 块 GPU 的节点）以及在上面运行的分层 allReduce。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "\\text{ring: } n \\qquad \\text{mesh: } 2k(k-1) \\qquad \\text{torus: } 2k^2 \\qquad \\text{fully connected: } \\tfrac{n(n-1)}{2}",
      line: "const cables = c.topology.links.length / 2;",
      label: { en: "cables for n = k² devices", zh: "n = k² 台设备所需的线缆数" },
    },
    {
      tex: "D_\\text{ring} = \\lfloor n/2 \\rfloor \\qquad D_\\text{mesh} = 2(k-1) \\qquad D_\\text{torus} = 2\\lfloor k/2 \\rfloor \\qquad D_\\text{switch} = 2",
      line: "c.topology.diameter()",
      label: { en: "diameter in hops", zh: "直径（跳数）" },
    },
    {
      tex: "B_\\text{bisection} = \\sum_{\\text{links } S \\to \\bar S} B_\\text{link}, \\qquad |S| = |\\bar S| = \\tfrac{n}{2}",
      line: "c.bisectionBandwidth() / GB",
      label: { en: "bisection bandwidth: the links from the first half to the second", zh: "对分带宽：从前一半设备通往后一半的链路之和" },
    },
    {
      tex: "\\text{busbw} = \\text{algbw}\\cdot\\frac{2(p-1)}{p} = \\frac{n}{t}\\cdot\\frac{2(p-1)}{p}",
      line: "busbw ${(r.busbw / GB).toFixed(1).padStart(6)} GB/s",
      label: { en: "allReduce bus bandwidth (nccl-tests)", zh: "allReduce 的总线带宽（nccl-tests）" },
    },
    {
      tex: "T_\\text{hier} = 2(k-1)\\Big(\\alpha + \\frac{n}{k\\,B}\\Big) + 2(g-1)\\Big(\\alpha' + \\frac{n}{p\\,B'}\\Big), \\qquad g = p/k \\text{ nodes}",
      line: 'dist.allReduce(shards, { algorithm: "hierarchical" })',
      label: {
        en: "hierarchical allReduce: k GPUs per node (α, B inside; α′, B′ between nodes)",
        zh: "分层 allReduce：每节点 k 块 GPU（节点内 α、B，节点间 α′、B′）",
      },
    },
  ],
  comments: {
    "The same n devices wired six ways (and, last, two nodes of n/2 joined by InfiniBand); n is the":
      "同样 n 个设备的六种连法（最后一种是两个各含 n/2 个设备、由 InfiniBand 相连的节点）；n 由",
    '"devices" knob above the editor: watch which figures grow with n and which stay.':
      '编辑器上方的 "devices" 旋钮决定：看看哪些指标随 n 增长，哪些保持不变。',
    'The "nodes" knob adds nodes of four GPUs: the InfiniBand hop is what the hierarchical algorithm saves.':
      '"nodes" 旋钮增加每个含四块 GPU 的节点：分层算法省下的正是 InfiniBand 这一跳。',
    "every cable is full duplex: two directed links": "每根线缆都是全双工的：两条有向链路",
    "What the figures mean for a collective: allReduce 16 MiB on each design (the clock alone).":
      "这些指标对集合通信意味着什么：在每种设计上 allReduce 16 MiB（只走时钟）。",
    "The last design for the Cluster panel, with real data: every device contributes its shard.":
      "给集群面板的最后一个设计，用真实数据：每台设备贡献自己的分片。",
  },
});
