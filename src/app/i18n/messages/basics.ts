/** The Basics lessons' figures: the framework-layers drawing (example 01) and the history timeline (example 04). */
export const basics = {
  layersFigure: { en: "The layers of an AI framework; each opens the panel that shows it", zh: "AI 框架的分层；点击每一层可打开展示它的面板" },
  openLayer: { en: "{layer}: {holds}. Open the {panel} panel", zh: "{layer}：{holds}。打开“{panel}”面板" },
  layersCaption: {
    en: "A call goes down the stack: your code → ops → autodiff and graph → kernels → the runtime. Click a layer to see its output from the last run.",
    zh: "一次调用自上而下穿过各层：你的代码 → 算子 → 自动微分与计算图 → 内核 → 运行时。点击某一层，查看上次运行时它的输出。",
  },
  userCode: { en: "your program", zh: "你的程序" },
  timelineFigure: { en: "Timeline of AI frameworks, 2000 to today, in four eras", zh: "AI 框架时间线：2000 年至今的四个时代" },
  selectEra: { en: "{era} era, {from} to {to}", zh: "{era}时代，{from}–{to}" },
  today: { en: "today", zh: "至今" },
  runEra: { en: "Run this era", zh: "运行这个时代的代码" },
  runEraLabel: { en: "Run this era: load the {era} snippet into the editor and run it", zh: "运行这个时代的代码：把“{era}”片段载入编辑器并运行" },
  eraStyle: { en: "How you program:", zh: "编程方式：" },
  eraShows: { en: "When it runs:", zh: "运行后看：" },
  eraStash: { en: "loaded an era snippet", zh: "载入了一个时代的代码片段" },
} as const;
