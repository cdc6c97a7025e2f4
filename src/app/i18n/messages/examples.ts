/** The Examples menu. */
export const examples = {
  menu: { en: "Examples", zh: "示例" },
  title: { en: "Examples: the course, part by part (your code is kept)", zh: "示例：按章节排列的课程（你的代码会被保留）" },
  filter: { en: "Filter examples", zh: "筛选示例" },
  filterPlaceholder: { en: "Filter examples…", zh: "筛选示例…" },
  none: { en: "No example matches", zh: "没有匹配的示例" },
  countOne: { en: "1 example", zh: "1 个示例" },
  countMany: { en: "{count} examples", zh: "{count} 个示例" },
} as const;
