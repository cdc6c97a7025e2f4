import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Parameter server vs allReduce", zh: "参数服务器与 allReduce" },
  body: {
    en: [
      "Data parallelism needs every worker's gradient summed. Two architectures do it. The **parameter server** (PS: DistBelief, Li et al.'s parameter server, TensorFlow's `ParameterServerStrategy`) puts the model on server machines: each worker **pushes** its gradient to the servers, they add the gradients and update the parameters, and each worker **pulls** the result back. **allReduce** (Baidu's ring allReduce, Horovod, PyTorch DDP) has no server: the workers exchange parts of the gradient among themselves until each holds the sum.",
      "Both give the same sum here (to float32 rounding: the additions run in a different order). The difference is where the bytes go. With $N$ workers of $n$ bytes each, every byte of every worker crosses the server's link: $N n$ bytes in and $N n$ out, $2Nn$ in all, while each worker's own link carries only $n$ each way. The server's link is the **hotspot**, and the time is bound by it: $T_\\text{PS} \\approx 2N\\big(\\alpha + \\frac{n}{S\\,B}\\big)$ with $S$ servers sharing the parameters (each owns $1/S$ of them and its link carries $Nn/S$ each way).",
      "A ring allReduce sends $\\frac{2(N-1)}{N} n$ bytes over every worker's link and none through a central point: $T_\\text{ring} = 2(N-1)\\alpha + \\frac{2(N-1)}{N}\\frac{n}{B}$. Its bandwidth term stays below $2n/B$ however many workers join, while the server's grows linearly with $N$; the plot shows it for 64 MiB of gradient. This is why allReduce replaced the parameter server for dense models on GPU clusters. Sharding the server over $S$ machines divides the hotspot by $S$, and PS survives where its flexibility matters: asynchronous updates (next lesson), sparse embeddings where each worker touches few rows, elastic and fault-tolerant jobs.",
      "The table prints the simulator's time next to each closed form, and the busiest link with its bytes, as a multiple of $n$: $N$ for the parameter server, $\\frac{2(N-1)}{N}$ for the ring. The Cluster panel plays both: watch the transfers of the parameter server converge on one device.",
    ].join("\n\n"),
    zh: [
      "数据并行需要把每个 worker 的梯度加起来，有两种架构。**参数服务器**（PS：DistBelief、Li 等人的 Parameter Server、TensorFlow 的 `ParameterServerStrategy`）把模型放在服务器上：每个 worker 把梯度**推送**（push）给服务器，服务器把梯度相加并更新参数，每个 worker 再把结果**拉取**（pull）回来。**allReduce**（百度的 ring allReduce、Horovod、PyTorch DDP）没有服务器：worker 之间互相交换梯度的各个部分，直到每个 worker 都拿到总和。",
      "这里两者得到同样的和（相差只在 float32 舍入：加法的顺序不同）。区别在于字节走到了哪里。$N$ 个 worker、每个 $n$ 字节时，每个 worker 的每个字节都要穿过服务器的链路：流入 $N n$ 字节、流出 $N n$ 字节，共 $2Nn$；而每个 worker 自己的链路每个方向只承载 $n$。服务器的链路就是**热点**，时间受它限制：$T_\\text{PS} \\approx 2N\\big(\\alpha + \\frac{n}{S\\,B}\\big)$，其中 $S$ 台服务器分担参数（每台负责 $1/S$，其链路每个方向承载 $Nn/S$）。",
      "环形 allReduce 在每个 worker 的链路上发送 $\\frac{2(N-1)}{N} n$ 字节，不经过任何中心点：$T_\\text{ring} = 2(N-1)\\alpha + \\frac{2(N-1)}{N}\\frac{n}{B}$。无论加入多少 worker，它的带宽项都低于 $2n/B$，而服务器的带宽项随 $N$ 线性增长；曲线图展示了 64 MiB 梯度时的情形。这就是 GPU 集群上稠密模型用 allReduce 取代参数服务器的原因。把服务器分片到 $S$ 台机器上，热点就缩小为 $1/S$；参数服务器在看重灵活性的场景里仍然存在：异步更新（下一课）、每个 worker 只访问少数几行的稀疏嵌入、弹性与容错训练。",
      "表格把模拟器的时间和各自的闭式解并排打印，并给出最繁忙的链路及其字节数（以 $n$ 的倍数表示）：参数服务器为 $N$，环为 $\\frac{2(N-1)}{N}$。集群面板会播放两者：看参数服务器的传输如何汇聚到一台设备上。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: time, closed form and busiest link of each architecture. The Plots panel: time against the number of workers. The Cluster panel: pick the parameterServer collective and press Play; then the ring.",
    zh: "控制台：每种架构的时间、闭式解和最繁忙的链路。绘图面板：时间随 worker 数的变化。集群面板：选中 parameterServer 这次集合通信并按播放，再看环形算法。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "T_\\text{PS} \\approx 2N\\Big(\\alpha + \\frac{n}{S\\,B}\\Big)",
      line: "const psClosed = 2 * N * (a + bytes / (S * B));",
      label: { en: "parameter server: N pushes, then N pulls, through each server's link", zh: "参数服务器：经每台服务器的链路先推送 N 次、再拉取 N 次" },
    },
    {
      tex: "T_\\text{ring} = 2(N-1)\\,\\alpha + \\frac{2(N-1)}{N}\\,\\frac{n}{B}",
      line: "const ringClosed = 2 * (N - 1) * a + ((2 * (N - 1)) / N) * (bytes / B);",
      label: { en: "ring allReduce on the same workers", zh: "同样的 worker 上的环形 allReduce" },
    },
    {
      tex: "\\text{server link: } N\\,\\frac{n}{S} \\text{ in} + N\\,\\frac{n}{S} \\text{ out} = \\frac{2Nn}{S}, \\qquad \\text{ring: } \\frac{2(N-1)}{N}\\,n \\text{ per direction}",
      line: "const serverLink = dist.linkTraffic(ps)",
      label: { en: "bytes on the hotspot", zh: "热点链路上的字节数" },
    },
  ],
  comments: {
    'N workers and S parameter servers on one NVSwitch node ("switch" wiring: one NVLink port per':
      '一个 NVSwitch 节点上的 N 个 worker 和 S 台参数服务器（"switch" 连法：每台设备一个 NVLink',
    "device). The knobs above the editor set N and S; the ring allReduce runs on the same N workers.":
      "端口）。编辑器上方的旋钮设定 N 和 S；环形 allReduce 在同样的 N 个 worker 上运行。",
    "256 KiB of float32 gradient per worker": "每个 worker 256 KiB 的 float32 梯度",
    "Parameter server: each worker pushes its gradient (1/S of it to each server), the servers add":
      "参数服务器：每个 worker 推送自己的梯度（给每台服务器 1/S），服务器把它们",
    "them up, and every worker pulls the sum back. allReduce: no server, the workers pass parts of":
      "相加，每个 worker 再把和拉回来。allReduce：没有服务器，worker 之间沿环传递",
    "the gradient around a ring. Both end with the same sum on every worker.": "梯度的各个部分。两者最后都让每个 worker 得到同样的和。",
    "Where the bytes went: every link's traffic, the busiest one named.": "字节去了哪里：每条链路的流量，并指出最繁忙的那条。",
    "Scaling, on the clock alone (no data) for 64 MiB of gradient: the server's link carries N·n/S":
      "规模扩展，只走时钟（不搬数据），梯度 64 MiB：服务器链路每个方向承载 N·n/S，",
    "each way, so its time grows with N; the ring's per-link traffic 2(N − 1)/N·n stays below 2n.":
      "所以时间随 N 增长；环在每条链路上的流量 2(N − 1)/N·n 始终低于 2n。",
  },
});
