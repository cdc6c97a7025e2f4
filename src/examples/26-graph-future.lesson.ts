import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Where graph compilers are heading: guards, graph breaks, dynamic shapes, dialects", zh: "计算图的未来：守卫、图中断、动态形状与方言逐级降低" },
  body: {
    en: [
      "Computation graphs — the future. Today's frameworks get graphs by **tracing** ordinary code (PyTorch 2's TorchDynamo, JAX's `jit`, webgrad's `jit`) rather than asking the user to build one. A trace is only valid for what it assumed, so it is cached under **guards**: each tensor argument's dtype and shape, each JS (Python) value it read. A call runs the cached graph only if every guard holds: $\\operatorname{run}(f, a) = G_k(a)$ for the first trace $k$ with $\\bigwedge_i \\operatorname{guard}_{k,i}(a)$, else trace again. `f.guards` lists them; `f.retraceReasons` says which one broke.",
      "**Graph breaks.** What a tracer cannot capture — a decision in the host language on a tensor's value, a call into an unknown library — ends the graph: TorchDynamo compiles the part before, runs the rest eagerly and starts a new graph after it. The price is a read-back to the host and two smaller graphs that cannot be fused or scheduled together.",
      "**Dynamic shapes.** Guards on exact shapes retrace for every new batch size: with $n$ distinct sizes, $n$ traces. Frameworks answer with **symbolic shapes** (PyTorch marks a dimension dynamic after it changes once and guards on relations such as $s_0 \\ge 2$ instead of values; XLA and TVM work on bounded shapes) or with **bucketing**: pad each batch up to the next power of two, so sizes $1..n$ need only $\\lceil \\log_2 n \\rceil + 1$ traces, at the cost of computing padded rows. Drag the knobs to trade one for the other.",
      "**Dialects.** A compiler no longer goes from graph to machine code in one step: MLIR lowers through **dialects**, each a small IR at one level — tensor ops (`stablehlo`, `torch`), loops over buffers (`linalg`, `affine`, `scf`), then `gpu` / `llvm` and the device's own code. webgrad's pipeline has the same shape on a small scale: the traced tensor-level IR, fused loop regions after the passes, and one WGSL kernel per fused node (the Graph panel's WGSL view).",
    ].join("\n\n"),
    zh: [
      "计算图：未来的方向。如今的框架通过**追踪**普通代码得到计算图（PyTorch 2 的 TorchDynamo、JAX 的 `jit`、webgrad 的 `jit`），而不是让用户手工搭图。一次追踪只在它所做的假设下成立，所以它被缓存在**守卫**（guard）之下：每个张量参数的 dtype 和形状、它读到的每个 JS（Python）值。只有所有守卫都成立时，调用才会运行缓存的图：$\\operatorname{run}(f, a) = G_k(a)$，其中 $k$ 是第一个满足 $\\bigwedge_i \\operatorname{guard}_{k,i}(a)$ 的追踪，否则重新追踪。`f.guards` 列出这些守卫；`f.retraceReasons` 说明是哪一条失败了。",
      "**图中断**（graph break）。追踪器无法捕获的东西——宿主语言里依赖张量值的判断、对未知库的调用——会让计算图在此结束：TorchDynamo 编译之前的部分，其余部分即时执行，之后再开始一张新图。代价是一次回读到主机，以及两张无法一起融合、一起调度的小图。",
      "**动态形状。** 以精确形状为守卫时，每出现一个新的批大小就要重新追踪：$n$ 种不同大小就是 $n$ 次追踪。框架的对策是**符号形状**（PyTorch 在某一维变化过一次后把它标为动态，守卫改为 $s_0 \\ge 2$ 这样的关系而不是具体值；XLA 和 TVM 处理有上界的形状），或者**分桶**（bucketing）：把每个批次填充到下一个 2 的幂，于是大小 $1..n$ 只需要 $\\lceil \\log_2 n \\rceil + 1$ 次追踪，代价是要计算填充出来的行。拖动旋钮，在两者之间取舍。",
      "**方言。** 编译器不再一步从计算图走到机器码：MLIR 通过一层层**方言**（dialect）逐级降低，每种方言都是某一层级上的小 IR——张量算子（`stablehlo`、`torch`），缓冲区上的循环（`linalg`、`affine`、`scf`），再到 `gpu` / `llvm` 以及设备自己的代码。webgrad 的流水线具有同样的结构，只是规模更小：追踪得到的张量级 IR、经过各个 pass 后融合的循环子图，以及每个融合节点一个 WGSL 内核（“计算图”面板的 WGSL 视图）。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "the Console: the guards of the cached trace, which calls hit the cache and which retraced (and why), the trace count of the serving loop; the Graph panel: one entry per trace, each with its retrace reason and its guards; then drag the batch-size knob and switch shapes to bucketed",
    zh: "控制台：缓存的追踪有哪些守卫，哪些调用命中缓存、哪些重新追踪（以及原因），服务循环的追踪次数；“计算图”面板：每次追踪一项，各自带有重新追踪的原因和守卫；然后拖动批大小旋钮，并把 shapes 切换为 bucketed",
  },
  panel: "graph",
  formulas: [
    {
      tex: "\\operatorname{run}(f, a) = G_k(a) \\text{ for the first } k \\text{ with } \\textstyle\\bigwedge_i \\operatorname{guard}_{k,i}(a)",
      line: "score(x, temperature);",
      label: { en: "a call: the cached trace whose guards all hold, else a retrace", zh: "一次调用：运行守卫全部成立的缓存追踪，否则重新追踪" },
    },
    {
      tex: "\\text{traces} = n \\;\\text{(exact)}, \\qquad \\lceil \\log_2 n \\rceil + 1 \\;\\text{(bucketed)}",
      line: 'const b = shapes === "bucketed" ? 2 ** Math.ceil(Math.log2(n)) : n;',
      label: { en: "batch sizes 1..n: traces with exact and with power-of-two shapes", zh: "批大小 1..n：精确形状与 2 的幂形状下的追踪次数" },
    },
  ],
  comments: {
    "this lesson is about tracing, so trace in both toolbar modes": "本课讲的是追踪，所以在工具栏的两种模式下都进行追踪",
    "Drag the knobs: serve requests of more distinct batch sizes, with exact shapes or with shapes":
      "拖动旋钮：处理批大小种类更多的请求，使用精确形状，或把形状",
    "padded up to a power of two (bucketing). Each new shape breaks a guard, and jit retraces.":
      "填充到 2 的幂（分桶）。每个新形状都会让一条守卫失败，jit 随之重新追踪。",
    "1. Tracing + guards. The first call traces; the trace is cached under guards: what a later call":
      "1. 追踪 + 守卫。第一次调用进行追踪；追踪结果缓存在守卫之下：之后的调用",
    "must match to reuse it (each tensor's dtype and shape, each JS value).": "必须满足它们才能复用（每个张量的 dtype 和形状、每个 JS 值）。",
    "2. A guard that fails retraces: another JS value, another shape, requiresGrad switched on.":
      "2. 守卫失败就重新追踪：换一个 JS 值、换一个形状、打开 requiresGrad。",
    "3. Dynamic shapes: 16 requests of varying batch size. Exact shapes trace once per size; padding":
      "3. 动态形状：16 个批大小各不相同的请求。精确形状下每种大小追踪一次；把",
    "the batch to the next power of two (bucketing) needs fewer traces but computes padded rows.":
      "批次填充到下一个 2 的幂（分桶）需要的追踪更少，但要计算填充出来的行。",
    "the next power of two ≥ n": "不小于 n 的下一个 2 的幂",
    "4. A graph break: a decision in JS on a tensor's value cannot be traced, so the program runs as": "4. 图中断：JS 中依赖张量值的判断无法被追踪，所以程序以",
    "two graphs with a read-back to the host in between (what torch.compile does at a break).":
      "两张图运行，中间回读一次到主机（torch.compile 遇到中断时也是这样做的）。",
    "the host reads a value: the graph breaks here": "主机读取一个值：计算图在这里中断",
    "5. Lowering through levels, as MLIR lowers through dialects: tensor ops (like stablehlo), fused":
      "5. 逐级降低，就像 MLIR 逐个方言地降低：张量算子（类似 stablehlo）、融合的",
    "loops (like linalg.generic), then one GPU kernel each (the Graph panel's WGSL view).":
      "循环（类似 linalg.generic），再到每个一个 GPU 内核（“计算图”面板的 WGSL 视图）。",
  },
});
