import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Hello, webgrad", zh: "你好，webgrad" },
  body: {
    en: `Framework basics — what running a program here looks like. Your code is TypeScript that imports \`webgrad\`. **Run** (Ctrl+Enter) sends it to a worker beside the page, so a long loop never freezes the tab and **Stop** always ends it.

\`console.log\` prints to the Console, \`plot(chart, x, y)\` adds a point to a live chart in the Plots panel, and top-level \`await\` works. Every run starts fresh: edit a line and run again.

The loop below plots $y = x^2$ for $x = 0, 1, \\dots, 20$.`,
    zh: `框架基础：在这里运行一个程序是什么样子。你写的是导入了 \`webgrad\` 的 TypeScript 代码。点击**运行**（Ctrl+Enter）后，代码被送到页面旁边的一个 Worker 中执行，因此再长的循环也不会卡住页面，**停止**按钮总能立即结束它。

\`console.log\` 输出到控制台，\`plot(chart, x, y)\` 在“图表”面板的实时曲线上添加一个点，顶层 \`await\` 也可以直接使用。每次运行都从头开始：改一行代码，再运行一次试试。

下面的循环画出 $y = x^2$，其中 $x = 0, 1, \\dots, 20$。`,
  },
  lookAt: {
    en: "the Console panel; then edit a line and press Run again",
    zh: "控制台面板；然后修改一行代码，再次点击运行",
  },
  formulas: [{ tex: "y = x^2", line: 'plot("y = x²", i, i * i)', label: { en: "the plotted curve", zh: "画出的曲线" } }],
  comments: {
    "Plain TypeScript runs as written; top-level await works.": "普通的 TypeScript 照常运行；顶层 await 可以直接使用。",
    "plot(chart, x, y) draws a live line in the Plots panel.": "plot(chart, x, y) 在“图表”面板中画出一条实时曲线。",
  },
});
