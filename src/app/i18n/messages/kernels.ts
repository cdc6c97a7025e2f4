/** The Kernels panel: what the WebGPU backend dispatched, per kernel and per dispatch, GPU memory over the run, and each kernel's WGSL. */
export const kernels = {
  region: { en: "Kernels", zh: "内核" },
  // The empty panel ({code} parts are code, the same in both languages)
  emptyTitle: { en: "No GPU kernels ran in this run.", zh: "这次运行没有执行任何 GPU 内核。" },
  emptyWhy: {
    en: "Either the program ran on the CPU backend (plain JavaScript loops, which report no kernel events, so there is nothing to list), or it ran no ops.",
    zh: "要么程序运行在 CPU 后端上（普通的 JavaScript 循环，不产生内核事件，所以没有可列出的内容），要么程序没有执行任何算子。",
  },
  emptyHow: {
    en: "To run on the GPU, start your program with {init} (from {module}), or {setBackend} if you switched to {cpu}. Each op then launches a WGSL kernel, and this panel shows every dispatch, the time per kernel, memory over the run and each kernel's WGSL.",
    zh: "要在 GPU 上运行，请在程序开头写 {init}（从 {module} 导入）；如果之前切换到了 {cpu}，请调用 {setBackend}。之后每个算子都会启动一个 WGSL 内核，本面板会列出每次调度、每个内核的耗时、整个运行过程中的显存以及每个内核的 WGSL 源码。",
  },
  backendReported: { en: "Backend reported: {name}", zh: "后端报告：{name}" },
  backendReportedDetail: { en: "Backend reported: {name} — {detail}", zh: "后端报告：{name} — {detail}" },
  // The bar
  viewGroup: { en: "Kernels view", zh: "内核视图" },
  viewTotals: { en: "Per kernel", zh: "按内核" },
  viewDispatches: { en: "Dispatches", zh: "调度" },
  viewMemory: { en: "Memory", zh: "显存" },
  summary: {
    en: "{dispatches} dispatches · {kernels} kernels · {submits} submits · {ms} ms",
    zh: "{dispatches} 次调度 · {kernels} 个内核 · {submits} 次提交 · {ms} ms",
  },
  timingGpu: { en: "GPU timestamps", zh: "GPU 时间戳" },
  timingCpu: { en: "CPU-side timings", zh: "CPU 端计时" },
  timingGpuLong: { en: "GPU time from timestamp queries", zh: "由时间戳查询得到的 GPU 时间" },
  timingCpuLong: {
    en: "CPU-side time (no timestamp queries on this adapter): submit → work done, shared evenly by the submit's dispatches",
    zh: "CPU 端时间（该适配器不支持时间戳查询）：从提交到完成的时间，由该次提交中的各次调度平均分摊",
  },
  // Per kernel
  totalsTable: { en: "Totals per kernel", zh: "每个内核的汇总" },
  colKernel: { en: "kernel", zh: "内核" },
  colCount: { en: "count", zh: "次数" },
  colTime: { en: "time (ms)", zh: "时间 (ms)" },
  colAvg: { en: "avg (ms)", zh: "平均 (ms)" },
  colBytes: { en: "bytes bound", zh: "绑定字节数" },
  colWorkgroups: { en: "workgroups", zh: "工作组" },
  colSubmit: { en: "submit", zh: "提交" },
  showWgsl: { en: "Show the WGSL of {kernel}", zh: "显示 {kernel} 的 WGSL" },
  timeNote: { en: "Time: {timing}. {n} GPU buffers created by the pool.", zh: "时间：{timing}。缓冲池共创建了 {n} 个 GPU 缓冲区。" },
  // Dispatches
  dispatchesTable: { en: "Dispatches", zh: "调度列表" },
  firstRows: { en: "Showing the first {shown} of {total} dispatches.", zh: "显示前 {shown} 次调度（共 {total} 次）。" },
  // Memory
  memoryNote: {
    en: "In use: bytes held by live tensors. Pooled: freed buffers kept for reuse (a training loop's memory stays flat when the pool serves every step).",
    zh: "使用中：存活张量占用的字节。已缓存：释放后留作复用的缓冲区（当缓冲池能满足每一步的需求时，训练循环的显存保持平稳）。",
  },
  chartCaption: { en: "GPU memory after each submit", zh: "每次提交后的 GPU 显存" },
  chartSubmits: { en: "{n} submits", zh: "{n} 次提交" },
  chartSubmitsOne: { en: "1 submit", zh: "1 次提交" },
  chartAria: { en: "Chart of GPU memory in use and pooled over {n} submits", zh: "{n} 次提交中使用中与已缓存 GPU 显存的图表" },
  axisSubmit: { en: "submit", zh: "提交" },
  seriesInUse: { en: "in use (MiB)", zh: "使用中 (MiB)" },
  seriesPooled: { en: "pooled (MiB)", zh: "已缓存 (MiB)" },
  memFigures: { en: "GPU memory figures", zh: "GPU 显存指标" },
  memInUse: { en: "in use now", zh: "当前使用中" },
  memPooled: { en: "pooled now", zh: "当前已缓存" },
  memPeak: { en: "peak in use", zh: "使用峰值" },
  memCreated: { en: "buffers created", zh: "已创建缓冲区" },
  memOneSubmit: {
    en: "One submit so far: the chart draws a point per submit, so a training loop draws a line.",
    zh: "目前只有一次提交：图中每次提交画一个点，训练循环会连成一条线。",
  },
  // WGSL
  closeWgsl: { en: "Close the WGSL", zh: "关闭 WGSL" },
  noWgsl: {
    en: "No WGSL for {kernel}: its pipeline was built before this run listened (a cached pipeline).",
    zh: "没有 {kernel} 的 WGSL：它的管线在本次运行开始监听之前就已构建（一个缓存的管线）。",
  },
  wgslOf: { en: "WGSL of {kernel}", zh: "{kernel} 的 WGSL" },
  builtIn: { en: " · pipeline built in {ms} ms", zh: " · 管线构建耗时 {ms} ms" },
  entryPoint: { en: "entry point", zh: "入口函数" },
  helperLines: { en: "{n} lines", zh: "{n} 行" },
  helperLine: { en: "1 line", zh: "1 行" },
  helpersFolded: { en: "{n} helper functions folded above the entry point", zh: "入口函数上方折叠了 {n} 个辅助函数" },
  toEntry: { en: "Go to the entry point", zh: "跳到入口函数" },
  toTop: { en: "Go to the top (bindings)", zh: "跳到顶部（绑定）" },
} as const;
