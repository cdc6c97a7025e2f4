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
const B = (x: number) => `${(x / 1e9).toFixed(1)} B`;

console.log("model          layers hidden heads(kv) experts   parameters (published)   active   attention  MLP/experts  embeddings");
for (const s of survey) {
  const m = dist.resolveModel(dist.modelConfig(s.preset));
  // Where the parameters sit: attention and MLP (or experts) of every layer, embeddings and output head.
  const attention = m.layers * m.layer.attention;
  const edges = m.embedding + m.head;
  const mlp = m.parameters - attention - edges;
  const off = ((m.parameters / s.published - 1) * 100).toFixed(1);
  console.log(
    `${s.preset.padEnd(14)} ${String(m.layers).padStart(6)} ${String(m.hidden).padStart(6)} ${`${m.heads}(${m.kvHeads})`.padStart(9)} ${(m.experts ? `${m.topK} of ${m.experts}` : "dense").padStart(8)}`.padEnd(
      55,
    ) +
      `${B(m.parameters).padStart(9)} (${B(s.published)}, ${off} %) ${B(m.activeParameters).padStart(8)} ${((100 * attention) / m.parameters).toFixed(1).padStart(7)} % ${((100 * mlp) / m.parameters).toFixed(1).padStart(9)} % ${((100 * edges) / m.parameters).toFixed(1).padStart(8)} %`,
  );
  plot("log10 parameters vs year", s.year, Math.log10(m.parameters), { series: "total" });
  plot("log10 parameters vs year", s.year, Math.log10(m.activeParameters), { series: "active per token" });
}

console.log(`\ntraining compute on ${gpus} ${gpu}s (${(peak / 1e12).toFixed(0)} TFLOP/s bf16 each) at ${(mfu * 100).toFixed(0)} % MFU:`);
for (const s of survey) {
  const active = dist.resolveModel(dist.MODEL_PRESETS[s.preset]).activeParameters;
  if (s.tokens === undefined) {
    console.log(`${s.preset.padEnd(14)} training tokens not published; 6·N per token = ${((6 * active) / 1e9).toFixed(0)} GFLOP`);
    continue;
  }
  // 2 FLOPs per active parameter per token forward, 4 backward; an MoE token only pays for its experts.
  const flops = 6 * active * s.tokens;
  const days = flops / (gpus * peak * mfu) / 86400;
  console.log(`${s.preset.padEnd(14)} ${(s.tokens / 1e12).toFixed(2)} T tokens × 6 × ${B(active)} = ${flops.toExponential(2)} FLOPs → ${days.toFixed(0)} days`);
  plot("log10 training FLOPs vs year", s.year, Math.log10(flops));
}
// Why DeepSeek-V3 cannot go through dist.plan: its layers are not alike (3 dense, 58 MoE with latent attention).
try {
  dist.plan("deepseek-v3", dist.dgxH100(gpus / 8), { tp: 8, pp: 8, dp: gpus / 64, microbatch: 1, globalBatch: 4096 });
} catch (e) {
  console.log(`dist.plan("deepseek-v3"): ${(e as Error).message}`);
}
