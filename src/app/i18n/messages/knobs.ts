/** The knobs bar above the editor: controls a program declares with `slider()` and `choice()`. */
export const knobs = {
  bar: { en: "Knobs", zh: "可调参数" },
  hint: { en: "Move a knob and the program runs again with the new value.", zh: "拖动滑块或切换选项，程序会用新值重新运行。" },
  reset: { en: "Reset", zh: "恢复默认" },
  resetTitle: { en: "Put every knob back to the value in the code and run again", zh: "把所有参数恢复为代码中的初始值，并重新运行" },
  logScale: { en: "{label} (logarithmic scale)", zh: "{label}（对数刻度）" },
  changed: { en: "changed from {initial}", zh: "初始值为 {initial}" },
} as const;
