import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "fp16-add",
    prompt: { en: "In float16, what is 2048 + 1? (a number)", zh: "在 float16 中，2048 + 1 等于多少？（填一个数）" },
    answer: 2048,
    tolerance: 0,
    explanation: {
      en: "float16 keeps 11 significant bits, so above 2048 only even integers exist; 2049 rounds (to even) back to 2048. This is why small updates to a weight vanish, and why master weights stay float32.",
      zh: "float16 只有 11 位有效数字，2048 以上只能表示偶数；2049 会（向偶数）舍入回 2048。这就是权重的小更新会消失、主权重要保留 float32 的原因。",
    },
  },
]);
