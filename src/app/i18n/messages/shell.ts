/** The app shell: page heading, editor keyboard hint, console stack frames. */
export const shell = {
  heading: { en: "webgrad — a playground for how an AI framework works inside", zh: "webgrad —— 动手看懂 AI 框架的内部原理" },
  editorKeysHint: { en: "Esc then Tab: leave the editor · Ctrl+M: Tab moves focus", zh: "先按 Esc 再按 Tab：离开编辑器 · Ctrl+M：切换 Tab 移动焦点" },
  showFrames: { en: "{count} more frames (webgrad internals)", zh: "另有 {count} 个调用帧（webgrad 内部）" },
  hideFrames: { en: "Hide webgrad internals", zh: "隐藏 webgrad 内部调用帧" },
} as const;
