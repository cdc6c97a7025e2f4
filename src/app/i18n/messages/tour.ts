/** The first-run tour: its card and its steps (the order is in components/tour.ts). */
export const tour = {
  count: { en: "Tour · {n} of {total}", zh: "导览 · 第 {n} 步，共 {total} 步" },
  close: { en: "Close the tour", zh: "关闭导览" },
  closeTitle: { en: "Close the tour (Escape)", zh: "关闭导览（Escape）" },
  skip: { en: "Skip tour", zh: "跳过导览" },
  back: { en: "Back", zh: "上一步" },
  next: { en: "Next", zh: "下一步" },
  done: { en: "Done", zh: "完成" },
  editorTitle: { en: "Write a program", zh: "编写程序" },
  editorText: {
    en: "This is TypeScript that imports the webgrad library. Hover a name for its docs; your code is saved in this browser as you type.",
    zh: "这里是导入 webgrad 库的 TypeScript 代码。把鼠标悬停在名称上可查看文档；你输入的代码会自动保存在此浏览器中。",
  },
  runTitle: { en: "Run it", zh: "运行" },
  runText: {
    en: "Run (Ctrl/⌘+Enter) runs the program in a worker, never on the page. Stop (Escape) ends it at once, even inside an endless loop.",
    zh: "“运行”（Ctrl/⌘+Enter）在 Worker 中执行程序，而不是在页面上。“停止”（Escape）会立即结束它，即使程序陷入死循环。",
  },
  modeTitle: { en: "Eager or Graph", zh: "即时执行还是图模式" },
  modeText: {
    en: "Eager runs every op as its line runs, like PyTorch. Graph traces jit functions into a graph, optimizes it and runs the compiled kernels, like JAX.",
    zh: "即时执行（Eager）在每行运行时立即执行算子，类似 PyTorch。图模式（Graph）把 jit 函数追踪成计算图，优化后运行编译好的内核，类似 JAX。",
  },
  panelsTitle: { en: "Watch the framework work", zh: "观察框架如何工作" },
  panelsText: {
    en: "Console and Plots show what the program prints and plots; Tape, Graph, Kernels and Cluster show the autodiff tape, the graph through each pass, the WebGPU kernels and the simulated cluster.",
    zh: "“控制台”和“图表”显示程序的输出和绘图；“梯度带”“计算图”“内核”“集群”分别展示自动微分记录、经过每个优化遍的计算图、WebGPU 内核和模拟集群。",
  },
  examplesTitle: { en: "Follow the course", zh: "跟着课程学" },
  examplesText: {
    en: "Examples holds the course, part by part, from tensors to distributed training. Type to filter. A loaded example shows its lesson above the editor, with the previous and next one.",
    zh: "“示例”按章节收录整套课程，从张量到分布式训练。输入文字即可筛选。载入的示例会在编辑器上方显示对应课文，并可前往上一课和下一课。",
  },
  helpTitle: { en: "Reference and help", zh: "参考与帮助" },
  helpText: {
    en: "Help opens the API reference (it works offline) and brings this tour back.",
    zh: "“帮助”可打开 API 参考（支持离线），也可以重新开始本导览。",
  },
} as const;
