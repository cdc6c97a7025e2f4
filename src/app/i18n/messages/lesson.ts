/** The lesson pane beside the editor: its controls, headings and links. */
export const lesson = {
  region: { en: "Lesson", zh: "课程" },
  part: { en: "Part {n}", zh: "第 {n} 部分" },
  show: { en: "Show the lesson", zh: "展开课程" },
  hide: { en: "Hide the lesson", zh: "收起课程" },
  widen: { en: "Widen the lesson", zh: "加宽课程区域" },
  narrow: { en: "Make the lesson narrower", zh: "收窄课程区域" },
  previous: { en: "Previous", zh: "上一个" },
  next: { en: "Next", zh: "下一个" },
  previousExample: { en: "Previous example: {title}", zh: "上一个示例：{title}" },
  nextExample: { en: "Next example: {title}", zh: "下一个示例：{title}" },
  // A button's name starts with the words it shows (WCAG 2.5.3: speech users say what they see).
  firstExample: { en: "Previous: this is the first example", zh: "上一个：这已是第一个示例" },
  lastExample: { en: "Next: this is the last example", zh: "下一个：这已是最后一个示例" },
  lookAt: { en: "Look at:", zh: "运行后看：" },
  formulas: { en: "Formulas in the code", zh: "代码中的公式" },
  line: { en: "line {n}", zh: "第 {n} 行" },
  showLine: { en: "Show line {n} in the editor", zh: "在编辑器中显示第 {n} 行" },
  mathLoading: { en: "Loading formulas…", zh: "正在加载公式…" },
} as const;
