import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "block-params",
    prompt: {
      en: "About how many parameters does one Transformer block with d = 512 have (≈ 12d²)?",
      zh: "d = 512 的一个 Transformer 块大约有多少参数（≈ 12d²）？",
    },
    choices: [
      { en: "About 3.1 million", zh: "约 310 万" },
      { en: "About 262 thousand", zh: "约 26.2 万" },
      { en: "About 12 million", zh: "约 1200 万" },
    ],
    answer: 0,
    explanation: {
      en: "12 · 512² = 3 145 728: 4d² in attention's q, k, v and output projections, 8d² in the MLP (d → 4d → d).",
      zh: "12 · 512² = 3 145 728：注意力的 q、k、v 与输出投影共 4d²，MLP（d → 4d → d）共 8d²。",
    },
  },
  {
    kind: "predict",
    id: "moe-flops",
    prompt: {
      en: "The MLP is replaced by E = 8 experts and each token goes to one of them. What happens to the FLOPs per token?",
      zh: "把 MLP 换成 E = 8 个专家，每个 token 只去其中一个。每个 token 的计算量（FLOPs）会怎样？",
    },
    choices: [
      { en: "They stay about those of one MLP", zh: "基本保持一个 MLP 的计算量" },
      { en: "They grow 8-fold", zh: "增加到 8 倍" },
      { en: "They fall 8-fold", zh: "减少到 1/8" },
    ],
    answer: 0,
    explanation: {
      en: "Parameters grow E-fold but each token runs through one expert (plus a small gate), so compute per token stays put.",
      zh: "参数增加到 E 倍，但每个 token 只经过一个专家（外加一个很小的门控），所以每个 token 的计算量基本不变。",
    },
  },
]);
