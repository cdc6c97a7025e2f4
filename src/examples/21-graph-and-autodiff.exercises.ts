import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "when-backward",
    prompt: { en: "Under jit, when is the backward pass of grad built?", zh: "在 jit 下，grad 的反向传播是什么时候构建的？" },
    choices: [
      { en: "While backward runs, op by op on a tape", zh: "在反向运行时，在 tape 上逐个算子构建" },
      { en: "Before anything runs, as more graph made from the forward graph", zh: "在任何计算运行之前，由前向图生成更多的图" },
      { en: "Never: gradients come from finite differences", zh: "从不构建：梯度来自有限差分" },
    ],
    answer: 1,
    explanation: {
      en: "Source-to-source AD: each forward node contributes its vjp as new nodes, so forward and backward form one graph that the passes optimize together.",
      zh: "源码到源码的自动微分：每个前向节点以新节点的形式贡献它的 vjp，前向与反向构成一张图，由各个优化 pass 一起优化。",
    },
  },
]);
