import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "split-to-replicated",
    prompt: {
      en: "An operator needs a tensor replicated that is now split along a mesh axis. Which collective does the redistribution insert?",
      zh: "某算子需要一个张量是复制（replicated）的，而它现在沿某个 mesh 轴切分。重分布会插入哪个集合通信？",
    },
    choices: [
      { en: "allGather", zh: "allGather" },
      { en: "allReduce", zh: "allReduce" },
      { en: "allToAll", zh: "allToAll" },
    ],
    answer: 0,
    explanation: {
      en: "Every device gathers the other parts: allGather. allReduce resolves a pending partial sum, allToAll moves a split to another dimension.",
      zh: "每个设备收集其他部分，即 allGather。allReduce 用于待求和的部分和，allToAll 用于把切分移到另一个维度。",
    },
  },
]);
