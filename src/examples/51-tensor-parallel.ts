import { choice, dist, nn, optim, plot, randn, steps, type Tensor } from "webgrad";

const c = dist.cluster({ devicesPerNode: 4, intra: "NVLink" });
const p = c.devices.length;
const [B, T, E] = [2, 8, 16];

// One Transformer layer (pre-norm): attention block and MLP block, each with a residual.
const attn = nn.multiHeadAttention(E, 4, { seed: 1, causal: true });
const fc1 = nn.linear(E, 4 * E, { seed: 2 }),
  fc2 = nn.linear(4 * E, E, { seed: 3 });
const ln1 = nn.layerNorm(E),
  ln2 = nn.layerNorm(E);

// The tensor-parallel copy: the same weights, cut across the 4 devices.
const pAttn = dist.ParallelAttention.fromAttention(attn, p);
const pMLP = dist.ParallelMLP.fromLinears(fc1, fc2, p);
console.log(`fc1 ${fc1.weight.shape.join("×")} → column shards ${pMLP.fc1.weights.map((w) => w.shape.join("×")).join(", ")} (one per device)`);
console.log(`fc2 ${fc2.weight.shape.join("×")} → row shards ${pMLP.fc2.weights.map((w) => w.shape.join("×")).join(", ")}`);
console.log(
  `attention: ${attn.numHeads} heads → ${pAttn.headsPerDevice} per device; q/k/v shards ${pAttn.q.weights[0].shape.join("×")}, out shards ${pAttn.out.weights[0].shape.join("×")}`,
);
const tp = new dist.TensorParallel(
  [
    { ln: dist.replicatedLayerNorm(ln1), inner: pAttn, residual: true },
    { ln: dist.replicatedLayerNorm(ln2), inner: pMLP, residual: true },
  ],
  c.devices,
  { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) },
);

// The single-device reference: the same layer, unsplit.
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
const ref = nn.sequential(new Residual(ln1, attn), new Residual(ln2, nn.sequential(fc1, nn.gelu(), fc2)));
const opt = optim.sgd(ref.parameters(), { lr: 0.1 });

const x = randn([B, T, E], { seed: 4 }),
  y = randn([B, T, E], { seed: 5 });
const mse = (o: Tensor, t: Tensor) => nn.mse(o, t);
let last: dist.TensorParallelStep | undefined;
for (let i = 0; i < steps(20); i++) {
  last = tp.step(x, y, mse);
  opt.zeroGrad();
  const l = mse(ref.forward(x), y);
  l.backward();
  opt.step();
  plot("loss", i, last.loss, { series: "tensor parallel, 4 GPUs" });
  plot("loss", i, l.itemSync(), { series: "one device" });
}
console.log("allReduces in one step (block 0 = attention, 1 = MLP):");
for (const a of last!.allReduces) console.log(`  block ${a.block}: ${a.where}, ${a.bytes} bytes (B·T·d activations)`);
const diff = tp.forward(x).sub(ref.forward(x)).abs().max().itemSync();
console.log(`after ${steps(20)} steps the outputs differ from single-device training by at most ${diff.toExponential(1)}`);
// Memory in the accounting every strategy shares (mixed precision: 2 bytes per fp16 weight).
console.log(
  `fp16 weights per device: ${c.devices[0].memory.parameters} B; the whole layer: ${dist.modelState(ref.numParameters(), tp.memory).parameters} B (norms and row-parallel biases are replicated on every device)`,
);

