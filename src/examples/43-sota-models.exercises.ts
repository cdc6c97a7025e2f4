import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "moe-training-flops",
    prompt: {
      en: "Mixtral 8x7B has 46.7 B parameters; each token goes through 2 of its 8 expert MLPs, so it uses 12.9 B of them. About how many FLOPs does training on one token cost?",
      zh: "Mixtral 8x7B 有 467 亿参数；每个 token 只经过 8 个专家 MLP 中的 2 个，因此只用到其中 129 亿。训练一个 token 大约要多少次浮点运算？",
    },
    choices: [
      { en: "6 × 12.9 B ≈ 77 GFLOP", zh: "6 × 129 亿 ≈ 77 GFLOP" },
      { en: "6 × 46.7 B ≈ 280 GFLOP", zh: "6 × 467 亿 ≈ 280 GFLOP" },
      { en: "2 × 12.9 B ≈ 26 GFLOP", zh: "2 × 129 亿 ≈ 26 GFLOP" },
    ],
    answer: 0,
    explanation: {
      en: "A token multiplies only the weights it goes through: the shared attention and 2 experts, 12.9 B parameters, 2 FLOPs each forward and 4 backward. The other 6 experts cost memory, not compute. 2N would be the forward pass alone.",
      zh: "一个 token 只与它经过的权重相乘：共享的注意力和 2 个专家，共 129 亿参数，每个前向 2 次、反向 4 次浮点运算。其余 6 个专家只占显存，不占计算。2N 只是前向的计算量。",
    },
  },
  {
    kind: "implement",
    id: "llama-parameters",
    prompt: {
      en: "Write `llamaParameters(c)`: the parameters of a LLaMA-style model from its config `{ layers, hidden, heads, kvHeads, ffn, vocab }`: per layer, attention with `heads` query heads and `kvHeads` key/value heads of width hidden/heads (no biases), a SwiGLU MLP (three hidden × ffn matrices) and two RMSNorm weight vectors; then input and output embeddings (untied, vocab × hidden each) and a final norm. The starter uses GPT's 12·L·h² rule. The check compares with `dist.resolveModel` and the published counts of LLaMA 2 7B (6.74 B) and LLaMA 3 70B (70.6 B).",
      zh: "实现 `llamaParameters(c)`：根据配置 `{ layers, hidden, heads, kvHeads, ffn, vocab }` 计算 LLaMA 式模型的参数量：每层包括注意力（`heads` 个 query 头，`kvHeads` 个 key/value 头，每头宽 hidden/heads，无偏置）、SwiGLU MLP（三个 hidden × ffn 的矩阵）和两个 RMSNorm 的权重向量；再加上输入和输出嵌入（不共享，各 vocab × hidden）以及最后一个归一化层。初始代码用的是 GPT 的 12·L·h² 规则。检查会与 `dist.resolveModel` 以及 LLaMA 2 7B（67.4 亿）和 LLaMA 3 70B（706 亿）的公开参数量对比。",
    },
    starter: `interface LlamaConfig {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  vocab: number;
}

/** Parameters of a LLaMA-style model. */
export function llamaParameters(c: LlamaConfig): number {
  // TODO: GPT's rule of thumb: 4h² attention + 8h² MLP per layer, no embeddings, no GQA, no SwiGLU
  return 12 * c.layers * c.hidden * c.hidden;
}

const llama2_7b = { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 32000 };
console.log("LLaMA 2 7B: " + (llamaParameters(llama2_7b) / 1e9).toFixed(2) + " B");
`,
    solution: `interface LlamaConfig {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  vocab: number;
}

/** Parameters of a LLaMA-style model. */
export function llamaParameters(c: LlamaConfig): number {
  const h = c.hidden,
    headDim = h / c.heads;
  // Q and O are h × h; K and V have kvHeads heads only (grouped-query attention).
  const attention = 2 * h * h + 2 * h * c.kvHeads * headDim;
  // SwiGLU: gate and up projections h → ffn, down projection ffn → h.
  const mlp = 3 * h * c.ffn;
  const norms = 2 * h;
  return c.layers * (attention + mlp + norms) + 2 * c.vocab * h + h;
}

const llama2_7b = { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 32000 };
console.log("LLaMA 2 7B: " + (llamaParameters(llama2_7b) / 1e9).toFixed(2) + " B");
`,
    check: `export default async function check(learner, t, wg) {
  const count = t.fn("llamaParameters");
  for (const name of ["llama2-7b", "llama2-13b", "llama2-70b", "llama3-8b", "llama3-70b", "llama3-405b"]) {
    const c = wg.dist.MODEL_PRESETS[name];
    await t.case({ en: name + ": as dist.resolveModel counts it", zh: name + "：与 dist.resolveModel 的清点一致" }, () => {
      t.equal(count({ ...c, kvHeads: c.kvHeads ?? c.heads }), wg.dist.resolveModel(c).parameters);
    });
  }
  await t.case({ en: "LLaMA 2 7B: 6.74 B published", zh: "LLaMA 2 7B：公开数字 67.4 亿" }, () => {
    t.close(count({ layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 32000 }), 6.74e9, 0.005);
  });
  await t.case({ en: "LLaMA 3 70B: 70.6 B published", zh: "LLaMA 3 70B：公开数字 706 亿" }, () => {
    t.close(count({ layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256 }), 70.6e9, 0.005);
  });
}
`,
    hints: [
      {
        en: "Attention: Q and the output projection are h × h each; K and V are h × (kvHeads · h/heads) each. MLP: three h × ffn matrices.",
        zh: "注意力：Q 和输出投影各为 h × h；K 和 V 各为 h × (kvHeads · h/heads)。MLP：三个 h × ffn 的矩阵。",
      },
      {
        en: "Per layer add 2h for the two RMSNorms; outside the layers add vocab × h twice (input and output embeddings are separate in LLaMA) and h for the final norm.",
        zh: "每层再加两个 RMSNorm 的 2h；层外加两次 vocab × h（LLaMA 的输入和输出嵌入是分开的），再加最后归一化层的 h。",
      },
    ],
  },
]);
