import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "The communication stack: from GPU memory to GPU memory", zh: "通信软硬件栈：从 GPU 显存到 GPU 显存" },
  body: {
    en: [
      "A collective in a framework (`torch.distributed.all_reduce`, MindSpore's `AllReduce`) goes down a stack: the framework's **process group** calls a **communication library** (NCCL on NVIDIA GPUs, HCCL on Ascend, MPI on CPUs and HPC systems, Gloo over TCP), which picks an algorithm (ring, tree) and a **transport** for each pair of ranks, which moves bytes over the hardware: **NVLink** (through NVSwitch) or **PCIe** between GPUs of one node, and a NIC per GPU into an **InfiniBand** or **RoCE** (RDMA over Converged Ethernet) network between nodes.",
      "The program draws three paths a message takes, hop by hop, with each hop's latency $\\alpha$ and bandwidth $B$ (its $\\beta = 1/B$) from the cluster's topology. Inside a node NCCL's P2P transport writes straight into the peer's memory over NVLink: one hop, $T = \\alpha + n/B$. Across nodes NCCL's NET transport uses **RDMA**: the NIC reads the sender's buffer and writes the receiver's with no CPU and no kernel on the data path, and with **GPUDirect RDMA** the buffers are GPU memory itself (the NIC reaches it over the PCIe switch it shares with the GPU, so that hop is inside the network hop here). A route through a switch is pipelined, so its time is $T = \\sum_i \\alpha_i + \\frac{n}{\\min_i B_i}$: every hop's latency, but only the slowest hop's bandwidth; `dist.send` reports exactly this.",
      "Without GPUDirect the data is **staged** through host memory: a `cudaMemcpy` over PCIe to a pinned host buffer, the network transfer, and another copy on the far side. Each staged copy is a store-and-forward stage that adds its whole $\\alpha + n/B_\\text{PCIe}$: $$T_\\text{staged} = T_\\text{RDMA} + 2\\Big(\\alpha_\\text{PCIe} + \\frac{n}{B_\\text{PCIe}}\\Big).$$ The network knob swaps InfiniBand HDR (25 GB/s) for RoCE at 100 GbE (12.5 GB/s) or plain 10 GbE over TCP sockets (1.25 GB/s, $\\alpha$ = 30 µs: no RDMA, the kernel's network stack on every message).",
      "Last, **process groups** as frameworks expose them: `dist.newGroup(c, ranks)` is `torch.distributed.new_group(ranks)`, a subset of the ranks on which collectives run, each with a backend (`nccl`, `mpi`, `gloo`) that picks the algorithm. Parallel training builds many groups over one cluster: a tensor-parallel group inside each node rides NVLink, a data-parallel group of the same local rank across nodes crosses the network, which is why their allReduces differ so much in time. The MPI group picks Rabenseifner's algorithm for a power-of-two group ($2\\log_2 p$ steps instead of the ring's $2(p-1)$).",
    ].join("\n\n"),
    zh: [
      "框架里的一次集合通信（`torch.distributed.all_reduce`、MindSpore 的 `AllReduce`）要一层层往下走：框架的**进程组**调用**通信库**（NVIDIA GPU 上的 NCCL、昇腾上的 HCCL、CPU 与 HPC 上的 MPI、基于 TCP 的 Gloo），通信库为每对 rank 选择算法（环、树）和**传输方式**（transport），再由硬件搬运字节：节点内 GPU 之间走 **NVLink**（经 NVSwitch）或 **PCIe**；节点之间每块 GPU 配一块网卡，接入 **InfiniBand** 或 **RoCE**（基于融合以太网的 RDMA）网络。",
      "程序画出消息经过的三条路径，逐跳给出每一跳的时延 $\\alpha$ 和带宽 $B$（即 $\\beta = 1/B$，来自集群的拓扑）。节点内，NCCL 的 P2P 传输通过 NVLink 直接写入对端显存：一跳，$T = \\alpha + n/B$。跨节点时，NCCL 的 NET 传输使用 **RDMA**：网卡读取发送方缓冲区、写入接收方缓冲区，数据路径上没有 CPU、也没有内核参与；有了 **GPUDirect RDMA**，这些缓冲区就是 GPU 显存本身（网卡经由它与 GPU 共用的 PCIe 交换芯片访问显存，所以这里这一跳包含在网络那一跳里）。经过交换机的路由是流水化的，时间为 $T = \\sum_i \\alpha_i + \\frac{n}{\\min_i B_i}$：要付每一跳的时延，但带宽只看最慢的那一跳；`dist.send` 报告的正是这个值。",
      "没有 GPUDirect 时，数据要经主机内存**中转**：先通过 PCIe 用 `cudaMemcpy` 拷到锁页主机缓冲区，再走网络传输，对端再拷一次。每次中转拷贝都是一个存储转发阶段，要完整地加上 $\\alpha + n/B_\\text{PCIe}$：$$T_\\text{staged} = T_\\text{RDMA} + 2\\Big(\\alpha_\\text{PCIe} + \\frac{n}{B_\\text{PCIe}}\\Big).$$ network 旋钮可以把 InfiniBand HDR（25 GB/s）换成 100 GbE 的 RoCE（12.5 GB/s）或走 TCP socket 的普通 10 GbE（1.25 GB/s，$\\alpha$ = 30 µs：没有 RDMA，每条消息都要经过内核网络协议栈）。",
      "最后是框架所暴露的**进程组**：`dist.newGroup(c, ranks)` 对应 `torch.distributed.new_group(ranks)`，即集合通信所作用的一部分 rank，每个组带一个后端（`nccl`、`mpi`、`gloo`）来选择算法。并行训练会在一个集群上建很多组：每个节点内的张量并行组走 NVLink，跨节点、由相同本地序号组成的数据并行组要穿过网络，所以它们的 allReduce 耗时相差很大。MPI 组对 2 的幂大小的组选用 Rabenseifner 算法（$2\\log_2 p$ 步，而环需要 $2(p-1)$ 步）。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the three drawn paths (each hop's link, α, bandwidth B and stack layer, and the message's time), then the allReduce of each process group. The Cluster panel: the real send from d0 to d5 over the switch. Try the network knob.",
    zh: "控制台：画出的三条路径（每一跳的链路、α、带宽 B 和所在的软件层，以及消息的耗时），然后是每个进程组的 allReduce。集群面板：从 d0 经交换机到 d5 的真实发送。试试 network 旋钮。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "T_\\text{route} = \\sum_i \\alpha_i + \\frac{n}{\\min_i B_i}",
      line: 'draw("across nodes with GPUDirect RDMA: d0 → d5", dist.commPath(c, 0, 5));',
      label: { en: "a pipelined route through switches (GPUDirect RDMA)", zh: "经过交换机的流水化路由（GPUDirect RDMA）" },
    },
    {
      tex: "T_\\text{staged} = T_\\text{route} + 2\\Big(\\alpha_\\text{PCIe} + \\frac{n}{B_\\text{PCIe}}\\Big)",
      line: "dist.commPath(c, 0, 5, { gpuDirect: false })",
      label: { en: "staged through host memory on both ends", zh: "两端都经主机内存中转" },
    },
    {
      tex: "T_\\text{ring} = 2(p-1)\\,\\alpha + \\frac{2(p-1)}{p}\\,\\frac{n}{B}, \\qquad T_\\text{Rabenseifner} = 2\\log_2 p\\;\\alpha + \\frac{2(p-1)}{p}\\,\\frac{n}{B}",
      line: "const r = g.allReduce(g.ranks.map((rank) => grads[rank]));",
      label: { en: "the allReduce each group's backend picks", zh: "各组后端所选 allReduce 的开销" },
    },
  ],
  comments: {
    'Two nodes of four GPUs: NVLink inside a node, a network between nodes (the "network" knob).':
      '两个节点，各 4 块 GPU：节点内 NVLink，节点间走网络（由 "network" 旋钮选择）。',
    "a 256 KiB message": "一条 256 KiB 的消息",
    "Draw a path from one GPU's memory to another's: every hop with its link, α, B and what the": "画出从一块 GPU 显存到另一块的路径：每一跳的链路、α、B，以及",
    "communication stack does on it. The route is the topology's; the figures are the link presets'.":
      "通信栈在这一跳上做什么。路由来自拓扑，数值来自链路预设。",
    "The same message for real: the clock of dist.send is the GPUDirect path's time (Σα + n / min B).":
      "真实发送同一条消息：dist.send 的计时就是 GPUDirect 路径的时间（Σα + n / min B）。",
    "Process groups, as torch.distributed.new_group makes them: collectives among a subset of ranks.":
      "进程组，就像 torch.distributed.new_group 创建的那样：在一部分 rank 之间做集合通信。",
    "A group inside each node (tensor parallelism's kind) rides NVLink; a group of the same local":
      "每个节点内的组（张量并行那一类）走 NVLink；跨节点、由相同本地序号",
    "rank across nodes (data parallelism's kind) crosses the network. The backend picks the algorithm.":
      "组成的组（数据并行那一类）要穿过网络。后端决定用哪种算法。",
  },
});
