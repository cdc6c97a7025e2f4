import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "relu-boundary",
    prompt: { en: "What is the decision boundary of a ReLU MLP made of?", zh: "ReLU MLP 的决策边界由什么构成？" },
    choices: [
      { en: "Straight pieces", zh: "一段段直线" },
      { en: "Smooth circles", zh: "光滑的圆" },
      { en: "One straight line", zh: "一条直线" },
    ],
    answer: 0,
    explanation: {
      en: "Each ReLU is linear on either side of a line, so the network is piecewise linear and its boundary is a polyline that can wind into spirals.",
      zh: "每个 ReLU 在一条直线的两侧分别是线性的，所以整个网络是分段线性的，边界是一条可以绕成螺旋的折线。",
    },
  },
]);
