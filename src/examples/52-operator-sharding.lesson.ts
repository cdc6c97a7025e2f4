import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Operator-level sharding (MindSpore-style)", zh: "算子级切分（MindSpore 风格）" },
  body: {
    en: [
      'Hand-writing a parallel version of every layer (lesson 51) does not scale to every model. MindSpore\'s **auto-parallel** takes another route: the devices form a **device mesh** with named axes (here $x = 2$ by $y = 2$), and every tensor gets a **sharding spec** that says, for each of its dimensions, which mesh axis it is split along, or that it is replicated. A spec of `["x", null]` on an $[8, 6]$ tensor means: rows split in two along $x$, columns whole, and the same shard on both devices of each $y$ group.',
      "The framework then infers the communication. Whenever an operator needs a layout that its input does not have, a **redistribution** is inserted, and each change of layout has one collective: split → replicated is an **allGather**; replicated → split is a local slice, no communication; moving a split from one dimension to another is an **allToAll**; and a pending **partial sum** becomes an **allReduce**, or a **reduceScatter** if the result stays split.",
      "Partial sums come from matmuls: if the contraction dimension of $Y = XW$ is split along $y$, each device multiplies its own columns of $X$ by its rows of $W$ and holds only a partial sum $X_{:,j}W_{j,:}$; the output spec decides which collective completes it.",
      "The familiar strategies are just specs of this one mechanism. Splitting the batch dimension along $x$ is **data parallelism**; splitting $W_1$ by columns and $W_2$ by rows along $y$ is **Megatron's tensor parallelism**: the first matmul needs no communication and the second leaves partial sums that one allReduce completes. The third part trains such an MLP on the $2 \\times 2$ mesh and matches single-device training.",
      "Which specs to choose is the **strategy search**, the part of auto-parallel that makes it automatic. For a chain of matmuls $[T \\times k]\\cdot[k \\times n]$ on $D$ devices each op has four candidates: **data** (rows of the input split, weight replicated), **column** (weight split by columns, the output split by columns), **row** (weight split by rows: the input must be split by columns, the output is a partial sum) and **replicated**. The cost model prices a candidate by its compute, $3 \\cdot 2Tkn / D / F$ for forward and backward on $D$ devices at $F$ FLOP/s ($D = 1$ when replicated); by the **redistributions** on each edge, forward (what the previous op made into what this one needs) and backward (the input gradient into what the previous op's backward needs), each a ring collective of $(D-1)(\\alpha + V/(D\\beta))$ seconds for $V$ bytes (an allReduce twice that, an allToAll $V/D$); and, for data parallelism, the **allReduce of the weight's gradient**.",
      "Brute force tries all $4^n$ chains; the search instead keeps, for each op and each of its four shardings, the cheapest chain that ends there, $C_i(s) = \\text{own}_i(s) + \\min_{s'}\\big[C_{i-1}(s') + R(s' \\to s)\\big]$: $16n$ prices instead of $4^n$ chains, the dynamic program MindSpore runs over a graph's chains (its SAPP and dynamic-programming algorithms). The example prints all 16 candidates of a 2-layer MLP of width 4096 on 4 A100s, the search's table and its choice, then runs the chosen layout on real tensors: the redistributions it inserts are the collectives the cost model priced, and the result matches one device. Turn the tokens knob: at 4096 tokens Megatron's **column → row** wins (moving activations is cheaper than the weights' gradients), beyond about 22 000 tokens **data → data** wins (three activations of $Tk$ values cost more than all-reducing the two weights of $kn$: $3Tk > 4kn$ at $n = 4k$ gives $T > \\tfrac{4}{3}n$); the plot shows where the lines cross.",
    ].join("\n\n"),
    zh: [
      '为每一层手写并行版本（见第 51 课）没法推广到所有模型。MindSpore 的**自动并行**走的是另一条路：设备组成一个带命名轴的**设备网格**（这里是 $x = 2$ 乘 $y = 2$），每个张量有一个**切分策略**，对张量的每一维说明它沿哪个网格轴切分，或者不切分（复制）。对 $[8, 6]$ 的张量，策略 `["x", null]` 表示：行沿 $x$ 切成两半，列保持完整，每个 $y$ 组内的两台设备持有同样的分片。',
      "然后由框架推导通信。每当算子需要的布局与输入的布局不同，就插入一次**重排布**（redistribution），每种布局变化对应一种集合通信：切分 → 复制是 **allGather**；复制 → 切分只是本地切片，无需通信；把切分从一个维度挪到另一个维度是 **allToAll**；尚未完成的**部分和**变成 **allReduce**，若结果保持切分则变成 **reduceScatter**。",
      "部分和来自矩阵乘法：如果 $Y = XW$ 的收缩维沿 $y$ 切分，每台设备用自己那几列 $X$ 乘自己那几行 $W$，只得到部分和 $X_{:,j}W_{j,:}$；由输出的切分策略决定用哪种集合通信把它补全。",
      "熟悉的并行策略都只是这一机制的不同切分策略。把批维度沿 $x$ 切分就是**数据并行**；把 $W_1$ 按列、$W_2$ 按行沿 $y$ 切分就是 **Megatron 的张量并行**：第一个矩阵乘法无需通信，第二个留下部分和，由一次 allReduce 补全。第三部分在 $2 \\times 2$ 网格上训练这样一个 MLP，结果与单设备训练一致。",
      "选择哪些切分策略，就是**策略搜索**，它让自动并行名副其实。对 $D$ 台设备上一串矩阵乘法 $[T \\times k]\\cdot[k \\times n]$，每个算子有四种候选：**data**（输入按行切分，权重复制）、**column**（权重按列切分，输出按列切分）、**row**（权重按行切分：输入须按列切分，输出是部分和）和 **replicated**（全部复制）。代价模型为每个候选计价：计算量 $3 \\cdot 2Tkn / D / F$（前向加反向，$D$ 台设备，每台 $F$ FLOP/s；复制时 $D = 1$）；每条边上的**重排布**，前向把上一个算子的输出变成这个算子需要的布局，反向把输入梯度变成上一个算子反向需要的布局，每次都是一次环形集合通信，$V$ 字节耗时 $(D-1)(\\alpha + V/(D\\beta))$ 秒（allReduce 加倍，allToAll 为 $V/D$）；数据并行还要加上**权重梯度的 allReduce**。",
      "暴力搜索要尝试全部 $4^n$ 条链；而策略搜索对每个算子的每种切分只保留以它结尾的最便宜的链，$C_i(s) = \\text{own}_i(s) + \\min_{s'}\\big[C_{i-1}(s') + R(s' \\to s)\\big]$：只需 $16n$ 次计价，而不是 $4^n$ 条链，这正是 MindSpore 在计算图的链上运行的动态规划（其 SAPP 与动态规划算法）。示例打印一个宽度 4096 的两层 MLP 在 4 块 A100 上的全部 16 个候选、搜索的表格和它的选择，然后在真实张量上运行选中的布局：它插入的重排布正是代价模型计价的那些集合通信，结果与单设备一致。调节 token 数旋钮：4096 个 token 时 Megatron 的 **column → row** 胜出（搬运激活比搬运权重梯度便宜）；超过大约 22000 个 token 后 **data → data** 胜出（三次搬运 $Tk$ 个值的激活比对两个 $kn$ 权重做 allReduce 更贵：$n = 4k$ 时 $3Tk > 4kn$ 即 $T > \\tfrac{4}{3}n$）；曲线显示两条线在哪里相交。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: each redistribution and the steps inferred for it, the matmul outputs and their error, and the difference from single-device training; then the strategy search: the 16 candidate layouts with compute and communication, the search's table, the chosen layout and its run on real tensors. The Plots panel: communication against the tokens per step for data → data, column → row and the searched layout. The Cluster panel: the collectives those steps ran (pick one in the Collective menu).",
    zh: "控制台：每次重排布及为其推导出的步骤、矩阵乘法的输出及误差，以及与单设备训练的差异；然后是策略搜索：16 个候选布局的计算和通信时间、搜索的表格、选中的布局及其在真实张量上的运行。绘图面板：data → data、column → row 和搜索所得布局的通信时间随每步 token 数的变化。集群面板：这些步骤执行的集合通信（在集合通信菜单中选择）。",
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
    {
      tex: "t_\\text{compute} = \\frac{3 \\cdot 2\\,T k n}{D \\cdot F}, \\qquad t_\\text{ring}(V) = (D-1)\\Big(\\alpha + \\frac{V}{D\\,\\beta}\\Big), \\qquad t_\\text{allReduce} = 2\\,t_\\text{ring}",
      line: "const candidates = dist.enumerateShardings(mlpOps(tokens), a100);",
      label: { en: "the cost model: compute, and each redistribution as a ring collective", zh: "代价模型：计算量，以及每次重排布作为一次环形集合通信" },
    },
    {
      tex: "C_i(s) = \\text{own}_i(s) + \\min_{s'} \\big[C_{i-1}(s') + R_\\text{fwd}(s' \\to s) + R_\\text{bwd}(s \\to s')\\big]",
      line: "const search = dist.searchShardings(mlpOps(tokens), a100);",
      label: { en: "the search: dynamic programming over the chain, 16n prices instead of 4ⁿ chains", zh: "搜索：在链上做动态规划，16n 次计价而非 4ⁿ 条链" },
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
    "Automatic strategy search (MindSpore's auto-parallel): a cost model picks each matmul's sharding.":
      "自动策略搜索（MindSpore 的自动并行）：由代价模型为每个矩阵乘法选择切分方式。",
    "An MLP of width 4096 (4·4096 inside) on 4 A100s joined by NVLink; the batch arrives split by rows":
      "一个宽度 4096（内部 4·4096）的 MLP，放在由 NVLink 连接的 4 块 A100 上；批数据按行切分后到达，",
    "and the loss is taken per row block. The knob sets the tokens of one step.": "损失按行块分别计算。旋钮设定一步的 token 数。",
    "Every candidate, cheapest first (16 for two ops: brute force, what the search must match).":
      "所有候选，最便宜的在前（两个算子共 16 个：这是暴力搜索，策略搜索必须与之一致）。",
    "The search: the cheapest chain ending in each sharding, op by op (dynamic programming).": "搜索：逐个算子求出以每种切分结尾的最便宜的链（动态规划）。",
    "Where the choice flips: communication of the textbook layouts as the batch grows.": "选择在哪里翻转：随着批增大，两种经典布局的通信时间。",
    "Run the chosen layout on real tensors on a 1-D mesh of the 4 devices: each op's input is":
      "在 4 台设备组成的一维网格上用真实张量运行选中的布局：每个算子的输入",
    "redistributed to what its sharding needs, the nonlinearity runs where the values are whole.":
      "被重排布成其切分方式需要的布局，非线性函数在数值完整（非部分和）的地方计算。",
  },
});
