import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "w-limit",
    prompt: {
      en: "The data are made from y = 3·x plus noise. Which value does w approach as the loss falls? (a number)",
      zh: "数据由 y = 3·x 加噪声生成。随着损失下降，w 趋近于多少？（填一个数）",
    },
    answer: 3,
    tolerance: 0.1,
    explanation: {
      en: "Gradient descent moves w against d loss/dw until the slope of the mean squared error is zero, near the w that made the data: 3.",
      zh: "梯度下降让 w 沿 d loss/dw 的反方向移动，直到均方误差的斜率为零，也就是接近生成数据的 w：3。",
    },
  },
]);
