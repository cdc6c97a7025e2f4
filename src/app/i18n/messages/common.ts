/** Words used across the app: languages, generic actions. */
export const common = {
  languageName: { en: "English", zh: "简体中文" },
  language: { en: "Language", zh: "语言" },
  close: { en: "Close", zh: "关闭" },
  show: { en: "Show", zh: "显示" },
  hide: { en: "Hide", zh: "隐藏" },
} as const;
