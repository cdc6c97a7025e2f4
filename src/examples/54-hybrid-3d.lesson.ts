import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Hybrid 3D parallelism (DP × PP × TP)", zh: "混合 3D 并行（DP × PP × TP）" },
  body: {
    en: [
      "No single strategy trains the largest models: tensor parallelism is limited by its activation allReduces, pipeline parallelism by its bubble, data parallelism by memory. **Hybrid (3D) parallelism** (Megatron-LM, DeepSpeed) combines all three, and puts each where the hardware suits its communication.",
      "The devices form a mesh of $N = dp \\times pp \\times tp$. Following Megatron's rank order, **tensor parallelism** is the innermost axis (consecutive ranks), so each tensor-parallel group sits inside one node: its allReduces of activations, several per layer and on the critical path, need NVLink. **Pipeline stages** are the outermost axis and go across nodes: only the activations at a stage boundary (and their gradients) cross the slower network, once per microbatch, point to point. **Data parallelism** takes the remaining axis: every replica of the whole pipeline computes its part of the batch, and one gradient allReduce per step, among the devices that hold the same shard, keeps them equal (it can overlap backward).",
      "Here 8 GPUs in two nodes of four run a $2 \\times 2 \\times 2$ mesh: each tensor-parallel pair is inside a node, the two pipeline stages are in different nodes, and each data-parallel allReduce joins the matching devices of the two pipelines. The model is four residual MLP blocks, blocks 0–1 on stage 0 and 2–3 on stage 1, each block split Megatron-style across its pair, and 4 microbatches flow through the pipeline.",
      "Each device holds $\\Psi/(pp \\cdot tp)$ of the parameters and all-reduces only that shard across its data-parallel group. The result is still exactly the training step of one device on the whole batch, as the console checks for both replicas.",
    ].join("\n\n"),
    zh: [
      "单一策略训练不了最大的模型：张量并行受制于激活的 allReduce，流水线并行受制于气泡，数据并行受制于显存。**混合（3D）并行**（Megatron-LM、DeepSpeed）把三者结合起来，并把每种并行放在其通信最适合的硬件上。",
      "设备组成一个 $N = dp \\times pp \\times tp$ 的网格。按照 Megatron 的 rank 顺序，**张量并行**是最内层的轴（相邻的 rank），所以每个张量并行组都在同一个节点内：它对激活的 allReduce 每层好几次，且处在关键路径上，需要 NVLink。**流水线阶段**是最外层的轴，跨节点放置：只有阶段边界处的激活（及其梯度）以点对点方式穿过较慢的网络，每个微批次一次。**数据并行**占据剩下的那个轴：整条流水线的每个副本计算自己那一份批数据，每步在持有相同分片的设备之间做一次梯度 allReduce 让副本保持一致（它可以与反向计算重叠）。",
      "这里两个节点各 4 块、共 8 块 GPU 组成 $2 \\times 2 \\times 2$ 的网格：每个张量并行对在同一节点内，两个流水线阶段在不同节点上，每个数据并行 allReduce 连接两条流水线中对应的设备。模型是四个残差 MLP 块，块 0–1 在阶段 0、块 2–3 在阶段 1，每个块按 Megatron 的方式切分到所在的设备对上，4 个微批次流过流水线。",
      "每台设备持有参数的 $\\Psi/(pp \\cdot tp)$，只需在自己的数据并行组内对这一份做 allReduce。结果仍然与单设备在整批数据上的训练步完全相同，控制台对两个副本都做了检查。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: the mesh's tp, pp and dp groups, the bubble, and the difference from single-device training; the Cluster panel's timeline: the pipeline stages, the tensor-parallel allReduces inside them, and the data-parallel allReduce at the end.",
    zh: "控制台：网格的 tp、pp、dp 分组，气泡比例，以及与单设备训练的差异；集群面板的时间线：流水线各阶段、其中的张量并行 allReduce，以及最后的数据并行 allReduce。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "N = dp \\cdot pp \\cdot tp, \\qquad \\text{rank}(d, s, t) = t + tp\\,\\big(d + dp \\cdot s\\big)",
      line: "new dist.Hybrid3D(blocks, c.devices",
      label: {
        en: "Megatron's rank order: tp innermost, then dp, pipeline stage s outermost",
        zh: "Megatron 的 rank 顺序：tp 最内层，其次 dp，流水线阶段 s 最外层",
      },
    },
    {
      tex: "\\text{bubble} = \\frac{pp - 1}{m + pp - 1}",
      line: "pipeline bubble ${(r!.bubble * 100).toFixed(1)} %",
      label: { en: "the pipeline's bubble with m microbatches", zh: "m 个微批次时流水线的气泡" },
    },
    {
      tex: "\\Psi_\\text{device} = \\frac{\\Psi}{pp \\cdot tp}, \\qquad T_\\text{dp} = 2(dp-1)\\,\\alpha + 2\\,\\frac{dp-1}{dp}\\,\\frac{b\\,\\Psi_\\text{device}}{B}",
      line: "new dist.Hybrid3D(blocks, c.devices",
      label: {
        en: "parameters per device, and their data-parallel gradient allReduce (b bytes each)",
        zh: "每台设备的参数量，以及它们的数据并行梯度 allReduce（每个 b 字节）",
      },
    },
  ],
  comments: {
    "The groups of the mesh the training runs on (Megatron-LM's rank order: tp fastest, then dp, then pp).":
      "训练所用网格的各个通信组（Megatron-LM 的 rank 顺序：tp 变化最快，其次 dp，最后 pp）。",
    "Four residual MLP blocks: stage 0 holds blocks 0–1, stage 1 blocks 2–3; each block tensor-parallel.":
      "四个残差 MLP 块：阶段 0 放块 0–1，阶段 1 放块 2–3；每个块都做张量并行。",
  },
});
