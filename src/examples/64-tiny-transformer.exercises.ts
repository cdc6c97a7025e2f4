import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "causal-mask",
    prompt: { en: "With causal self-attention, which positions may position 5 attend to?", zh: "使用因果自注意力时，位置 5 可以关注哪些位置？" },
    choices: [
      { en: "Positions 0 to 5: itself and earlier ones", zh: "位置 0 到 5：自己和之前的位置" },
      { en: "Every position of the window", zh: "窗口中的所有位置" },
      { en: "Only position 4", zh: "只有位置 4" },
    ],
    answer: 0,
    explanation: {
      en: "The model predicts the next character, so a position must not see later ones; the causal mask hides them before the softmax.",
      zh: "模型要预测下一个字符，所以一个位置不能看到之后的位置；因果掩码在 softmax 之前把它们屏蔽掉。",
    },
  },
]);
