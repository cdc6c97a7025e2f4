/** The Help menu. */
export const help = {
  menu: { en: "Help", zh: "帮助" },
  title: { en: "Help: API reference, PyTorch cheat sheet and the tour", zh: "帮助：API 参考、PyTorch 对照表与导览" },
  reference: { en: "API reference", zh: "API 参考" },
  referenceHint: { en: "every export of webgrad, with its docs (new tab, works offline)", zh: "webgrad 的全部导出及其文档（新标签页打开，可离线使用）" },
  tour: { en: "Take the tour", zh: "开始导览" },
  tourHint: { en: "the editor, Run, Eager/Graph, the panels and the examples", zh: "编辑器、运行、即时执行/图模式、各面板与示例" },
} as const;
