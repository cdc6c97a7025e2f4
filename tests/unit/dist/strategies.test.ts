import { describe, expect, it } from "vitest";
import { dist, nn, optim, randn, type Tensor } from "webgrad";

const mlp = (seed = 1) => () => nn.sequential(nn.linear(6, 16, { seed }), nn.tanh(), nn.linear(16, 3, { seed: seed + 1 }));
const flat = (ps: Tensor[]) => ps.flatMap((p) => Array.from(p.dataSync()));
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe("data parallel (DDP)", () => {
  it("trains like a single device, with bucketed all-reduces overlapping backward", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const ddp = new dist.DataParallel(mlp(), c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1, momentum: 0.9 }), bucketBytes: 256, optimizerStateFactor: 1 });
    const ref = mlp()();
    const opt = optim.sgd(ref.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = randn([16, 6], { seed: 3 }), y = randn([16, 3], { seed: 4 });
    for (let s = 0; s < 4; s++) {
      const r = ddp.step(x, y, (o, t) => nn.mse(o, t));
      opt.zeroGrad();
      const l = nn.mse(ref.forward(x), y);
      l.backward();
      opt.step();
      expect(r.loss).toBeCloseTo(l.itemSync(), 5);
      expect(r.buckets.length).toBeGreaterThan(1);
      // the first bucket's all-reduce starts before backward ends: overlap
      const comm = r.timeline.activities.filter((a) => a.kind === "comm" && a.device === 0);
      const back = r.timeline.activities.filter((a) => a.label.startsWith("backward") && a.device === 0);
      expect(comm[0].t0).toBeLessThan(Math.max(...back.map((a) => a.t1)));
    }
    for (const rep of ddp.replicas) expect(maxDiff(flat(rep.parameters()), flat(ref.parameters()))).toBeLessThan(1e-5);
    expect(c.devices[0].memory.parameters).toBe(ref.parameters().reduce((s, p) => s + p.nbytes, 0));
  });
});

describe("ZeRO", () => {
  it("memory per device follows the paper's (2 + 2 + K)·Ψ accounting", () => {
    // The paper's Figure 1: Ψ = 7.5 B, Nd = 64, K = 12.
    const GB = 1e9;
    expect(dist.zeroMemory(7.5e9, 0, 64).total / GB).toBeCloseTo(120, 6);
    expect(dist.zeroMemory(7.5e9, 1, 64).total / GB).toBeCloseTo(31.40625, 6);
    expect(dist.zeroMemory(7.5e9, 2, 64).total / GB).toBeCloseTo(16.640625, 6);
    expect(dist.zeroMemory(7.5e9, 3, 64).total / GB).toBeCloseTo(1.875, 6);
  });
  for (const stage of [1, 2, 3] as const) {
    it(`stage ${stage} trains like single-device Adam, memory for the real model`, () => {
      const c = dist.cluster({ devicesPerNode: 4 });
      const z = new dist.ZeRO(mlp(2), c.devices, { stage, lr: 1e-2 });
      const ref = mlp(2)();
      const opt = optim.adam(ref.parameters(), { lr: 1e-2 });
      const x = randn([8, 6], { seed: 5 }), y = randn([8, 3], { seed: 6 });
      for (let s = 0; s < 3; s++) {
        const r = z.step(x, y, (o, t) => nn.mse(o, t));
        opt.zeroGrad();
        const l = nn.mse(ref.forward(x), y);
        l.backward();
        opt.step();
        expect(r.loss).toBeCloseTo(l.itemSync(), 5);
      }
      expect(maxDiff(Array.from(z.flatParameters()), flat(ref.parameters()))).toBeLessThan(1e-5);
      const psi = ref.numParameters();
      expect(z.numParameters).toBe(psi);
      const m = dist.zeroMemory(psi, stage, 4);
      expect(c.devices[2].memory.parameters).toBeCloseTo(m.parameters, 9);
      expect(c.devices[2].memory.gradients).toBeCloseTo(m.gradients, 9);
      expect(c.devices[2].memory.optimizer).toBeCloseTo(m.optimizer, 9);
    });
  }
  it("running out of memory names the device and the allocation", () => {
    const c = dist.cluster({ devicesPerNode: 2, device: { name: "tiny", peakFlops: { float32: 1e12 }, memoryBandwidth: 1e11, memoryCapacity: 1000 } });
    expect(() => new dist.ZeRO(mlp(), c.devices, { stage: 1 })).toThrow(/device d0 \(tiny.*out of memory: allocating .* of (parameters|optimizer) for ZeRO-1/);
  });
});
