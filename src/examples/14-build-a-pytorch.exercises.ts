import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "used-twice",
    prompt: {
      en: "In `y = x * x`, x is used twice. How does backward combine the two contributions to x's gradient?",
      zh: "在 `y = x * x` 中 x 被用了两次。反向传播如何合并对 x 梯度的两份贡献？",
    },
    choices: [
      { en: "The second overwrites the first", zh: "后一份覆盖前一份" },
      { en: "They are added", zh: "相加" },
      { en: "They are multiplied", zh: "相乘" },
    ],
    answer: 1,
    explanation: {
      en: "The multivariate chain rule sums over every path from x to the loss, so each node adds (+=) into its inputs' gradients: here 2x.",
      zh: "多元链式法则对从 x 到损失的所有路径求和，所以每个节点把梯度累加（+=）到输入上：这里得到 2x。",
    },
  },
]);
