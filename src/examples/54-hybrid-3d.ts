import { dist, nn, optim, plot, randn, steps, type Tensor } from "webgrad";

const c = dist.cluster({ nodes: 2, devicesPerNode: 4, intra: "NVLink", inter: "InfiniBand" });

// Four residual MLP blocks: stage 0 holds blocks 0–1, stage 1 blocks 2–3; each block tensor-parallel.
const E = 16;
const layers = () =>
  Array.from({ length: 4 }, (_, i) => ({ ln: nn.layerNorm(E), fc1: nn.linear(E, 4 * E, { seed: 40 + i }), fc2: nn.linear(4 * E, E, { seed: 50 + i }) }));
const blocks = (tp: number) =>
  layers().map((l) => ({ ln: dist.replicatedLayerNorm(l.ln), inner: dist.ParallelMLP.fromLinears(l.fc1, l.fc2, tp), residual: true }));
const hybrid = new dist.Hybrid3D(blocks, c.devices, { dp: 2, pp: 2, tp: 2, microbatches: 4, optimizer: (ps) => optim.sgd(ps, { lr: 0.05 }) });
// The groups of the mesh the training runs on (Megatron-LM's rank order: tp fastest, then dp, then pp).
const linkOf = (g: dist.SimDevice[]) => (g.every((d) => d.node === g[0].node) ? "inside a node, NVLink" : "across nodes, InfiniBand");
for (const axis of ["tp", "dp", "pp"])
  console.log(
    `${axis} groups: ${hybrid.mesh
      .groups(axis)
      .map((g) => g.map((d) => d.name).join("+"))
      .join("  ")}  (${linkOf(hybrid.mesh.groups(axis)[0])})`,
  );

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
const ref = nn.sequential(...layers().map((l) => new Residual(l.ln, nn.sequential(l.fc1, nn.gelu(), l.fc2))));
const opt = optim.sgd(ref.parameters(), { lr: 0.05 });

const x = randn([16, E], { seed: 1 }),
  y = randn([16, E], { seed: 2 });
const mse = (o: Tensor, t: Tensor) => nn.mse(o, t);
let r: dist.Hybrid3DStep | undefined;
for (let i = 0; i < steps(10); i++) {
  r = hybrid.step(x, y, mse);
  opt.zeroGrad();
  const l = mse(ref.forward(x), y);
  l.backward();
  opt.step();
  plot("loss", i, r.loss, { series: "dp2 × pp2 × tp2" });
  plot("loss", i, l.itemSync(), { series: "one device" });
}
console.log(`pipeline bubble ${(r!.bubble * 100).toFixed(1)} % with 4 microbatches · step ${(r!.time * 1e6).toFixed(1)} µs`);
const diff = Math.max(...hybrid.replicas.map((rep) => rep.forward(x).sub(ref.forward(x)).abs().max().itemSync()));
console.log(`after ${steps(10)} steps both data-parallel replicas match single-device training to ${diff.toExponential(1)}`);
