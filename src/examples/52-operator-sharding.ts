import { choice, dist, nn, optim, plot, randn, steps, type Tensor } from "webgrad";

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

// Automatic strategy search (MindSpore's auto-parallel): a cost model picks each matmul's sharding.
// An MLP of width 4096 (4·4096 inside) on 4 A100s joined by NVLink; the batch arrives split by rows
// and the loss is taken per row block. The knob sets the tokens of one step.
const tokens = choice("tokens per step", [1024, 4096, 16384, 65536, 262144], 4096);
const mlpOps = (n: number): dist.MatmulOp[] => [
  { name: "fc1", rows: n, inner: 4096, cols: 16384 },
  { name: "fc2", rows: n, inner: 16384, cols: 4096 },
];
const a100: dist.ShardingCostModel = {
  devices: 4,
  peakFlops: dist.DEVICE_PRESETS.A100.peakFlops.bfloat16!,
  bandwidth: dist.LINK_PRESETS.NVLink.bandwidth,
  latency: dist.LINK_PRESETS.NVLink.latency,
};
const ms = (s: number) => `${(s * 1e3).toFixed(3)} ms`;
const moved = (rs: dist.Redistribution[]) =>
  rs
    .map((r) => r.collective)
    .filter((c) => c !== "none" && c !== "slice")
    .join(" + ") || "nothing";
const moves = (p: dist.ShardingPlan) =>
  `forward ${moved([...p.steps.map((q) => q.forward), p.final.forward])}; backward ${moved([...p.steps.map((q) => q.backward), p.final.backward])}${p.steps.some((q) => q.weightSync > 0) ? " + weight-gradient allReduce" : ""}`;
// Every candidate, cheapest first (16 for two ops: brute force, what the search must match).
const candidates = dist.enumerateShardings(mlpOps(tokens), a100);
console.log(`\n${tokens} tokens: ${candidates.length} candidate layouts, cheapest first (compute + communication):`);
for (const p of candidates)
  console.log(`  fc1 ${p.shardings[0].padEnd(10)} → fc2 ${p.shardings[1].padEnd(10)} ${ms(p.compute)} + ${ms(p.communication)} = ${ms(p.cost)}  (${moves(p)})`);
// The search: the cheapest chain ending in each sharding, op by op (dynamic programming).
const search = dist.searchShardings(mlpOps(tokens), a100);
for (const row of search.table) console.log(`  best chain up to ${row.op}: ${dist.OP_SHARDINGS.map((s) => `${s} ${ms(row.cost[s])}`).join(" · ")}`);
console.log(
  `chosen: fc1 ${search.best.shardings[0]} → fc2 ${search.best.shardings[1]}, ${ms(search.best.cost)} per step (${search.evaluated} prices; brute force grows as 4ⁿ chains for n ops)`,
);
// Where the choice flips: communication of the textbook layouts as the batch grows.
for (let k = 10; k <= 18; k++) {
  for (const s of [
    ["data", "data"],
    ["column", "row"],
  ] as dist.OpSharding[][])
    plot("communication ms vs log2(tokens)", k, dist.costShardings(mlpOps(2 ** k), s, a100).communication * 1e3, { series: s.join(" → ") });
  plot("communication ms vs log2(tokens)", k, dist.searchShardings(mlpOps(2 ** k), a100).best.communication * 1e3, { series: "searched" });
}
// Run the chosen layout on real tensors on a 1-D mesh of the 4 devices: each op's input is
// redistributed to what its sharding needs, the nonlinearity runs where the values are whole.
const line = dist.deviceMesh(c.devices, { d: 4 });
const [s1, s2] = search.best.shardings.map((s) => dist.shardingSpecs(s, "d"));
const X0 = randn([16, 8], { seed: 8 }),
  V1 = randn([8, 32], { seed: 9 }),
  V2 = randn([32, 8], { seed: 10 });
const in1 = dist.redistribute(dist.shard(X0, line, dist.layoutSpec("rows", "d")), s1.input);
const mid = dist.redistribute(dist.shardedMatmul(in1.tensor, dist.shard(V1, line, s1.weight)).tensor, s2.input);
const act = new dist.ShardedTensor(
  line,
  mid.tensor.spec,
  [],
  mid.tensor.shape,
  mid.tensor.locals.map((t: Tensor) => t.tanh()),
);
const out = dist.redistribute(dist.shardedMatmul(act, dist.shard(V2, line, s2.weight)).tensor, dist.layoutSpec("rows", "d"));
const err = out.tensor.full().sub(X0.matmul(V1).tanh().matmul(V2)).abs().max().itemSync();
console.log(`ran it: input → fc1 ${show(in1)}; fc1 → fc2 ${show(mid)}; fc2 → loss ${show(out)}; max error vs one device ${err.toExponential(1)}`);
