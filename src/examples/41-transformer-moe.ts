import { dist, jit, nn, optim, plot, randn, slider, steps, type Tensor } from "webgrad";

// 1. One real Transformer block: count its parameters, and its forward FLOPs from the traced graph.
const [B, T, d] = [2, 32, 64];
const block = nn.transformerBlock(d, 4, { seed: 1 });
const x = randn([B, T, d], { seed: 2 });
const work = dist.graphWork(jit((t: Tensor) => block.forward(t)).lower(x).graph);
const params = block.numParameters();
console.log(`block d=${d}: ${params} parameters (12d² = ${12 * d * d}, plus biases and norms)`);
console.log(`forward matmul FLOPs ${work.byOp.matmul} = 24·B·T·d² + 4·B·T²·d = ${24 * B * T * d * d + 4 * B * T * T * d}; all ops ${work.flops}`);
// Scaled up with the same formulas: a GPT-3-sized model (96 blocks, d = 12288, 2048 tokens).
const big = { d: 12288, layers: 96, T: 2048 };
const bigParams = 12 * big.d ** 2 * big.layers;
console.log(
  `GPT-3 size: ${(bigParams / 1e9).toFixed(0)} B parameters, ${((16 * bigParams) / 1e12).toFixed(1)} TB for mixed-precision Adam training, ${(((24 * big.d ** 2 + 4 * big.T * big.d) * big.layers) / 1e12).toFixed(2)} TFLOP per token forward`,
);

// 2. A mixture of 8 experts on 4 simulated GPUs (2 experts each), top-1 gate. The cluster comes
// first: it computes on the host, so it makes the CPU the default backend for what follows.
const c = dist.cluster({ devicesPerNode: 4 });
const E = 8,
  dm = 16,
  N = 64;
const makeMoE = () => ({
  gate: nn.linear(dm, E, { seed: 3 }),
  experts: Array.from({ length: E }, (_, e) => nn.sequential(nn.linear(dm, 32, { seed: 10 + e }), nn.relu(), nn.linear(32, dm, { seed: 30 + e }))),
});
const tokens = randn([N, dm], { seed: 4 }),
  target = randn([N, dm], { seed: 5 });
const mse = (o: Tensor, t: Tensor) => nn.mse(o, t);
const sgd = (ps: Tensor[]) => optim.sgd(ps, { lr: 0.1 });
const moeParams = (m: ReturnType<typeof makeMoE>) => [...m.gate.parameters(), ...m.experts.flatMap((e) => e.parameters())];
console.log(`\nMoE: ${E} experts, ${moeParams(makeMoE()).reduce((s, p) => s + p.size, 0)} parameters, each token uses the gate and one expert`);
for (const factor of [0.5, 0.75, 1, 1.25, 1.5, 2, 3]) {
  const m = makeMoE();
  const r = new dist.ExpertParallelMoE(m.gate, m.experts, c.devices, { capacityFactor: factor, optimizer: sgd }).step(tokens, target, mse);
  plot("dropped tokens (%) vs capacity factor", factor, (100 * r.dropped) / N);
  console.log(`capacity factor ${factor.toFixed(2)}: capacity ${r.capacity} tokens per expert per device, ${r.dropped} of ${N} tokens dropped`);
}

// 3. Training with factor 1.25 equals the same layer on one device with the same capacity rule.
const a = makeMoE(),
  b = makeMoE();
const moe = new dist.ExpertParallelMoE(a.gate, a.experts, c.devices, { capacityFactor: 1.25, optimizer: sgd });
const opt = sgd(moeParams(b));
for (let i = 0; i < steps(10); i++) {
  const r = moe.step(tokens, target, mse);
  opt.zeroGrad();
  const l = mse(dist.moeReference(tokens, b.gate, b.experts, { capacityFactor: 1.25, groups: 4 }).y, target);
  l.backward();
  opt.step();
  plot("MoE training loss", i, r.loss, { series: "expert parallel, 4 GPUs" });
  plot("MoE training loss", i, l.itemSync(), { series: "one device" });
}
const pa = moeParams(a),
  pb = moeParams(b);
const diff = Math.max(...pa.map((p, i) => p.sub(pb[i]).abs().max().itemSync()));
console.log(`after ${steps(10)} steps the expert-parallel and single-device parameters differ by at most ${diff.toExponential(1)}`);

// 4. The load-balancing loss (Switch Transformer): α·E·Σ fᵢ·Pᵢ, on tokens that share a common
// direction, so the untrained gate sends most of them to one expert.
const alpha = slider("load-balancing α", 0, 0.5, 0.1, { step: 0.05 });
const skewed = randn([N, dm], { seed: 6 }).add(1);
const loads = (g: nn.Linear) => dist.loadBalancingLoss(g.forward(skewed)).load.join(" ");
for (const a of [0, alpha]) {
  const m = makeMoE();
  const o = sgd(moeParams(m));
  if (a === 0) console.log(`\ntokens per expert before training: ${loads(m.gate)}`);
  for (let i = 0; i < steps(60); i++) {
    // With α = 1 the loss is the imbalance itself: 1 for an even gate, E when one expert takes every token.
    const lb = dist.loadBalancingLoss(m.gate.forward(skewed), { alpha: 1 });
    const task = mse(dist.moeReference(skewed, m.gate, m.experts, { capacityFactor: 2, groups: 1 }).y, target);
    o.zeroGrad();
    task.add(lb.loss.mul(a)).backward();
    o.step();
    plot("imbalance E·Σ fᵢ·Pᵢ vs step", i, lb.loss.itemSync(), { series: `α = ${a}` });
  }
  console.log(`after ${steps(60)} steps with α = ${a}: tokens per expert ${loads(m.gate)}`);
}
