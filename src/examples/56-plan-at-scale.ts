import { choice, dist, plot, slider } from "webgrad";

// The question of the course: how would a 175B model train on 1 024 GPUs? The planner answers it
// without allocating a tensor: every figure below is a closed-form cost of the real model and cluster.
const name = choice("model", ["gpt3-175b", "gpt3-13b", "llama3-70b", "mixtral-8x7b", "megatron-1t"], "gpt3-175b");
const gpu = choice("GPU", ["A100", "H100"], "A100");
const n = choice("GPUs", [64, 128, 256, 512, 1024, 2048, 4096], 1024);
const globalBatch = slider("global batch (sequences)", 512, 4096, 1536, { step: 512 });
const cluster = gpu === "A100" ? dist.dgxA100(n / 8) : dist.dgxH100(n / 8);
const model = dist.resolveModel(dist.modelConfig(name));
const GiB = 2 ** 30;
const tokens = globalBatch * model.seq;
const peak = cluster.device.peakFlops.bfloat16 ?? cluster.device.peakFlops.float32;
console.log(`${name}: ${(model.parameters / 1e9).toFixed(1)} B parameters, ${model.layers} layers, h = ${model.hidden}, s = ${model.seq}`);
console.log(`${cluster.name}: ${n} GPUs of ${(cluster.device.memoryCapacity / GiB).toFixed(0)} GiB, ${(peak / 1e12).toFixed(0)} TFLOP/s bf16 each`);
// Training FLOPs per step, the rule of thumb: 2 per parameter per token forward, 4 backward.
const sixNT = 6 * model.activeParameters * tokens;
console.log(`one step = ${globalBatch} × ${model.seq} = ${tokens.toLocaleString("en")} tokens ≈ 6·N·tokens = ${(sixNT / 1e18).toFixed(2)} EFLOP`);

// 1. A few plans by hand, each costed with dist.plan (or refused, with the rule it breaks).
const hand: [string, dist.Plan][] = [
  ["TP 8 + ZeRO-1", { tp: 8, pp: 1, dp: n / 8, microbatch: 1, globalBatch, zero: 1, recompute: "selective", sequenceParallel: true }],
  ["TP 8 + ZeRO-3", { tp: 8, pp: 1, dp: n / 8, microbatch: 1, globalBatch, zero: 3, recompute: "selective", sequenceParallel: true }],
  ["TP 8 × PP 8, no recompute", { tp: 8, pp: 8, dp: n / 64, microbatch: 1, globalBatch, zero: 1, sequenceParallel: true }],
  ["TP 8 × PP 16, selective", { tp: 8, pp: 16, dp: n / 128, microbatch: 1, globalBatch, zero: 1, recompute: "selective", sequenceParallel: true }],
  [
    "TP 8 × PP 16 interleaved ×2",
    { tp: 8, pp: 16, dp: n / 128, microbatch: 1, globalBatch, zero: 1, recompute: "selective", sequenceParallel: true, interleave: 2 },
  ],
];
const costed: [string, dist.PlanResult][] = [];
for (const [label, p] of hand) {
  try {
    costed.push([label, dist.plan(model, cluster, p)]);
  } catch (e) {
    console.log(`✗ ${label}: ${(e as Error).message}`);
  }
}
const gib = (x: number) => (x / GiB).toFixed(1).padStart(6);
const sec = (x: number) => x.toFixed(2).padStart(6);
console.log("plan (GiB per GPU)          params grads optim activ  total");
costed.forEach(([label, r], i) => {
  const m = r.memory;
  console.log(
    `${label.padEnd(27)}${gib(m.parameters)}${gib(m.gradients)}${gib(m.optimizer)}${gib(m.activations)}${gib(m.total)} ${m.fits ? "✓" : "✗ too big"}`,
  );
  // Bar-like charts: one point per plan at x = its number, one line per category.
  for (const k of ["parameters", "gradients", "optimizer", "activations", "total"] as const)
    plot("GiB per GPU by plan (x = plan #)", i + 1, m[k] / GiB, { series: k });
  plot("GiB per GPU by plan (x = plan #)", i + 1, m.capacity / GiB, { series: "capacity" });
});
console.log("plan (seconds per step)      step compute comm bubble optim   MFU");
costed.forEach(([label, r], i) => {
  const t = r.time;
  console.log(
    `${label.padEnd(27)}${sec(t.step)}${sec(t.compute)}${sec(t.exposedComm)}${sec(t.bubble)}${sec(t.optimizer)} ${(r.mfu * 100).toFixed(1).padStart(5)} %`,
  );
  for (const k of ["compute", "exposedComm", "bubble", "optimizer"] as const) plot("step seconds by plan (x = plan #)", i + 1, t[k], { series: k });
});
// The pipeline bubble against its closed form for equal stages: (p − 1) idle slots out of m + p − 1.
for (const [label, r] of costed.filter(([, x]) => x.plan.pp > 1 && x.plan.interleave === 1)) {
  const p = r.plan.pp,
    m = r.plan.microbatches;
  const bubbleClosedForm = (p - 1) / (m + p - 1);
  console.log(
    `${label}: bubble ${((r.time.bubble / r.time.pipeline) * 100).toFixed(1)} % of the pipeline, closed form ${(bubbleClosedForm * 100).toFixed(1)} %`,
  );
}
// MFU: the FLOPs the model needs (attention and logits counted, recomputation not) over what the GPUs could do in a step.
for (const [label, r] of costed) {
  const mfu = r.flops.model / (n * peak * r.time.step);
  console.log(
    `${label}: MFU ${(mfu * 100).toFixed(1)} %, ${(r.flopsPerDevice / 1e12).toFixed(0)} TFLOP/s per GPU with recomputation, model FLOPs ${(r.flops.model / sixNT).toFixed(2)} × 6NT`,
  );
}

