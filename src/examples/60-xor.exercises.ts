import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "linear-xor",
    prompt: {
      en: "Can a model with no hidden layer (logistic regression) classify all four XOR points correctly?",
      zh: "没有隐藏层的模型（逻辑回归）能把 XOR 的四个点全部分类正确吗？",
    },
    choices: [
      { en: "No: no straight line separates the classes", zh: "不能：没有一条直线能分开两类" },
      { en: "Yes, with enough steps", zh: "能，只要训练足够多步" },
      { en: "Yes, with a larger learning rate", zh: "能，只要学习率更大" },
    ],
    answer: 0,
    explanation: {
      en: "Its decision boundary is a line, and XOR's classes sit in opposite corners. A hidden layer bends the space until a line does separate them.",
      zh: "它的决策边界是一条直线，而 XOR 的两类位于相对的角上。隐藏层把空间弯折，直到一条直线能把它们分开。",
    },
  },
]);
