import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "rnn-op",
    prompt: {
      en: "An RNN runs over a sequence of fixed length. Which control-flow op expresses it in a graph?",
      zh: "RNN 在固定长度的序列上运行。在计算图中用哪个控制流算子表达它？",
    },
    choices: [
      { en: "cond", zh: "cond" },
      { en: "scan", zh: "scan" },
      { en: "whileLoop", zh: "whileLoop" },
    ],
    answer: 1,
    explanation: {
      en: "scan is a loop with a static trip count that carries a state; its gradient is a reverse scan over the saved carries.",
      zh: "scan 是迭代次数固定、携带状态的循环；它的梯度是在保存的状态上做一次反向 scan。",
    },
  },
]);
