import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "same-losses",
    prompt: {
      en: "Both fits start from the same w and b: one uses a gradient derived by hand, the other autograd. How do their losses compare step by step?",
      zh: "两次拟合从相同的 w 和 b 开始：一次用手推的梯度，一次用自动微分。它们每一步的损失如何比较？",
    },
    choices: [
      { en: "Autograd's loss is lower", zh: "自动微分的损失更低" },
      { en: "They are the same at every step", zh: "每一步都相同" },
      { en: "The hand-derived one is lower", zh: "手推梯度的损失更低" },
    ],
    answer: 1,
    explanation: {
      en: "Both compute the same derivative, so both take the same steps; the framework only spares you the calculus (and its mistakes).",
      zh: "两者计算的是同一个导数，因此每一步完全一样；框架只是替你做了微积分（也避免了推导出错）。",
    },
  },
]);
