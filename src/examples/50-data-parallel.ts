import { choice, dist, nn, optim, plot, randn, steps, tensor, type Tensor } from "webgrad";

const c = dist.cluster({ devicesPerNode: 4 });
const p = c.devices.length;
const make = () => nn.sequential(nn.linear(8, 32, { seed: 1 }), nn.tanh(), nn.linear(32, 1, { seed: 2 }));
// A regression task: y = sin(x₀) + x₁·x₂ on 64 samples.
const x = randn([64, 8], { seed: 3 });
const xv = x.tolistSync() as number[][];
const y = tensor(xv.map((r) => [Math.sin(r[0]) + r[1] * r[2]]));

const replicas = c.devices.map(() => make()); // the same seeds: identical copies
const opts = replicas.map((m) => optim.sgd(m.parameters(), { lr: 0.1 }));
const single = make();
const singleOpt = optim.sgd(single.parameters(), { lr: 0.1 });
const k = x.shape[0] / p;

for (let step = 0; step < steps(40); step++) {
  // 1. Each device: forward and backward on its slice of the batch.
  let loss = 0;
  const grads = replicas.map((m, r) => {
    opts[r].zeroGrad();
    const l = nn.mse(m.forward(x.narrow(0, r * k, k)), y.narrow(0, r * k, k));
    l.backward();
    loss += l.itemSync() / p;
    // The gradients as one flat tensor on that device.
    const flat = m.parameters().flatMap((q) => Array.from(q.grad!.dataSync()));
    return tensor(flat, { device: c.devices[r] });
  });
  // 2. allReduce: every device receives the sum of all gradients (real data, simulated clock).
  const sum = dist.allReduce(grads, { algorithm: "ring" });
  // 3. Average and step: every replica applies the same update.
  replicas.forEach((m, r) => {
    const g = sum.outputs[r].tensor.div(p);
    let at = 0;
    for (const q of m.parameters()) {
      q.grad = g.narrow(0, at, q.size).reshape([...q.shape]);
      at += q.size;
    }
    opts[r].step();
  });
  for (const t of [...grads, ...sum.outputs]) t.free();
  // The same model on one device, on the whole batch.
  singleOpt.zeroGrad();
  const l = nn.mse(single.forward(x), y);
  l.backward();
  singleOpt.step();
  plot("loss", step, loss, { series: "data parallel, 4 GPUs" });
  plot("loss", step, l.itemSync(), { series: "one device" });
  if (step % 10 === 0) console.log(`step ${step}: loss ${loss.toFixed(5)} (one device ${l.itemSync().toFixed(5)})`);
  if (step === 0) console.log(`each step's gradient allReduce: ${sum.bytes} bytes in ${(sum.time * 1e6).toFixed(1)} µs (${sum.algorithm})`);
}
const maxDiff = (a: Tensor[], b: Tensor[]) => Math.max(...a.map((q, i) => q.sub(b[i]).abs().max().itemSync()));
console.log(`replica 3 vs replica 0: ${maxDiff(replicas[3].parameters(), replicas[0].parameters())} (identical copies)`);
console.log(`replicas vs single-device training: max difference ${maxDiff(replicas[0].parameters(), single.parameters()).toExponential(1)}`);

// The same with the library's DataParallel (gradient buckets overlapping backward: see 34).
const ddp = new dist.DataParallel(make, c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), bucketBytes: 256 });
const r = ddp.step(x, y, (o, t) => nn.mse(o, t));
console.log(
  `dist.DataParallel: loss ${r.loss.toFixed(5)} at step 0, ${r.buckets.length} buckets, exposed communication ${(r.exposedComm * 1e6).toFixed(1)} µs`,
);

// Gradient accumulation: the same batch of 64 on ONE device as k microbatches, each loss divided by
// k and backpropagated, the gradients adding up in .grad, one optimizer step at the end.
const k2 = choice("accumulation steps (k)", [1, 2, 4, 8, 16], 4);
const whole = make(),
  acc = make();
const memory = { precision: "fp32", optimizerSlots: 0 } as const;
const bigLoss = nn.mse(whole.forward(x), y);
const bigActivations = dist.activationBytes([bigLoss], whole.parameters(), memory);
bigLoss.backward();
let microActivations = 0;
const b = x.shape[0] / k2;
for (let j = 0; j < k2; j++) {
  // Each microbatch's loss is a mean over b samples: divided by k, the sum is the mean over all 64.
  const l = nn.mse(acc.forward(x.narrow(0, j * b, b)), y.narrow(0, j * b, b)).div(k2);
  microActivations = Math.max(microActivations, dist.activationBytes([l], acc.parameters(), memory));
  l.backward(); // adds into each parameter's .grad
}
const gradDiff = Math.max(...whole.parameters().map((q, i) => q.grad!.sub(acc.parameters()[i].grad!).abs().max().itemSync()));
console.log(
  `accumulation over ${k2} microbatches of ${b}: gradients differ from the batch of 64 by at most ${gradDiff.toExponential(1)}; activations kept for backward ${microActivations} B instead of ${bigActivations} B`,
);
for (const kk of [1, 2, 4, 8, 16]) {
  const m = make();
  const l = nn.mse(m.forward(x.narrow(0, 0, 64 / kk)), y.narrow(0, 0, 64 / kk));
  plot("activation bytes kept vs accumulation steps k", kk, dist.activationBytes([l], m.parameters(), memory));
}
