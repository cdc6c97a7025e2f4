import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "half-bandwidth",
    prompt: {
      en: "A link has latency α = 2 µs and bandwidth β = 100 GB/s. At what message size, in KB (1 KB = 1000 bytes), does it reach half its bandwidth?",
      zh: "一条链路的延迟 α = 2 µs，带宽 β = 100 GB/s。消息多大（单位 KB，1 KB = 1000 字节）时它达到一半带宽？",
    },
    answer: 200,
    tolerance: 1,
    explanation: {
      en: "n½ = α·β = 2·10⁻⁶ s × 10¹¹ B/s = 2·10⁵ bytes = 200 KB: there the latency and the transfer take equally long.",
      zh: "n½ = α·β = 2·10⁻⁶ s × 10¹¹ B/s = 2·10⁵ 字节 = 200 KB：此时延迟与传输耗时相等。",
    },
  },
]);
