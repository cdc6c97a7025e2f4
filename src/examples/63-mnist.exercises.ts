import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "input-size",
    prompt: { en: "How many numbers does one 28×28 MNIST image become at the MLP's input?", zh: "一张 28×28 的 MNIST 图像在 MLP 的输入端变成多少个数？" },
    answer: 784,
    tolerance: 0,
    explanation: {
      en: "28 · 28 = 784 grey levels in one vector: the MLP sees no 2-D structure, only which pixels are dark.",
      zh: "28 · 28 = 784 个灰度值组成一个向量：MLP 看不到二维结构，只知道哪些像素是暗的。",
    },
  },
]);