// 2. Search: every (TP, PP, DP, microbatch, ZeRO, recompute, interleave) split, ranked by step time
// (microbatches of 1, 2 or 4 sequences keep the search to about a second).
const s = dist.searchPlans(model, cluster, { globalBatch, microbatch: [1, 2, 4], limit: 8 });
console.log(`searched ${s.counts.considered} plans: ${s.counts.fits} fit, ${s.counts.outOfMemory} out of memory, ${s.counts.invalid} cannot be cut that way`);
const show = (p: dist.Plan) =>
  `TP ${p.tp} PP ${p.pp} DP ${p.dp} b ${p.microbatch} ZeRO-${p.zero ?? 0} ${p.recompute ?? "none"}${(p.interleave ?? 1) > 1 ? ` v ${p.interleave}` : ""}${(p.ep ?? 1) > 1 ? ` EP ${p.ep}` : ""}`;
s.ranked.forEach((r, i) => {
  console.log(
    `#${i + 1} ${show(r.plan).padEnd(44)} ${r.result.time.step.toFixed(2)} s  ×${r.slowdown.toFixed(2)}  MFU ${(r.result.mfu * 100).toFixed(1)} %  ${(r.result.memory.total / GiB).toFixed(0)} GiB  ${r.limiter}`,
  );
  plot("searched plans: step seconds by rank", i + 1, r.result.time.step, { series: "step" });
  plot("searched plans: step seconds by rank", i + 1, r.result.time.compute, { series: "compute" });
});
// Why the others lose: the out-of-memory plans that came closest, and one of each broken rule.
const oom = s.rejected.filter((r) => r.kind === "out of memory").sort((a, b) => a.overflow! - b.overflow!);
for (const r of oom.slice(0, 3)) console.log(`✗ ${show(r.plan)}: ${r.reason}`);
const rules = new Map<string, string>();
for (const r of s.rejected) if (r.kind === "invalid") rules.set(r.reason.replace(/[\d.]+/g, "#"), `${show(r.plan)}: ${r.reason}`);
for (const line of [...rules.values()].slice(0, 4)) console.log(`✗ ${line}`);

// 3. Hand the chosen plan to a real engine.
if (s.best) {
  const best = s.best.result;
  console.log(`chosen: ${show(s.best.plan)}: ${best.time.step.toFixed(2)} s per step, ${Math.round(best.tokensPerSecond).toLocaleString("en")} tokens/s`);
  // Megatron-LM has no ZeRO-2/3: the fastest plan it can express may be further down the ranking.
  const refusals: string[] = [];
  for (const r of s.ranked) {
    try {
      const { args, notes } = dist.megatronArgs(r.result);
      if (refusals.length > 0) console.log(`Megatron-LM cannot run #1 (${refusals[0]}); the fastest plan it can: ${show(r.plan)}, ×${r.slowdown.toFixed(2)}`);
      console.log(`Megatron-LM: torchrun --nnodes ${cluster.nodes} --nproc-per-node 8 pretrain_gpt.py ${args.join(" ")}`);
      for (const note of notes) console.log(`  note: ${note}`);
      break;
    } catch (e) {
      refusals.push((e as Error).message);
    }
  }
  if (refusals.length === s.ranked.length) console.log(`Megatron-LM cannot run any of them: ${refusals[0]}`);
  try {
    const { config, notes } = dist.deepspeedConfig(best);
    // DeepSpeed's rule: the global batch is the micro-batch × accumulation steps × data-parallel GPUs.
    const same = config.train_micro_batch_size_per_gpu * config.gradient_accumulation_steps * best.plan.dp === config.train_batch_size;
    console.log(`DeepSpeed config (batch rule holds: ${same}):\n${JSON.stringify(config, null, 2)}`);
    for (const note of notes) console.log(`  note: ${note}`);
  } catch (e) {
    console.log(`DeepSpeed cannot run it: ${(e as Error).message}`);
  }
} else console.log(`no plan of ${name} both divides evenly and fits on ${n} GPUs (the reasons above): more GPUs, another batch, or a smaller model`);
