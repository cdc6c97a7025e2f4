/** Names for screen readers and keyboard users of regions that have no visible heading of their own. */
export const a11y = {
  lessonText: { en: "Lesson text", zh: "课程正文" },
  plotsRegion: { en: "Plots", zh: "图表" },
} as const;
