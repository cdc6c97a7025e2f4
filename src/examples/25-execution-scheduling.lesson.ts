import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Executing a graph: order, streams, dispatch, memory plan", zh: "计算图的执行调度：执行顺序、流、下发与内存规划" },
  body: {
    en: [
      "Computation graphs — graph execution scheduling. After the passes, a graph is a set of kernels with dependencies, and the runtime still has to decide **when** each runs and **where** its result lives. The block here does not collapse into one kernel: $k$ parallel MLP branches on a residual stream, $h = x + \\sum_{j=1}^{k} \\operatorname{relu}(x W_1^{(j)})\\,W_2^{(j)}$, then an RMS normalisation $y = h / \\sqrt{\\operatorname{mean}(h^2) + \\varepsilon}$ (a reduction).",
      "**Order.** Any topological order is correct: each node after its inputs. **Kahn's algorithm** runs nodes first ready, first run — breadth-first, so every branch's first matmul runs before any branch's second. A **memory-aware** order instead picks, among the ready nodes, the one after which the fewest bytes are live; it finishes a branch before it opens the next. With $M(s) = \\sum_{v \\text{ live at step } s} |v|$ the bytes of intermediates live while step $s$ runs, the peak $\\max_s M(s)$ is, for $N \\times D$ inputs, hidden width $H$ and float32,\n$$M^{\\text{Kahn}} = 4\\,(kNH + ND), \\qquad M^{\\text{mem}} = 4\\,(\\min(k,2)\\,NH + \\max(k-1,1)\\,ND).$$ Two hidden activations, not $k$: fusion merged one branch's second matmul into the final add, so that branch's hidden stays live until the end.",
      "**Streams.** The $k$ branches have no path between them: they could run concurrently, each on its own stream (CUDA streams, TensorFlow's inter-op thread pool), with a synchronisation where they join. The critical path has 7 stages however many branches there are. That is the trade-off of the knobs: running branches side by side is the breadth-first order, and it needs Kahn's peak memory.",
      "**Dispatch.** Eagerly, each op is one dispatch from JS: a round trip through the framework per op. The compiled graph has fewer kernels (fusion) and submits them all at once, so the launch overhead is paid once per graph rather than once per op. (An eager runtime can win some of this back without a graph: webgrad's WebGPU backend lets a chain of elementwise ops wait and, once the chain has run often enough to pay for its own kernel, runs it as one — the lazy tensors of tinygrad and PyTorch/XLA. It sees only the chain in front of it: a matmul or a reduction ends it, and every op is still a call through the framework.)",
      "**Memory plan.** Liveness tells when each value dies; a buffer whose value is dead is handed to the next value of the same size, and an elementwise op may write into an input that dies at it. The Schedule view draws each buffer as a row and each value as a bar over its lifetime: bars in one row share storage.",
    ].join("\n\n"),
    zh: [
      "计算图：图执行调度。经过各个 pass 之后，计算图是一组带依赖关系的内核，运行时还要决定每个内核**何时**执行、结果**放在哪里**。这里的模块不会坍缩成一个内核：残差流上有 $k$ 条并行的 MLP 分支，$h = x + \\sum_{j=1}^{k} \\operatorname{relu}(x W_1^{(j)})\\,W_2^{(j)}$，然后做 RMS 归一化 $y = h / \\sqrt{\\operatorname{mean}(h^2) + \\varepsilon}$（一次归约）。",
      "**执行顺序。** 任何拓扑序都是正确的：每个节点排在它的输入之后。**Kahn 算法**按“先就绪先执行”运行节点——这是广度优先，所以每条分支的第一个矩阵乘法都在任何分支的第二个矩阵乘法之前执行。**内存感知**的顺序则在就绪的节点中挑选执行后活跃字节最少的那个；它先做完一条分支，再开始下一条。记 $M(s) = \\sum_{v \\text{ 在第 } s \\text{ 步活跃}} |v|$ 为第 $s$ 步执行时活跃的中间值字节数，对 $N \\times D$ 的输入、隐藏宽度 $H$、float32，峰值 $\\max_s M(s)$ 为\n$$M^{\\text{Kahn}} = 4\\,(kNH + ND), \\qquad M^{\\text{mem}} = 4\\,(\\min(k,2)\\,NH + \\max(k-1,1)\\,ND).$$ 是两个隐藏激活而不是 $k$ 个：算子融合把一条分支的第二个矩阵乘法并进了最后的加法，所以这条分支的隐藏激活要一直活到最后。",
      "**流。** $k$ 条分支之间没有路径相连：它们可以并发执行，每条在自己的流上（CUDA stream、TensorFlow 的 inter-op 线程池），在汇合处做一次同步。不论有多少条分支，关键路径都是 7 个阶段。这正是旋钮所体现的取舍：让分支并排执行就是广度优先的顺序，它需要 Kahn 顺序的峰值内存。",
      "**下发。** 即时执行时，每个算子都从 JS 下发一次：每个算子都要在框架里走一个来回。编译后的计算图内核更少（算子融合），并且一次性全部提交，所以启动开销每张图只付一次，而不是每个算子付一次。（即时执行的运行时不借助计算图也能挽回一部分：webgrad 的 WebGPU 后端让一串逐元素算子先等着，等这串算子运行的次数多到值得为它单独编译一个内核时，就把它作为一个内核运行——这就是 tinygrad 和 PyTorch/XLA 的惰性张量。它只看得见眼前这一串：遇到矩阵乘法或归约就断开，而且每个算子仍要在框架里调用一次。）",
      "**内存规划。** 活跃性分析告诉我们每个值何时不再需要；值已失效的缓冲区交给下一个同样大小的值，逐元素算子还可以直接写进在它这里失效的输入。“调度”视图把每个缓冲区画成一行，每个值画成一条横跨其生命周期的横条：同一行里的横条共用同一块存储。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "the Graph panel's Schedule view: the live-memory curve of both orders with their peaks, the order step by step, the streams as lanes, and the memory plan as buffer lifetimes; then drag the branches and hidden-width knobs",
    zh: "“计算图”面板的“调度”视图：两种顺序的活跃内存曲线及其峰值、逐步的执行顺序、画成泳道的流，以及画成缓冲区生命周期的内存规划；然后拖动分支数和隐藏宽度旋钮",
  },
  panel: "graph",
  formulas: [
    {
      tex: "h = x + \\sum_{j=1}^{k} \\operatorname{relu}(x W_1^{(j)})\\,W_2^{(j)}",
      line: "for (const [w1, w2] of weights) h = h.add(x.matmul(w1).relu().matmul(w2));",
      label: { en: "k parallel branches on the residual", zh: "残差上的 k 条并行分支" },
    },
    {
      tex: "y = h \\,/\\, \\sqrt{\\operatorname{mean}(h^2) + \\varepsilon}",
      line: "return h.div(h.mul(h).mean(-1, true).add(1e-5).sqrt());",
      label: { en: "RMS normalisation: a reduction, its own kernel", zh: "RMS 归一化：一次归约，单独成为一个内核" },
    },
    {
      tex: "M^{\\text{Kahn}} = 4\\,(kNH + ND), \\quad M^{\\text{mem}} = 4\\,(\\min(k,2)\\,NH + \\max(k-1,1)\\,ND)",
      line: "`closed form: Kahn ${(branches * N * hidden + N * D) * bytes} B, memory-aware",
      label: { en: "peak live bytes of each order (float32)", zh: "两种顺序的峰值活跃字节数（float32）" },
    },
  ],
  comments: {
    "this lesson is about how a graph runs, so trace in both toolbar modes": "本课讲的是计算图如何执行，所以在工具栏的两种模式下都进行追踪",
    "Drag the knobs: more branches are more work that could run side by side (streams), but a": "拖动旋钮：分支越多，可以并排执行（多条流）的工作就越多，但",
    "breadth-first order then holds every branch's hidden activation at once.": "广度优先的顺序会同时保留每条分支的隐藏激活。",
    "A residual block with parallel MLP branches and an RMS normalisation (a reduction). Fusion merges":
      "一个带并行 MLP 分支和 RMS 归一化（一次归约）的残差模块。算子融合会把",
    "each matmul with its activation, but the matmuls and the reduction stay kernels of their own.":
      "每个矩阵乘法与其激活函数合并，但矩阵乘法和归约仍各自是独立的内核。",
    "The same optimized graph, in two orders. Each is topological (a node runs after its inputs).":
      "同一张优化后的计算图，两种执行顺序。两者都是拓扑序（节点在其输入之后执行）。",
    float32: "float32",
    "a node by its position in the graph": "用节点在计算图中的位置称呼它",
    "Streams, dispatch and the memory plan (the Graph panel's Schedule view draws them).": "流、下发与内存规划（“计算图”面板的“调度”视图会把它们画出来）。",
  },
});
