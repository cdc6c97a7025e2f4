import { dist, nn, noGrad, onEvent, optim, plot, randn, tensor, type Tensor } from "webgrad";

const E = 32,
  BLOCKS = 4;
const gpu = { name: "slow GPU", peakFlops: { float32: 1e10 }, memoryBandwidth: 100e9, memoryCapacity: 2 ** 30 };
// The simulated cluster computes on the host: building one first makes the CPU the default backend
// for the model and batch below (each strategy then gets a fresh cluster of its own).
dist.cluster({ devicesPerNode: 4, device: gpu, intra: "NVLink" });
const layers = () =>
  Array.from({ length: BLOCKS }, (_, i) => ({ ln: nn.layerNorm(E), fc1: nn.linear(E, 4 * E, { seed: 40 + i }), fc2: nn.linear(4 * E, E, { seed: 50 + i }) }));
class Residual extends nn.Module {
  constructor(
    public ln: nn.LayerNorm,
    public inner: nn.Module,
  ) {
    super();
  }
  forward(h: Tensor): Tensor {
    return h.add(this.inner.forward(this.ln.forward(h)));
  }
}
const model = () => nn.sequential(...layers().map((l) => new Residual(l.ln, nn.sequential(l.fc1, nn.gelu(), l.fc2))));
const tpBlocks = (tp: number) =>
  layers().map((l) => ({ ln: dist.replicatedLayerNorm(l.ln), inner: dist.ParallelMLP.fromLinears(l.fc1, l.fc2, tp), residual: true }));
const x = randn([32, E], { seed: 1 }),
  y = randn([32, E], { seed: 2 });
const mse = (o: Tensor, t: Tensor) => nn.mse(o, t);
const adam = (ps: Tensor[]) => optim.adam(ps, { lr: 1e-3 });
const psi = model().numParameters();
/** A module with its parameters replaced by the values of one flat array (in parameters() order). */
function withParameters<M extends nn.Module>(m: M, flat: Float32Array): M {
  let at = 0;
  noGrad(() => {
    for (const p of m.parameters()) {
      p.copy_(tensor(flat.slice(at, at + p.size), { shape: [...p.shape] }));
      at += p.size;
    }
  });
  return m;
}

// The single-device reference: one Adam step, its loss and the updated model.
const ref = model();
const refOpt = adam(ref.parameters());
const refLoss = mse(ref.forward(x), y);
refLoss.backward();
refOpt.step();
const refOut = ref.forward(x);

interface Row {
  name: string;
  time: number;
  state: number;
  activations: number;
  bytes: number;
  loss: number;
  out: () => Tensor;
}
const rows: Row[] = [];
/**
 * Run one strategy's step on a fresh 4-GPU cluster. Memory comes from the strategy itself: the
 * model state it accounted on each device, and the activations its step reports; the bytes moved
 * are summed over every collective it runs.
 */
function measure(name: string, step: (devices: dist.SimDevice[]) => { time: number; loss: number; activationBytes: number[]; out: () => Tensor }): void {
  const c = dist.cluster({ devicesPerNode: 4, device: gpu, intra: "NVLink" });
  let bytes = 0;
  const off = onEvent((e) => {
    if (e.type === "comm" && e.phase === "collective") for (const b of e.transfers.bytes) bytes += b;
  });
  try {
    const r = step(c.devices);
    const state = Math.max(...c.devices.map((d) => d.memory.parameters + d.memory.gradients + d.memory.optimizer));
    rows.push({ name, time: r.time, state, activations: Math.max(...r.activationBytes), bytes, loss: r.loss, out: r.out });
  } finally {
    off();
  }
}

measure("data parallel", (ds) => {
  const s = new dist.DataParallel(model, ds, { optimizer: adam, bucketBytes: 4096 });
  return { ...s.step(x, y, mse), out: () => s.replicas[0].forward(x) };
});
for (const stage of [1, 2, 3] as const) {
  measure(`ZeRO-${stage}`, (ds) => {
    const s = new dist.ZeRO(model, ds, { stage, lr: 1e-3 });
    // Each device keeps only its partition of the parameters: assemble them into a fresh model to check.
    return { ...s.step(x, y, mse), out: () => withParameters(model(), s.flatParameters()).forward(x) };
  });
}
measure("tensor parallel ×4", (ds) => {
  const s = new dist.TensorParallel(tpBlocks(4), ds, { optimizer: adam });
  return { ...s.step(x, y, mse), out: () => s.forward(x) };
});
measure("pipeline ×4 (1F1B)", (ds) => {
  const all = model();
  const s = new dist.Pipeline(
    all.children().map((m) => m as nn.Module),
    ds,
    { schedule: "1f1b", microbatches: 8, optimizer: adam },
  );
  return { ...s.step(x, y, mse), out: () => all.forward(x) };
});
measure("pipeline ×2 × tensor ×2", (ds) => {
  const s = new dist.Hybrid3D(tpBlocks, ds, { dp: 1, pp: 2, tp: 2, microbatches: 4, optimizer: adam });
  return { ...s.step(x, y, mse), out: () => s.replicas[0].forward(x) };
});

console.log(`one Adam step of a ${psi}-parameter model on 4 GPUs (one device: loss ${refLoss.itemSync().toFixed(5)})`);
console.log(`16 bytes per parameter: ${((16 * psi) / 1024).toFixed(1)} KiB of model state on one device`);
console.log("strategy                   step µs   state/device KiB   activations KiB   sent KiB   max diff vs one device");
rows.forEach((r, i) => {
  const diff = r.out().sub(refOut).abs().max().itemSync();
  console.log(
    `${r.name.padEnd(25)} ${(r.time * 1e6).toFixed(1).padStart(8)}   ${(r.state / 1024).toFixed(1).padStart(16)}   ${(r.activations / 1024).toFixed(1).padStart(15)}   ${(r.bytes / 1024).toFixed(1).padStart(8)}   ${diff.toExponential(0)}`,
  );
  // Bar-like: a short flat segment per strategy at x = its index.
  for (const dx of [-0.3, 0.3]) {
    plot("step (µs) per strategy", i + dx, r.time * 1e6, { series: r.name });
    plot("memory of the fullest device (KiB) per strategy", i + dx, (r.state + r.activations) / 1024, { series: r.name });
    plot("bytes sent per step (KiB) per strategy", i + dx, r.bytes / 1024, { series: r.name });
  }
});
console.log(`losses: ${rows.map((r) => r.loss.toFixed(5)).join(", ")} (one device ${refLoss.itemSync().toFixed(5)})`);
