import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "tensor-if",
    prompt: {
      en: "Under jit (without autograph), a function does `if (x.sum() > 0) …` on a tensor x. What happens?",
      zh: "在 jit 下（不使用 autograph），函数对张量 x 写了 `if (x.sum() > 0) …`。会发生什么？",
    },
    choices: [
      { en: "The branch taken while tracing is baked into the graph", zh: "追踪时走的那个分支被固化进计算图" },
      { en: "jit stops with an error at that line", zh: "jit 在这一行报错停止" },
      { en: "Both branches run and are summed", zh: "两个分支都执行，结果相加" },
    ],
    answer: 1,
    explanation: {
      en: "While tracing, the tensor has no data, so the condition cannot be decided; rather than silently baking in one branch, jit refuses it. Write cond, or let autograph rewrite it.",
      zh: "追踪时张量没有数据，条件无法判定；jit 不会悄悄固化某个分支，而是直接拒绝。请改用 cond，或让 autograph 改写。",
    },
  },
]);
