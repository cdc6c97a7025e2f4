import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "first-call",
    prompt: { en: "In graph (declarative) mode, which call of the training step takes the longest?", zh: "在图模式（声明式）下，训练步骤的哪一次调用最慢？" },
    choices: [
      { en: "The first: it traces and compiles the graph", zh: "第一次：它要追踪并编译计算图" },
      { en: "Every call takes the same time", zh: "每次调用耗时相同" },
      { en: "The last one", zh: "最后一次" },
    ],
    answer: 0,
    explanation: {
      en: "The first call runs the function on abstract tensors to record the graph and compiles it; later calls replay the compiled graph.",
      zh: "第一次调用会在抽象张量上运行函数来记录计算图并编译；之后的调用直接重放编译好的图。",
    },
  },
]);
