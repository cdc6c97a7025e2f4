import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "mlp-allreduces",
    prompt: {
      en: "Megatron splits fc1 by columns and fc2 by rows. How many allReduces does the MLP need in its forward pass?",
      zh: "Megatron 把 fc1 按列切分、fc2 按行切分。MLP 的前向需要几次 allReduce？",
    },
    answer: 1,
    tolerance: 0,
    explanation: {
      en: "The column split needs none (GELU is elementwise on each slice); the row split leaves partial sums that one allReduce (g) adds.",
      zh: "按列切分不需要通信（GELU 在各自的切片上逐元素计算）；按行切分得到部分和，由一次 allReduce（g）相加。",
    },
  },
  {
    kind: "implement",
    id: "sequence-parallel-activations",
    prompt: {
      en: "Write `layerActivations(s, b, h, a, t, sp)`: the bytes one GPT layer keeps for backward on each of `t` tensor-parallel devices, at 16 bits, without recomputation (Korthikanti et al. 2022, Table 2). Without sequence parallelism the parts between the blocks (LayerNorm inputs, dropout masks: 10·sbh) are kept whole on every device while the rest (24·sbh and the attention scores 5·a·s²·b) is split by t; with sequence parallelism (`sp`) everything is split by t. The starter ignores `sp`. The check compares with `dist.layerActivationBytes`.",
      zh: "实现 `layerActivations(s, b, h, a, t, sp)`：在 `t` 台张量并行设备中的每一台上，一个 GPT 层为反向保留的字节数（16 位，不重计算；Korthikanti 等，2022，表 2）。不用序列并行时，块之间的部分（LayerNorm 的输入、dropout 掩码：10·sbh）在每台设备上完整保存，其余部分（24·sbh 和注意力分数 5·a·s²·b）被 t 切分；使用序列并行（`sp`）时全部被 t 切分。初始代码忽略了 `sp`。检查会与 `dist.layerActivationBytes` 对比。",
    },
    starter: `/** Activation bytes of one GPT layer per device: s tokens, b sequences, width h, a heads, t-way tensor parallelism. */
export function layerActivations(s: number, b: number, h: number, a: number, t: number, sp: boolean): number {
  // TODO: sequence parallelism also splits the 10·sbh kept between the blocks
  return s * b * h * (10 + 24 / t + (5 * a * s) / (h * t));
}

console.log((layerActivations(2048, 1, 12288, 96, 8, true) / 1e9).toFixed(3) + " GB");
`,
    solution: `/** Activation bytes of one GPT layer per device: s tokens, b sequences, width h, a heads, t-way tensor parallelism. */
export function layerActivations(s: number, b: number, h: number, a: number, t: number, sp: boolean): number {
  const sbh = s * b * h;
  // LayerNorm inputs and dropout masks: whole on every device, unless sequence parallelism splits the tokens.
  const between = (10 * sbh) / (sp ? t : 1);
  // Q, K, V, the MLP's activations and the attention scores: split by tensor parallelism.
  const inside = (24 * sbh + 5 * a * s * s * b) / t;
  return between + inside;
}

console.log((layerActivations(2048, 1, 12288, 96, 8, true) / 1e9).toFixed(3) + " GB");
`,
    check: `export default async function check(learner, t, wg) {
  const f = t.fn("layerActivations");
  for (const [s, b, h, a] of [[2048, 1, 12288, 96], [4096, 2, 4096, 32]]) {
    const m = wg.dist.resolveModel({ family: "gpt", layers: 1, hidden: h, heads: a, vocab: 0, seq: s });
    for (const tp of [1, 2, 8]) {
      for (const sp of [false, true]) {
        await t.case({ en: "s = " + s + ", h = " + h + ", t = " + tp + (sp ? ", with SP" : ", without SP"), zh: "s = " + s + "，h = " + h + "，t = " + tp + (sp ? "，使用序列并行" : "，不用序列并行") }, () => {
          t.close(f(s, b, h, a, tp, sp), wg.dist.layerActivationBytes(m, b, tp, sp, "none"), 1e-9);
        });
      }
    }
  }
}
`,
    hints: [
      {
        en: "Split the formula sbh(34 + 5as/h) into the part tensor parallelism splits (24·sbh + 5as²b) and the part it keeps whole (10·sbh).",
        zh: "把公式 sbh(34 + 5as/h) 拆成张量并行切分的部分（24·sbh + 5as²b）和它完整保留的部分（10·sbh）。",
      },
      { en: "With sp the 10·sbh part is divided by t as well: sbh(34 + 5as/h)/t.", zh: "使用序列并行时 10·sbh 这一部分也除以 t：sbh(34 + 5as/h)/t。" },
    ],
  },
]);