// Sequence parallelism (Korthikanti et al. 2022) beside Megatron TP: the MLP's partial sums are
// reduce-scattered along the tokens instead of all-reduced, the LayerNorm runs on each device's
// quarter of the tokens, and an allGather rebuilds the full sequence for the next column-parallel matmul.
const h = tp.forward(x).reshape([B * T, E]); // the block's input, B·T tokens (the trained layer's output)
const partials = c.devices.map((d, r) => dist.place(pMLP.partial(r, h).add(r === 0 ? pMLP.bias! : 0), d)); // one partial sum per device
const ln = nn.layerNorm(E);
// Megatron TP: allReduce, then every device normalizes all B·T tokens (the same work, the same memory, 4 times).
const ar = dist.allReduce(partials, { algorithm: "ring" });
const tpOut = ln.forward(ar.outputs[0].tensor);
// Sequence parallel: reduceScatter along the tokens, LayerNorm on B·T/p tokens per device, allGather.
const rs = dist.reduceScatter(partials, { algorithm: "ring" });
const normed = rs.outputs.map((o, r) => dist.place(ln.forward(o.tensor), c.devices[r]));
const ag = dist.allGather(normed, { algorithm: "ring" });
const spDiff = ag.outputs[0].tensor.sub(tpOut).abs().max().itemSync();
// Bytes that cross links, summed over every transfer of the collective's schedule.
const sent = (r: { timeline: { columns: { bytes: ArrayLike<number> } } }) => Array.from(r.timeline.columns.bytes).reduce((a, v) => a + v, 0);
console.log(
  `sequence parallel: reduceScatter sends ${sent(rs)} B + allGather ${sent(ag)} B = ${sent(rs) + sent(ag)} B, allReduce ${sent(ar)} B; LayerNorm input per device ${rs.outputs[0].tensor.shape.join("×")} instead of ${ar.outputs[0].tensor.shape.join("×")}; outputs differ by ${spDiff.toExponential(1)}`,
);
// The whole layer with sequence parallelism, on a second cluster: norms and residuals run on T/p positions per
// device, an allGather before each parallel part and a reduceScatter after it replace the allReduces.
const spTP = new dist.TensorParallel(
  [
    { ln: dist.replicatedLayerNorm(ln1), inner: dist.ParallelAttention.fromAttention(attn, p), residual: true },
    { ln: dist.replicatedLayerNorm(ln2), inner: dist.ParallelMLP.fromLinears(fc1, fc2, p), residual: true },
  ],
  dist.cluster({ devicesPerNode: 4, intra: "NVLink" }).devices,
  { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), sequenceParallel: true },
);
const tpStep = tp.step(x, y, mse, { update: false }),
  spStep = spTP.step(x, y, mse, { update: false });
console.log(
  `one step on the same weights: loss ${tpStep.loss.toFixed(6)} (TP) = ${spStep.loss.toFixed(6)} (TP + SP); kept for backward per device ${tpStep.activationBytes[0]} B → ${spStep.activationBytes[0]} B`,
);
console.log(`collectives per step: TP ${tpStep.collectives.map((c) => c.kind).join(", ")}`);
console.log(`TP + SP: ${spStep.collectives.map((c) => c.kind).join(", ")} (backward gathers each block's input again: its slice was kept)`);
// At scale: activation memory of one GPT-3 layer (one 2048-token sequence) on t tensor-parallel GPUs, with and without SP.
const t = choice("tensor-parallel size t", [1, 2, 4, 8, 16], 8);
const gpt3 = dist.resolveModel(dist.MODEL_PRESETS["gpt3-175b"]);
const GB = 1e9;
for (const sp of [false, true]) {
  const bytes = dist.layerActivationBytes(gpt3, 1, t, sp, "selective");
  console.log(
    `GPT-3 layer, t = ${t}, selective recompute, ${sp ? "with" : "without"} SP: ${(bytes / GB).toFixed(3)} GB (${((96 * bytes) / GB).toFixed(1)} GB for 96 layers)`,
  );
}
for (const tt of [1, 2, 4, 8, 16])
  for (const sp of [false, true])
    plot("GPT-3 layer activations (GB) vs TP size t", tt, dist.layerActivationBytes(gpt3, 1, tt, sp, "selective") / GB, { series: sp ? "TP + SP" : "TP only" });
