/** The Graph panel's Schedule view (orders, streams, memory plan) and a trace's guards. */
export const schedule = {
  view: { en: "Schedule", zh: "调度" },
  region: { en: "Execution schedule of the optimized graph", zh: "优化后计算图的执行调度" },
  none: {
    en: "No schedule for this trace (graphs above 400 nodes are not analysed).",
    zh: "这次追踪没有调度信息（超过 400 个节点的计算图不做分析）。",
  },
  finalStage: { en: "For the graph after all passes (what runs).", zh: "针对所有 pass 之后的计算图（实际运行的那张图）。" },
  orders: { en: "Order", zh: "执行顺序" },
  topological: { en: "Topological (first ready, first run)", zh: "拓扑序（先就绪先执行）" },
  memoryAware: { en: "Memory-aware (least live memory next)", zh: "内存感知（下一步活跃内存最少）" },
  peakOf: { en: "peak {peak}", zh: "峰值 {peak}" },
  liveTitle: { en: "Live intermediate memory at each step", zh: "每一步的活跃中间内存" },
  liveLabel: {
    en: "Live bytes per step: topological order peaks at {topo}, memory-aware order at {mem}",
    zh: "每一步的活跃字节数：拓扑序峰值 {topo}，内存感知顺序峰值 {mem}",
  },
  step: { en: "Step", zh: "步" },
  node: { en: "Node", zh: "节点" },
  live: { en: "Live", zh: "活跃内存" },
  streamsTitle: { en: "Streams: {streams} streams, {stages} stages on the critical path", zh: "流：{streams} 条流，关键路径上 {stages} 个阶段" },
  streamsLabel: {
    en: "Nodes by stage (left to right) and stream (top to bottom); a line across streams is a synchronisation",
    zh: "按阶段（从左到右）和流（从上到下）排列的节点；跨流的连线表示一次同步",
  },
  stream: { en: "stream {k}", zh: "流 {k}" },
  dispatchTitle: { en: "Dispatch", zh: "下发" },
  dispatchEager: {
    en: "Eager, op by op: {n} dispatches, each a round trip from JS",
    zh: "即时执行、逐个算子：{n} 次下发，每次都从 JS 往返一趟",
  },
  dispatchGraph: { en: "Graph: {n} kernels in {submits} submit", zh: "图执行：{n} 个内核，{submits} 次提交" },
  planTitle: {
    en: "Memory plan ({order}): {buffers} buffers, arena {arena} (one buffer per value: {unplanned})",
    zh: "内存规划（{order}）：{buffers} 个缓冲区，内存池 {arena}（每个值一个缓冲区：{unplanned}）",
  },
  planLabel: {
    en: "Buffer lifetimes: one row per buffer, one bar per value from the step that makes it to its last use; bars in one row share storage",
    zh: "缓冲区生命周期：每行一个缓冲区，每个值一条横条，从产生它的那一步到最后一次使用；同一行的横条共用同一块存储",
  },
  buffer: { en: "buf {k} · {bytes}", zh: "缓冲 {k} · {bytes}" },
  guards: { en: "Guards of this trace ({n}); trace {count} of this function", zh: "这次追踪的守卫（{n} 条）；这是该函数的第 {count} 次追踪" },
} as const;
