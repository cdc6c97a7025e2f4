import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "which-pass",
    prompt: { en: "Which pass turns `x.mul(1).add(0)` into `x`?", zh: "哪个 pass 会把 `x.mul(1).add(0)` 变成 `x`？" },
    choices: [
      { en: "Algebraic simplification", zh: "代数化简" },
      { en: "Dead-code elimination", zh: "死代码消除" },
      { en: "Memory planning", zh: "内存规划" },
    ],
    answer: 0,
    explanation: {
      en: "x·1 and x + 0 are algebraic identities; dead-code elimination then removes nodes nothing uses any more.",
      zh: "x·1 与 x + 0 都是代数恒等式；之后死代码消除再删掉不再被使用的节点。",
    },
  },
]);
