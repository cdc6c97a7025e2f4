import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Communication cost: the α–β model", zh: "通信开销：α–β 模型" },
  body: {
    en: [
      "Communication hardware is described by two numbers per link: a fixed **latency** $\\alpha$ (software, the NIC, switch hops; paid once per message) and a **bandwidth** $B$ (bytes per second once data flows). Hockney's α–β model puts them together: sending $n$ bytes takes $T(n) = \\alpha + n\\beta$ with $\\beta = 1/B$ seconds per byte. Every collective cost in this course is a sum of such terms.",
      "The **achieved bandwidth** of one message is $n/T(n) = \\frac{n}{\\alpha + n/B}$. Small messages are **latency-bound**: $\\alpha$ dominates and the link sits mostly idle. Large ones are **bandwidth-bound**: the achieved bandwidth approaches $B$. The crossover is $n_{1/2} = \\alpha B$, the size at which a link reaches exactly half its bandwidth (the console prints $\\alpha$, $B$, $\\beta = 1/B$ and $n_{1/2}$ for each link).",
      "NVLink, PCIe and InfiniBand differ by an order of magnitude in bandwidth but much less in latency, so a 1 KiB message costs about the same on all three, while a 1 GiB message shows the full gap. This is why frameworks batch small tensors into larger messages (gradient buckets, lesson 34), and why the fastest links go where the traffic is heaviest.",
      "At the end, real data moves: 4 MiB from d0 to d1 over NVLink inside a node, and from d0 to d2 over InfiniBand in the other node. The copies arrive intact; only the simulated clock differs.",
    ].join("\n\n"),
    zh: [
      "通信硬件的每条链路可以用两个数来描述：固定的**时延** $\\alpha$（软件栈、网卡、交换机跳数；每条消息付一次）和**带宽** $B$（数据流动起来后每秒的字节数）。Hockney 的 α–β 模型把两者合在一起：发送 $n$ 字节用时 $T(n) = \\alpha + n\\beta$，其中 $\\beta = 1/B$ 是每字节的秒数。本课程里所有集合通信的开销都是这类项的和。",
      "一条消息的**实际带宽**是 $n/T(n) = \\frac{n}{\\alpha + n/B}$。小消息受**时延限制**：$\\alpha$ 占主导，链路大部分时间空闲；大消息受**带宽限制**：实际带宽趋近于 $B$。分界点是 $n_{1/2} = \\alpha B$，即链路恰好达到一半带宽时的消息大小（控制台为每种链路打印 $\\alpha$、$B$、$\\beta = 1/B$ 和 $n_{1/2}$）。",
      "NVLink、PCIe 和 InfiniBand 的带宽相差一个数量级，时延却相差不多，所以 1 KiB 的消息在三者上耗时差不多，而 1 GiB 的消息才显出全部差距。这就是框架要把小张量攒成大消息发送（梯度分桶，见第 34 课）、并把最快的链路放在流量最大之处的原因。",
      "最后搬运真实数据：4 MiB 从 d0 经节点内的 NVLink 发到 d1，再经 InfiniBand 发到另一节点的 d2。副本完好无损地到达，只有模拟时钟不同。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The Plots panel: achieved bandwidth against message size (log₂ bytes) for each link, and the time per message; the console: α, B and n½ per link. The Cluster panel shows the two real transfers at the end.",
    zh: "绘图面板：每种链路的实际带宽随消息大小（log₂ 字节）的变化，以及每条消息的耗时；控制台：每种链路的 α、B 和 n½。集群面板显示最后的两次真实传输。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "T(n) = \\alpha + n\\beta = \\alpha + \\frac{n}{B}",
      line: 'dist.simulate("send", { devices: c.devices, bytes, emit: false })',
      label: { en: "the α–β model of one message", zh: "单条消息的 α–β 模型" },
    },
    {
      tex: "\\text{algbw}(n) = \\frac{n}{T(n)} = \\frac{n}{\\alpha + n/B}",
      line: 'plot("achieved bandwidth (GB/s) vs log2(bytes)"',
      label: { en: "achieved bandwidth", zh: "实际带宽" },
    },
    {
      tex: "n_{1/2} = \\alpha B \\quad\\Rightarrow\\quad \\text{algbw}(n_{1/2}) = \\tfrac{B}{2}",
      line: "const nHalf = spec.latency * spec.bandwidth;",
      label: { en: "half-bandwidth message size", zh: "半带宽消息大小" },
    },
  ],
  comments: {
    "Two devices joined by one link of this kind (two nodes, one device each, for InfiniBand).":
      "用一条这种链路连起来的两台设备（InfiniBand 则是两个节点，各一台设备）。",
    "The simulator's clock for one send of this size (no data moved, no panel event).": "模拟器对这么大一次发送的计时（不搬数据，也不发面板事件）。",
    "Real data on one cluster (two nodes of two GPUs): 4 MiB from d0 over NVLink to d1, and over":
      "在一个集群（两个节点，各 2 块 GPU）上传真实数据：4 MiB 从 d0 经 NVLink 发到 d1，再经",
    "InfiniBand to d2 in the other node. The Cluster panel shows both transfers on the topology.":
      "InfiniBand 发到另一节点的 d2。集群面板在拓扑图上显示这两次传输。",
  },
});
