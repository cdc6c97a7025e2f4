import { choice, dist, plot, slider } from "webgrad";

// The large models of 2020–2024, each described by its published configuration (the planner's
// presets) and counted by the library: parameters from the layer shapes, training FLOPs ≈ 6·N·T.
const survey: { preset: dist.ModelPresetName; year: number; published: number; tokens?: number }[] = [
  { preset: "gpt3-175b", year: 2020, published: 175e9, tokens: 300e9 },
  { preset: "palm-540b", year: 2022, published: 540.35e9, tokens: 780e9 },
  { preset: "llama2-70b", year: 2023, published: 68.98e9, tokens: 2e12 },
  { preset: "mixtral-8x7b", year: 2023.9, published: 46.7e9 },
  { preset: "llama3-405b", year: 2024.5, published: 405e9, tokens: 15.6e12 },
  { preset: "deepseek-v3", year: 2024.9, published: 671e9, tokens: 14.8e12 },
];
// The knobs: the cluster that would train them, and how well it is used (model FLOPs utilization).
const gpu = choice("GPU", ["A100", "H100"], "H100");
const gpus = choice("GPUs", [1024, 2048, 4096, 8192, 16384], 2048);
const mfu = slider("MFU", 0.2, 0.6, 0.4, { step: 0.05 });
const peak = dist.DEVICE_PRESETS[gpu].peakFlops.bfloat16!;
const B = (x: number) => `${(x / 1e9).toFixed(1)}B`;

console.log("model          layers hidden heads(kv)  experts");
for (const s of survey) {
  const c = dist.modelConfig(s.preset);
  const experts = c.experts ? `${c.topK} of ${c.experts}` : "dense";
  console.log(
    `${s.preset.padEnd(14)} ${String(c.layers).padStart(6)} ${String(c.hidden).padStart(6)} ${`${c.heads}(${c.kvHeads ?? c.heads})`.padStart(9)} ${experts.padStart(8)}`,
  );
}
console.log("\nmodel        counted published   off  active attn  MLP embed");
for (const s of survey) {
  const m = dist.resolveModel(dist.modelConfig(s.preset));
  // Where the parameters sit: attention and MLP (or experts) of every layer, embeddings and output head.
  const attention = m.layers * m.layer.attention;
  const edges = m.embedding + m.head;
  const mlp = m.parameters - attention - edges;
  const off = `${((m.parameters / s.published - 1) * 100).toFixed(1)}%`;
  const share = (x: number) => `${((100 * x) / m.parameters).toFixed(0)}%`.padStart(5);
  console.log(
    `${s.preset.padEnd(12)} ${B(m.parameters).padStart(7)} ${B(s.published).padStart(9)} ${off.padStart(5)} ${B(m.activeParameters).padStart(7)}${share(attention)}${share(mlp)}${share(edges)}`,
  );
  plot("log10 parameters vs year", s.year, Math.log10(m.parameters), { series: "total" });
  plot("log10 parameters vs year", s.year, Math.log10(m.activeParameters), { series: "active per token" });
}

console.log(`\ntraining compute on ${gpus} ${gpu}s (${(peak / 1e12).toFixed(0)} TFLOP/s bf16 each) at ${(mfu * 100).toFixed(0)} % MFU:`);
for (const s of survey) {
  const active = dist.resolveModel(dist.MODEL_PRESETS[s.preset]).activeParameters;
  if (s.tokens === undefined) {
    console.log(`${s.preset.padEnd(12)} tokens not published; 6·N = ${((6 * active) / 1e9).toFixed(0)} GFLOP per token`);
    continue;
  }
  // 2 FLOPs per active parameter per token forward, 4 backward; an MoE token only pays for its experts.
  const flops = 6 * active * s.tokens;
  const days = flops / (gpus * peak * mfu) / 86400;
  console.log(
    `${s.preset.padEnd(12)} ${s.tokens >= 1e12 ? `${(s.tokens / 1e12).toFixed(1)}T` : `${s.tokens / 1e9}B`} tokens × 6 × ${B(active)} = ${flops.toExponential(2)} → ${days.toFixed(0)} days`,
  );
  plot("log10 training FLOPs vs year", s.year, Math.log10(flops));
}
// Why DeepSeek-V3 cannot go through dist.plan: its layers are not alike (3 dense, 58 MoE with latent attention).
try {
  dist.plan("deepseek-v3", dist.dgxH100(gpus / 8), { tp: 8, pp: 8, dp: gpus / 64, microbatch: 1, globalBatch: 4096 });
} catch (e) {
  console.log(`dist.plan("deepseek-v3"): ${(e as Error).message}`);
}
