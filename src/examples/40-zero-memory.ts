import { choice, dist, nn, onEvent, optim, plot, randn, steps } from "webgrad";

// 1. The calculator: bytes per device for Ψ parameters on Nd devices (64 unless you pick another), per ZeRO stage.
const GB = 1e9,
  capacity = dist.DEVICE_PRESETS.A100.memoryCapacity;
// The knobs above the editor: how many GPUs share the model (the table's Nd), and which stage the
// breakdown below the table shows.
const nd = choice("data-parallel devices (Nd)", [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], 64);
const pick = choice("ZeRO stage", [0, 1, 2, 3], 2);
console.log(`per-device memory on ${nd} GPUs (weights + gradients + Adam state), A100 capacity 80 GiB = ${(capacity / GB).toFixed(1)} GB`);
console.log("Ψ (params)   stage 0     stage 1     stage 2     stage 3");
for (const psi of [1.5e9, 7.5e9, 70e9, 175e9]) {
  const cells = ([0, 1, 2, 3] as const).map((stage) => {
    const m = dist.zeroMemory(psi, stage, nd);
    return `${(m.total / GB).toFixed(1).padStart(7)} ${m.total <= capacity ? "✓" : "✗"}  `;
  });
  console.log(`${`${psi / 1e9} B`.padEnd(12)} ${cells.join("")}`);
}
// Where the bytes of the 7.5 B model go with the chosen stage: what is sharded shrinks with Nd, the rest stays.
const parts = dist.zeroMemory(7.5e9, pick, nd);
console.log(
  `ZeRO-${pick}, 7.5 B params on ${nd} GPUs: parameters ${(parts.parameters / GB).toFixed(2)} GB + gradients ${(parts.gradients / GB).toFixed(2)} GB + optimizer ${(parts.optimizer / GB).toFixed(2)} GB = ${(parts.total / GB).toFixed(2)} GB per GPU`,
);
// Memory per device of the 7.5 B model as the device count grows: stage 3 keeps falling, stage 1 levels off at 4Ψ.
for (let k = 0; k <= 10; k++) {
  for (const stage of [0, 1, 2, 3] as const)
    plot("GB per device (7.5 B params) vs log2(devices)", k, dist.zeroMemory(7.5e9, stage, 2 ** k).total / GB, { series: `ZeRO-${stage}` });
  plot("GB per device (7.5 B params) vs log2(devices)", k, capacity / GB, { series: "A100 capacity" });
}

// 1b. The other half of the memory wall: activations, which grow with the sequence length (the
// attention scores as its square) and shrink with recomputation (Korthikanti et al. 2022).
const seq = choice("sequence length", [1024, 2048, 4096, 8192, 16384, 32768], 2048);
const recompute = choice("activation recompute", ["none", "selective", "full"], "none");
const gpt7 = dist.MODEL_PRESETS["megatron-7.5b"];
const activations = (s: number, r: "none" | "selective" | "full") => {
  const model = dist.resolveModel({ ...gpt7, seq: s });
  return model.layers * dist.layerActivationBytes(model, 1, 1, false, r);
};
const act = activations(seq, recompute);
console.log(
  `7.5 B model (36 layers, h = 4096), one sequence of ${seq} tokens, recompute ${recompute}: activations ${(act / GB).toFixed(1)} GB + ZeRO-${pick} model state ${(parts.total / GB).toFixed(1)} GB = ${((act + parts.total) / GB).toFixed(1)} GB ${act + parts.total <= capacity ? "✓ fits" : "✗ does not fit"}`,
);
for (let k = 10; k <= 15; k++)
  for (const r of ["none", "selective", "full"] as const)
    plot("activation GB per sequence (7.5 B) vs log2(sequence length)", k, activations(2 ** k, r) / GB, { series: r });

// 1c. The compute wall: training FLOPs ≈ 6·N·T, and how long Nd A100s take at 45 % of their peak.
const peak = dist.DEVICE_PRESETS.A100.peakFlops.bfloat16!;
for (const psi of [7.5e9, 175e9]) {
  const flops = 6 * psi * 300e9;
  const days = flops / (nd * peak * 0.45) / 86400;
  console.log(`compute wall: ${psi / 1e9} B params × 300 B tokens × 6 = ${flops.toExponential(2)} FLOPs = ${days.toFixed(0)} days on ${nd} A100s at 45 % MFU`);
}

// 1d. The tuning wall: the ways to cut one model over Nd GPUs, each a different speed, most of
// them wrong (out of memory or not dividing); a search prices them in closed form, not in GPU-days.
if (nd >= 8) {
  const s = dist.searchPlans("megatron-7.5b", dist.dgxA100(nd / 8), { globalBatch: 512, microbatch: [1, 2], limit: Infinity });
  const best = s.ranked[0];
  const worst = s.ranked[s.ranked.length - 1];
  console.log(
    `tuning wall: ${s.counts.considered} parallel plans for the 7.5 B model on ${nd} A100s, ${s.counts.fits} fit; the fastest ${best.result.time.step.toFixed(2)} s per step, the slowest ${worst.result.time.step.toFixed(2)} s (×${worst.slowdown.toFixed(1)})`,
  );
}

// 2. The real thing on 4 simulated GPUs: a small MLP trained with each stage (0 = plain data parallelism), next to plain Adam.
const make = () => nn.sequential(nn.linear(64, 256, { seed: 1 }), nn.relu(), nn.linear(256, 64, { seed: 2 }));
for (const stage of [0, 1, 2, 3] as const) {
  const c = dist.cluster({ devicesPerNode: 4 }); // a fresh cluster: memory accounting starts at zero
  // Made after the cluster, so on its host (CPU) backend; seeded, so every stage sees the same batch.
  const x = randn([16, 64], { seed: 3 }),
    y = randn([16, 64], { seed: 4 });
  const z = new dist.ZeRO(make, c.devices, { stage, lr: 1e-3 });
  const single = make();
  const adam = optim.adam(single.parameters(), { lr: 1e-3 });
  let loss = 0,
    sent = 0;
  // Bytes each step's collectives send (the last step's count is kept).
  const off = onEvent((e) => {
    if (e.type === "comm" && e.phase === "collective") for (const b of e.transfers.bytes) sent += b;
  });
  for (let i = 0; i < steps(10); i++) {
    sent = 0;
    loss = z.step(x, y, (o, t) => nn.mse(o, t)).loss;
    adam.zeroGrad();
    nn.mse(single.forward(x), y).backward();
    adam.step();
  }
  const ref = single.parameters().flatMap((p) => Array.from(p.dataSync()));
  const diff = Array.from(z.flatParameters()).reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i])), 0);
  off();
  const m = c.devices[0].memory;
  // In units of Ψ fp32 values: a ring reduce-scatter or all-gather of Ψ values sends (Nd − 1)·Ψ in all, an all-reduce twice that.
  const nd = c.devices.length;
  const inPsi = sent / 4 / ((nd - 1) * z.numParameters);
  console.log(`ZeRO-${stage} d0: parameters ${m.parameters} B · gradients ${m.gradients} B · optimizer ${m.optimizer} B`);
  console.log(`  one step sends ${(sent / 1024).toFixed(1)} KiB in all = ${inPsi.toFixed(2)} × (Nd − 1)·Ψ fp32 values (data parallelism's all-reduce: 2)`);
  console.log(`  loss ${loss.toFixed(4)} after ${steps(10)} steps; parameters differ from single-device Adam by at most ${diff.toExponential(1)}`);
}
