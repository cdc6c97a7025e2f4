import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "extrapolation",
    prompt: {
      en: "After training on samples with |x| ≤ π, what does the network give for |x| > π?",
      zh: "在 |x| ≤ π 的样本上训练后，网络对 |x| > π 给出什么？",
    },
    choices: [
      { en: "It continues the sine wave", zh: "继续画出正弦波" },
      { en: "A guess: it never saw data there", zh: "一个猜测：它在那里从没见过数据" },
      { en: "Exactly zero", zh: "恰好为零" },
    ],
    answer: 1,
    explanation: {
      en: "A network interpolates between its samples; outside them nothing ties it to sin, and a tanh MLP flattens out.",
      zh: "网络只在样本之间插值；在样本范围之外，没有任何东西把它约束到 sin 上，tanh MLP 会逐渐变平。",
    },
  },
]);
