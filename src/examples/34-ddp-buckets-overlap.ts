import { choice, dist, nn, optim, plot, randn, steps, type Tensor } from "webgrad";

// A slow simulated GPU (10 GFLOP/s) and a slow link (α = 10 µs, 2 GB/s), so that compute and
// communication are of one size for this small model: 6 layers of 64 × 64.
const gpu = { name: "slow GPU", peakFlops: { float32: 1e10 }, memoryBandwidth: 50e9, memoryCapacity: 2 ** 30 };
const link = { name: "slow link", bandwidth: 2e9, latency: 10e-6 };
// The simulated cluster computes on the host: creating it first makes the CPU the default backend
// for the tensors below (the sweep builds one fresh cluster per bucket size; this one trains at the end).
const c = dist.cluster({ devicesPerNode: 4, device: gpu, intra: link });
const make = () => nn.sequential(...Array.from({ length: 6 }, (_, i) => [nn.linear(64, 64, { seed: i + 1 }), nn.tanh()]).flat());
const x = randn([128, 64], { seed: 5 }),
  y = randn([128, 64], { seed: 6 });
const loss = (o: Tensor, t: Tensor) => nn.mse(o, t);
const sgd = (ps: Tensor[]) => optim.sgd(ps, { lr: 0.05 });

const bytes = make()
  .parameters()
  .reduce((s, p) => s + p.nbytes, 0);
console.log(`model: ${(bytes / 1024).toFixed(1)} KiB of float32 gradients per step, 4 GPUs`);
let best = { bucket: 0, time: Infinity };
for (const k of [8, 12, 13, 14, 15, 17]) {
  const sweep = dist.cluster({ devicesPerNode: 4, device: gpu, intra: link });
  const ddp = new dist.DataParallel(make, sweep.devices, { optimizer: sgd, bucketBytes: 2 ** k });
  const r = ddp.step(x, y, loss);
  plot("DDP step (µs) vs log2(bucket bytes)", k, r.time * 1e6, { series: "step" });
  plot("DDP step (µs) vs log2(bucket bytes)", k, r.exposedComm * 1e6, { series: "exposed communication" });
  console.log(
    `bucket ${String(2 ** k / 1024).padStart(5)} KiB: ${String(r.buckets.length).padStart(2)} buckets, step ${(r.time * 1e6).toFixed(0)} µs, exposed communication ${(r.exposedComm * 1e6).toFixed(0)} µs`,
  );
  if (r.time < best.time) best = { bucket: 2 ** k, time: r.time };
}
console.log(`best bucket: ${best.bucket / 1024} KiB`);

// Train with the bucket size of the "bucket size" knob above the editor (32 KiB, the sweep's best,
// unless you pick another; the Cluster panel's timeline shows where its all-reduces fall), next to
// the same model on one device: they stay equal whatever the bucket size.
const bucketKiB = choice("bucket size (KiB)", [0.25, 4, 8, 16, 32, 128], 32);
const ddp = new dist.DataParallel(make, c.devices, { optimizer: sgd, bucketBytes: bucketKiB * 1024 });
const single = make();
const opt = sgd(single.parameters());
for (let i = 0; i < steps(20); i++) {
  const r = ddp.step(x, y, loss);
  opt.zeroGrad();
  const l = loss(single.forward(x), y);
  l.backward();
  opt.step();
  if (i === 0)
    console.log(`training with ${bucketKiB} KiB buckets: step ${(r.time * 1e6).toFixed(0)} µs, exposed communication ${(r.exposedComm * 1e6).toFixed(0)} µs`);
  plot("training loss", i, r.loss, { series: "DDP, 4 GPUs" });
  plot("training loss", i, l.itemSync(), { series: "one device" });
}
const diff = Math.max(...ddp.replicas[3].parameters().map((p, i) => p.sub(single.parameters()[i]).abs().max().itemSync()));
console.log(`after ${steps(20)} steps the replicas and the single-device model differ by at most ${diff.toExponential(1)}`);
