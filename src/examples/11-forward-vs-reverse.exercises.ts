import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "passes-for-gradient",
    prompt: {
      en: "How many reverse-mode (vjp) passes give the full gradient of a loss f: Rⁿ → R?",
      zh: "对损失函数 f: Rⁿ → R，需要几次反向模式（vjp）传播才能得到完整梯度？",
    },
    choices: [
      { en: "1", zh: "1 次" },
      { en: "n", zh: "n 次" },
      { en: "n²", zh: "n² 次" },
    ],
    answer: 0,
    explanation: {
      en: "Each reverse pass gives one row of the Jacobian, and a scalar loss has one row. Forward mode would need n passes, one per input.",
      zh: "每次反向传播得到雅可比矩阵的一行，而标量损失只有一行。前向模式则需要 n 次，每个输入一次。",
    },
  },
]);
