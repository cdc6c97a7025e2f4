// title: Pipeline bubbles: GPipe vs 1F1B
// part: Parallelism
// lesson: Distributed parallelism — pipeline parallel: where the bubble comes from, and what 1F1B saves
// look at: the Cluster panel's timeline (switch between the two runs), the bubble figure and the activation memory
import { dist, nn, optim, randn } from "webgrad";

// A deliberately slow device (1 GFLOP/s) so compute, not the 2 µs link latency, fills the timeline.
const slowGpu = { name: "slow GPU", peakFlops: { float32: 1e9 }, memoryBandwidth: 20e9, memoryCapacity: 2 ** 30 };
const c = dist.cluster({ devicesPerNode: 4, device: slowGpu });
const x = randn([32, 128], { seed: 1 }), y = randn([32, 128], { seed: 2 });

// The same four-stage model, one stage per device, 8 microbatches per step.
for (const schedule of ["gpipe", "1f1b"] as const) {
  const stages = Array.from({ length: 4 }, (_, s) => nn.sequential(nn.linear(128, 128, { seed: 10 + s }), nn.tanh()));
  const pipe = new dist.Pipeline(stages, c.devices, { schedule, microbatches: 8, optimizer: (ps) => optim.sgd(ps, { lr: 0.05 }) });
  const r = pipe.step(x, y, (o, t) => nn.mse(o, t));
  // Bubble = (p − 1) / (m + p − 1) for equal stages: 3/11 ≈ 27 % for both schedules;
  // 1F1B keeps at most p microbatches' activations in flight instead of all m.
  console.log(`${schedule}: bubble ${(r.bubble * 100).toFixed(1)} % · step ${(r.time * 1e3).toFixed(2)} ms · activations per device ${r.activationBytes.join(", ")} B`);
}
