import { dist, nn, optim, plot, randn, steps, type Tensor } from "webgrad";

const c = dist.cluster({ devicesPerNode: 4 });
const mesh = dist.deviceMesh(c.devices, { x: 2, y: 2 }); // x: data axis, y: model axis
console.log(
  `mesh x=2 × y=2: x groups ${mesh
    .groups("x")
    .map((g) => g.map((d) => d.name).join("+"))
    .join(", ")} · y groups ${mesh
    .groups("y")
    .map((g) => g.map((d) => d.name).join("+"))
    .join(", ")}`,
);

// Redistributions of one [8, 6] tensor, and what the library infers for each.
const A = dist.shard(randn([8, 6], { seed: 1 }), mesh, ["x", null]);
const show = (s: { steps: dist.RedistributionStep[] }) =>
  s.steps.length
    ? s.steps.map((q) => `${q.op} along ${q.axis} (${Array.isArray(q.dim) ? `dim ${q.dim[0]} → ${q.dim[1]}` : `dim ${q.dim}`})`).join(", then ")
    : "nothing";
for (const target of [
  [null, null],
  [null, "x"],
  ["x", "y"],
  ["y", null],
] as dist.ShardingSpec[]) {
  const r = dist.redistribute(A, target);
  console.log(`${A.layout} → ${r.tensor.layout}: ${show(r)}`);
}

// A matmul whose contraction dim is split leaves partial sums; the output spec decides the collective.
const X = dist.shard(randn([8, 6], { seed: 2 }), mesh, ["x", "y"]);
const W = dist.shard(randn([6, 4], { seed: 3 }), mesh, ["y", null]);
for (const out of [
  ["x", null],
  ["x", "y"],
] as dist.ShardingSpec[]) {
  const y = dist.shardedMatmul(X, W, { out });
  const err = y.tensor.full().sub(X.full().matmul(W.full())).abs().max().itemSync();
  console.log(`X ${X.layout} · W ${W.layout} → ${y.tensor.layout}: ${show(y)}; max error vs one device ${err.toExponential(1)}`);
}

// Training an MLP with sharded weights: batch on x (data parallel), W1 by columns and W2 by rows on y (Megatron).
const W1 = randn([6, 16], { seed: 4 }).mul(0.3).requiresGrad_(),
  W2 = randn([16, 6], { seed: 5 }).mul(0.3).requiresGrad_();
const R1 = W1.detach().clone().requiresGrad_(),
  R2 = W2.detach().clone().requiresGrad_();
const opt = optim.sgd([W1, W2], { lr: 0.1 }),
  ref = optim.sgd([R1, R2], { lr: 0.1 });
const x = randn([8, 6], { seed: 6 }),
  target = randn([8, 6], { seed: 7 });
for (let i = 0; i < steps(20); i++) {
  const h = dist.shardedMatmul(dist.shard(x, mesh, ["x", null]), dist.shard(W1, mesh, [null, "y"])); // column split: no communication
  const H = new dist.ShardedTensor(
    mesh,
    h.tensor.spec,
    h.tensor.partial,
    h.tensor.shape,
    h.tensor.locals.map((t: Tensor) => t.tanh()),
  );
  const o = dist.shardedMatmul(H, dist.shard(W2, mesh, ["y", null]), { out: ["x", null] }); // row split: partial sums → allReduce
  if (i === 0) console.log(`layer 1 ${h.tensor.layout}: ${show(h)} · layer 2 ${o.tensor.layout}: ${show(o)}`);
  // The loss over the batch shards (one device per x coordinate).
  const Y = dist.shard(target, mesh, ["x", null]);
  const loss = nn.mse(o.tensor.locals[0], Y.locals[0]).add(nn.mse(o.tensor.locals[2], Y.locals[2])).div(2);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  ref.zeroGrad();
  const rl = nn.mse(x.matmul(R1).tanh().matmul(R2), target);
  rl.backward();
  ref.step();
  plot("loss", i, loss.itemSync(), { series: "sharded on a 2×2 mesh" });
  plot("loss", i, rl.itemSync(), { series: "one device" });
}
const diff = Math.max(W1.sub(R1).abs().max().itemSync(), W2.sub(R2).abs().max().itemSync());
console.log(`after ${steps(20)} steps the sharded and single-device weights differ by at most ${diff.toExponential(1)}`);
