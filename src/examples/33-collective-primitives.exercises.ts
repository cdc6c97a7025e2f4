import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "allreduce-result",
    prompt: {
      en: "Rank r of 4 holds [10r, 10r + 1, 10r + 2, 10r + 3]. What does every rank hold after allReduce (sum)?",
      zh: "4 个 rank 中，rank r 持有 [10r, 10r + 1, 10r + 2, 10r + 3]。allReduce（求和）后每个 rank 持有什么？",
    },
    choices: [
      { en: "[60, 64, 68, 72]", zh: "[60, 64, 68, 72]" },
      { en: "[0, 1, 2, 3, 10, 11, …, 33] (the concatenation)", zh: "[0, 1, 2, 3, 10, 11, …, 33]（拼接）" },
      { en: "[15, 16, 17, 18] (the mean)", zh: "[15, 16, 17, 18]（平均）" },
    ],
    answer: 0,
    explanation: {
      en: "allReduce sums elementwise and gives every rank the result: 0 + 10 + 20 + 30 = 60, then + 4 per element. The concatenation is allGather.",
      zh: "allReduce 逐元素求和，并把结果给每个 rank：0 + 10 + 20 + 30 = 60，之后每个元素多 4。拼接是 allGather。",
    },
  },
]);
