import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "infinite-loop",
    prompt: { en: "Your program runs `while (true) {}`. What happens to the page?", zh: "你的程序执行 `while (true) {}`，页面会怎样？" },
    choices: [
      { en: "The tab freezes until it is reloaded", zh: "标签页卡死，直到重新加载" },
      { en: "The page stays responsive, and Stop ends the program", zh: "页面保持响应，按“停止”即可结束程序" },
      { en: "The browser ends the program by itself after a few seconds", zh: "浏览器几秒后自动结束程序" },
    ],
    answer: 1,
    explanation: {
      en: "Programs run in a worker beside the page, so the page never waits for them; Stop terminates that worker, even inside an endless loop.",
      zh: "程序运行在页面旁边的 worker 中，页面从不等待它；“停止”会直接终止这个 worker，即使它陷在死循环里。",
    },
  },
]);
