/** The Settings menu. */
export const settings = {
  menu: { en: "Settings", zh: "设置" },
  title: { en: "Editor settings (saved, and shared with links)", zh: "编辑器设置（会保存，并随链接分享）" },
  fontSize: { en: "Font size", zh: "字号" },
  smaller: { en: "Smaller font", zh: "缩小字号" },
  larger: { en: "Larger font", zh: "放大字号" },
  wordWrap: { en: "Wrap long lines", zh: "长行自动换行" },
  quickRuns: { en: "Quick runs (≤ {limit} steps per loop)", zh: "快速运行（每个循环 ≤ {limit} 步）" },
  quickRunsTitle: {
    en: "Every steps(n) loop runs at most {limit} steps: a quick look at a long example",
    zh: "每个 steps(n) 循环最多运行 {limit} 步：快速浏览较长的示例",
  },
  typeCheck: { en: "Check types while editing (from the next page load)", zh: "编辑时检查类型（下次加载页面时生效）" },
  typeCheckTitle: {
    en: "TypeScript underlines type errors and shows the API's docs as you type. Off saves a few seconds of CPU on each page load on a slow computer; Run works either way (saved in this browser)",
    zh: "TypeScript 会在输入时标出类型错误并显示 API 文档。关闭后，在较慢的电脑上每次加载页面可节省几秒 CPU；两种情况下都能运行（保存在此浏览器中）",
  },
  backend: { en: "Backend", zh: "后端" },
  backendTitle: { en: "Applied on the next Run", zh: "下次运行时生效" },
  backendAuto: { en: "Auto (WebGPU)", zh: "自动（WebGPU）" },
  backendCpu: { en: "CPU", zh: "CPU" },
  languageTitle: { en: "The language of the interface (saved in this browser)", zh: "界面语言（保存在此浏览器中）" },
} as const;
