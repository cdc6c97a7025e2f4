import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "dp-equals-one",
    prompt: {
      en: "Data parallel on 4 devices, against one device on the whole batch: after 10 steps, the weights are…",
      zh: "在 4 个设备上做数据并行，与单设备在整个批次上训练相比：10 步之后权重……",
    },
    choices: [
      { en: "The same, up to rounding", zh: "相同（只差舍入误差）" },
      { en: "Different: each device saw only a quarter of the data", zh: "不同：每个设备只看到四分之一的数据" },
      { en: "4 times larger", zh: "大 4 倍" },
    ],
    answer: 0,
    explanation: {
      en: "The mean of the slices' gradients is the gradient of the whole batch, and every copy takes that same step.",
      zh: "各分片梯度的平均就是整个批次的梯度，每个副本都走同样的一步。",
    },
  },
]);
