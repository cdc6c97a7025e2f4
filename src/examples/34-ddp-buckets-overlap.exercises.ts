import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "one-bucket",
    prompt: {
      en: "DDP with one bucket that holds every gradient: how much of the allReduce is hidden behind backward?",
      zh: "DDP 只用一个装下全部梯度的桶：allReduce 有多少能被反向传播掩盖？",
    },
    choices: [
      { en: "None of it", zh: "完全没有" },
      { en: "All of it", zh: "全部" },
      { en: "About half", zh: "大约一半" },
    ],
    answer: 0,
    explanation: {
      en: "The only bucket is full when backward ends, so its allReduce starts after it: nothing overlaps. Smaller buckets start while backward still runs.",
      zh: "唯一的桶在反向结束时才装满，它的 allReduce 只能在之后开始，没有任何重叠。更小的桶可以在反向进行时就开始通信。",
    },
  },
]);
