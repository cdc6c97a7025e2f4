import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "mlp-allreduces",
    prompt: {
      en: "Megatron splits fc1 by columns and fc2 by rows. How many allReduces does the MLP need in its forward pass?",
      zh: "Megatron 把 fc1 按列切分、fc2 按行切分。MLP 的前向需要几次 allReduce？",
    },
    answer: 1,
    tolerance: 0,
    explanation: {
      en: "The column split needs none (GELU is elementwise on each slice); the row split leaves partial sums that one allReduce (g) adds.",
      zh: "按列切分不需要通信（GELU 在各自的切片上逐元素计算）；按行切分得到部分和，由一次 allReduce（g）相加。",
    },
  },
]);
