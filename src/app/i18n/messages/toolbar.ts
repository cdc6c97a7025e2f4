/** The toolbar: Run, Stop, the execution mode and Share. */
export const toolbar = {
  label: { en: "Toolbar", zh: "工具栏" },
  run: { en: "Run", zh: "运行" },
  runTitle: { en: "Run ({mod}+Enter)", zh: "运行（{mod}+Enter）" },
  stop: { en: "Stop", zh: "停止" },
  stopTitle: { en: "Stop (Escape or {mod}+.)", zh: "停止（Escape 或 {mod}+.）" },
  mode: { en: "Execution mode", zh: "执行模式" },
  eager: { en: "Eager", zh: "即时执行" },
  eagerTitle: { en: "Eager: every op runs as the line executes (PyTorch-style)", zh: "即时执行（Eager）：每个算子在所在行执行时立即运行（类似 PyTorch）" },
  graph: { en: "Graph", zh: "图模式" },
  graphTitle: {
    en: "Graph: functions are traced into a graph, optimized and compiled (jit)",
    zh: "图模式（Graph）：函数被追踪成计算图，经过优化后编译运行（jit）",
  },
  share: { en: "Share", zh: "分享" },
  shareTitle: { en: "Share: put the code in a link and copy it", zh: "分享：把代码放进链接并复制" },
  shareCopied: {
    en: "Link copied to the clipboard ({length} characters). Opening it loads this code without running it.",
    zh: "链接已复制到剪贴板（{length} 个字符）。打开链接会载入这段代码，但不会运行。",
  },
  shareNotCopied: { en: "Your browser did not allow copying. Copy the link from the address bar.", zh: "浏览器不允许复制，请从地址栏复制链接。" },
  shareFailed: { en: "Could not make a share link: {error}", zh: "无法生成分享链接：{error}" },
} as const;
