import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "full-links",
    prompt: { en: "How many links does a fully connected node of 8 devices need?", zh: "8 个设备全互连的节点需要多少条链路？" },
    answer: 28,
    tolerance: 0,
    explanation: { en: "Every pair needs its own link: n(n − 1)/2 = 8·7/2 = 28.", zh: "每一对设备都需要一条链路：n(n − 1)/2 = 8·7/2 = 28。" },
  },
]);
