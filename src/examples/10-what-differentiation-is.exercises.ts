import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "finite-difference-error",
    prompt: {
      en: "With forward differences (f(x + h) − f(x))/h, what does the error do as h shrinks from 10⁻¹ to 10⁻¹²?",
      zh: "用前向差分 (f(x + h) − f(x))/h 时，当 h 从 10⁻¹ 缩小到 10⁻¹² 时，误差如何变化？",
    },
    choices: [
      { en: "It keeps falling", zh: "一直下降" },
      { en: "It falls, then rises again", zh: "先下降，后又上升" },
      { en: "It stays the same", zh: "保持不变" },
    ],
    answer: 1,
    explanation: {
      en: "Truncation error shrinks with h, but round-off grows like ε/h: the error plotted against h is V-shaped. Automatic differentiation has neither.",
      zh: "截断误差随 h 减小，而舍入误差按 ε/h 增长：误差随 h 的曲线呈 V 形。自动微分两者都没有。",
    },
  },
]);
