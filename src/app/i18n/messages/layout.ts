/** The editor pane, the split between it and the panels. */
export const layout = {
  editor: { en: "Editor", zh: "编辑器" },
  panels: { en: "Panels", zh: "面板" },
  resize: { en: "Resize editor and panels", zh: "调整编辑器与面板的大小" },
  resizeTitle: { en: "Drag to resize (or use the arrow keys)", zh: "拖动以调整大小（也可用方向键）" },
  editorAria: { en: "Code editor (TypeScript). Ctrl+Enter runs, Escape stops.", zh: "代码编辑器（TypeScript）。Ctrl+Enter 运行，Escape 停止。" },
  editorFailed: { en: "The editor could not be loaded: {error}", zh: "编辑器加载失败：{error}" },
} as const;
