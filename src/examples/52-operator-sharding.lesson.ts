import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Operator-level sharding (MindSpore-style)", zh: "算子级切分（MindSpore 风格）" },
  body: {
    en: [
      'Hand-writing a parallel version of every layer (lesson 51) does not scale to every model. MindSpore\'s **auto-parallel** takes another route: the devices form a **device mesh** with named axes (here $x = 2$ by $y = 2$), and every tensor gets a **sharding spec** that says, for each of its dimensions, which mesh axis it is split along, or that it is replicated. A spec of `["x", null]` on an $[8, 6]$ tensor means: rows split in two along $x$, columns whole, and the same shard on both devices of each $y$ group.',
      "The framework then infers the communication. Whenever an operator needs a layout that its input does not have, a **redistribution** is inserted, and each change of layout has one collective: split → replicated is an **allGather**; replicated → split is a local slice, no communication; moving a split from one dimension to another is an **allToAll**; and a pending **partial sum** becomes an **allReduce**, or a **reduceScatter** if the result stays split.",
      "Partial sums come from matmuls: if the contraction dimension of $Y = XW$ is split along $y$, each device multiplies its own columns of $X$ by its rows of $W$ and holds only a partial sum $X_{:,j}W_{j,:}$; the output spec decides which collective completes it.",
      "The familiar strategies are just specs of this one mechanism. Splitting the batch dimension along $x$ is **data parallelism**; splitting $W_1$ by columns and $W_2$ by rows along $y$ is **Megatron's tensor parallelism**: the first matmul needs no communication and the second leaves partial sums that one allReduce completes. The last part trains such an MLP on the $2 \\times 2$ mesh and matches single-device training.",
    ].join("\n\n"),
    zh: [
      '为每一层手写并行版本（见第 51 课）没法推广到所有模型。MindSpore 的**自动并行**走的是另一条路：设备组成一个带命名轴的**设备网格**（这里是 $x = 2$ 乘 $y = 2$），每个张量有一个**切分策略**，对张量的每一维说明它沿哪个网格轴切分，或者不切分（复制）。对 $[8, 6]$ 的张量，策略 `["x", null]` 表示：行沿 $x$ 切成两半，列保持完整，每个 $y$ 组内的两台设备持有同样的分片。',
      "然后由框架推导通信。每当算子需要的布局与输入的布局不同，就插入一次**重排布**（redistribution），每种布局变化对应一种集合通信：切分 → 复制是 **allGather**；复制 → 切分只是本地切片，无需通信；把切分从一个维度挪到另一个维度是 **allToAll**；尚未完成的**部分和**变成 **allReduce**，若结果保持切分则变成 **reduceScatter**。",
      "部分和来自矩阵乘法：如果 $Y = XW$ 的收缩维沿 $y$ 切分，每台设备用自己那几列 $X$ 乘自己那几行 $W$，只得到部分和 $X_{:,j}W_{j,:}$；由输出的切分策略决定用哪种集合通信把它补全。",
      "熟悉的并行策略都只是这一机制的不同切分策略。把批维度沿 $x$ 切分就是**数据并行**；把 $W_1$ 按列、$W_2$ 按行沿 $y$ 切分就是 **Megatron 的张量并行**：第一个矩阵乘法无需通信，第二个留下部分和，由一次 allReduce 补全。最后一部分在 $2 \\times 2$ 网格上训练这样一个 MLP，结果与单设备训练一致。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: each redistribution and the steps inferred for it, the matmul outputs and their error, and the difference from single-device training; the Cluster panel: the collectives those steps ran (pick one in the Collective menu).",
    zh: "控制台：每次重排布及为其推导出的步骤、矩阵乘法的输出及误差，以及与单设备训练的差异；集群面板：这些步骤执行的集合通信（在集合通信菜单中选择）。",
  },
  panel: "cluster",
  formulas: [
    {
      tex: "Y = XW = \\sum_{j} X_{:,j}\\, W_{j,:}",
      line: "const y = dist.shardedMatmul(X, W, { out });",
      label: { en: "a split contraction dimension leaves partial sums", zh: "收缩维被切分时得到部分和" },
    },
    {
      tex: "H_{:,j} = X\\,W_{1,(:,j)}",
      line: 'dist.shard(W1, mesh, [null, "y"])',
      label: { en: "column split: each device its own columns, no communication", zh: "列切分：每台设备算自己的列，无需通信" },
    },
    {
      tex: "O = \\sum_{j} \\tanh(H_{:,j})\\, W_{2,(j,:)} \\quad (\\text{allReduce over } y)",
      line: 'dist.shard(W2, mesh, ["y", null]), { out: ["x", null] }',
      label: { en: "row split: partial sums completed by an allReduce", zh: "行切分：部分和由 allReduce 补全" },
    },
    {
      tex: "L = \\tfrac{1}{2}\\big(L_{x=0} + L_{x=1}\\big)",
      line: "const loss = nn.mse(o.tensor.locals[0], Y.locals[0])",
      label: { en: "the batch loss: the mean over the two batch shards", zh: "整批损失：两个批分片损失的平均" },
    },
  ],
  comments: {
    "x: data axis, y: model axis": "x：数据轴，y：模型轴",
    "Redistributions of one [8, 6] tensor, and what the library infers for each.": "对一个 [8, 6] 张量做各种重排布，以及库为每种推导出的步骤。",
    "A matmul whose contraction dim is split leaves partial sums; the output spec decides the collective.":
      "收缩维被切分的矩阵乘法会留下部分和；由输出的切分策略决定用哪种集合通信。",
    "Training an MLP with sharded weights: batch on x (data parallel), W1 by columns and W2 by rows on y (Megatron).":
      "用切分后的权重训练一个 MLP：批沿 x 切分（数据并行），W1 按列、W2 按行沿 y 切分（Megatron）。",
    "column split: no communication": "列切分：无需通信",
    "row split: partial sums → allReduce": "行切分：部分和 → allReduce",
    "The loss over the batch shards (one device per x coordinate).": "在各批分片上求损失（每个 x 坐标取一台设备）。",
  },
});
