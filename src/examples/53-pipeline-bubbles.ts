import { dist, nn, optim, randn, slider, steps, type Tensor } from "webgrad";

// A deliberately slow device (1 GFLOP/s) so compute, not the 2 µs link latency, fills the timeline.
const slowGpu = { name: "slow GPU", peakFlops: { float32: 1e9 }, memoryBandwidth: 20e9, memoryCapacity: 2 ** 30 };
const c = dist.cluster({ devicesPerNode: 4, device: slowGpu });
// Drag the "microbatches" knob: more microbatches shrink the bubble, but GPipe then holds more
// activations per device (1F1B stays at p). Interleaving needs m to be a multiple of p = 4.
const m = slider("microbatches", 4, 32, 8, { step: 4 });
// Microbatches of 2 rows each, so the batch grows with m.
const x = randn([2 * m, 64], { seed: 1 }),
  y = randn([2 * m, 64], { seed: 2 });
const mse = (o: Tensor, t: Tensor) => nn.mse(o, t);
// Eight layers: 4 stages of 2 layers (GPipe, 1F1B), or 8 chunks of 1, two per device (interleaved).
const layers = () => Array.from({ length: 8 }, (_, s) => nn.sequential(nn.linear(64, 64, { seed: 10 + s }), nn.tanh()));

for (const schedule of ["gpipe", "1f1b", "interleaved"] as const) {
  c.resetMemory(); // each schedule's memory bars show its own pipeline only
  const ls = layers();
  const stages: nn.Module[] = schedule === "interleaved" ? ls : [0, 1, 2, 3].map((s) => nn.sequential(ls[2 * s], ls[2 * s + 1]));
  const pipe = new dist.Pipeline(stages, c.devices, { schedule, microbatches: m, chunks: 2, optimizer: (ps) => optim.sgd(ps, { lr: 0.05 }) });
  const ref = nn.sequential(...layers());
  const opt = optim.sgd(ref.parameters(), { lr: 0.05 });
  let r = pipe.step(x, y, mse);
  for (let i = 0; i < steps(2); i++) {
    opt.zeroGrad();
    mse(ref.forward(x), y).backward();
    opt.step();
    if (i > 0) r = pipe.step(x, y, mse);
  }
  // Bubble = (p − 1) / (m + p − 1) for equal stages (3/11 ≈ 27 % for GPipe and 1F1B at m = 8);
  // 1F1B keeps at most p microbatches' activations in flight instead of all m.
  console.log(
    `${schedule}, ${m} microbatches: bubble ${(r.bubble * 100).toFixed(1)} % · step ${(r.time * 1e3).toFixed(2)} ms · activations per device ${r.activationBytes.join(", ")} B`,
  );
  const diff = ref
    .forward(x)
    .sub(nn.sequential(...ls).forward(x))
    .abs()
    .max()
    .itemSync();
  console.log(`  after ${steps(2)} steps the pipeline's model differs from single-device training by at most ${diff.toExponential(1)}`);
}
