import { describe, expect, it } from "vitest";
import { dist, nn, noGrad, onEvent, optim, randn, tensor, type Tensor, type WebgradEvent } from "webgrad";

const mlp =
  (seed = 1) =>
  () =>
    nn.sequential(nn.linear(6, 16, { seed }), nn.tanh(), nn.linear(16, 3, { seed: seed + 1 }));
const flat = (ps: Tensor[]) => ps.flatMap((p) => Array.from(p.dataSync()));
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe("data parallel (DDP)", () => {
  it("trains like a single device, with bucketed all-reduces overlapping backward", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const ddp = new dist.DataParallel(mlp(), c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1, momentum: 0.9 }), bucketBytes: 256 });
    const ref = mlp()();
    const opt = optim.sgd(ref.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = randn([16, 6], { seed: 3 }),
      y = randn([16, 3], { seed: 4 });
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
    // Mixed precision by default; SGD with momentum keeps one fp32 slot next to the fp32 master copy.
    const psi = ref.numParameters();
    expect(ddp.memory).toEqual({ precision: "mixed", optimizerSlots: 1 });
    expect(c.devices[0].memory).toMatchObject({ parameters: 2 * psi, gradients: 2 * psi, optimizer: 8 * psi, activations: 0 });
  });
  it("counts each replica's activations: what autograd saves for backward, at the model's precision", () => {
    // Per device (4 rows): the input slice 4×6, tanh's output 4×16 (also fc2's input: one storage),
    // mse's squared difference 4×3, and the mean's two scalars = 102 values.
    for (const [precision, bytes] of [
      ["mixed", 2],
      ["fp32", 4],
    ] as const) {
      const c = dist.cluster({ devicesPerNode: 4 });
      const ddp = new dist.DataParallel(mlp(), c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), memory: { precision } });
      const runs: Extract<WebgradEvent, { type: "comm"; phase: "run" }>[] = [];
      const off = onEvent((e) => {
        if (e.type === "comm" && e.phase === "run") runs.push(e);
      });
      try {
        expect(ddp.step(randn([16, 6], { seed: 3 }), randn([16, 3], { seed: 4 }), (o, t) => nn.mse(o, t)).activationBytes).toEqual([
          102 * bytes,
          102 * bytes,
          102 * bytes,
          102 * bytes,
        ]);
      } finally {
        off();
      }
      // The run event's bars show them; they are given back after the step.
      expect(runs[0].memory.map((m) => m.activations)).toEqual([102 * bytes, 102 * bytes, 102 * bytes, 102 * bytes]);
      expect(c.devices[0].memory.activations).toBe(0);
      expect(c.devices[0].peakBytes).toBeGreaterThanOrEqual(c.devices[0].usedBytes + 102 * bytes);
    }
  });
});

describe("one memory accounting for every strategy", () => {
  it("bytes per parameter from the precision and the optimizer's real state", () => {
    expect(dist.bytesPerParameter({ precision: "mixed", optimizerSlots: 2 })).toEqual({ parameters: 2, gradients: 2, optimizer: 12 });
    expect(dist.bytesPerParameter({ precision: "fp32", optimizerSlots: 2 })).toEqual({ parameters: 4, gradients: 4, optimizer: 8 });
    const ps = mlp()().parameters();
    expect(dist.optimizerSlots(optim.adam(ps))).toBe(2);
    expect(dist.optimizerSlots(optim.adam(ps, { amsgrad: true }))).toBe(3);
    expect(dist.optimizerSlots(optim.sgd(ps, { lr: 0.1, momentum: 0.9, dampening: 0.1 }))).toBe(1);
    expect(dist.optimizerSlots(optim.sgd(ps, { lr: 0.1 }))).toBe(0);
    expect(() => dist.bytesPerParameter({ precision: "fp8" as never, optimizerSlots: 0 })).toThrow(/unknown precision "fp8"/);
  });
  it("DDP, ZeRO, tensor, pipeline, hybrid and expert parallelism count 16 bytes per parameter a device holds (mixed-precision Adam)", () => {
    const E = 8,
      adam = (ps: Tensor[]) => optim.adam(ps, { lr: 1e-3 });
    const layers = () =>
      Array.from({ length: 2 }, (_, i) => ({ ln: nn.layerNorm(E), fc1: nn.linear(E, 16, { seed: 40 + i }), fc2: nn.linear(16, E, { seed: 50 + i }) }));
    const model = () => nn.sequential(...layers().flatMap((l) => [l.ln, l.fc1, l.fc2]));
    const psi = model().numParameters();
    const state = (d: dist.SimDevice) => d.memory.parameters + d.memory.gradients + d.memory.optimizer;
    const held = (c: dist.Cluster) => c.devices.map((d) => state(d) / 16);
    const ddp = dist.cluster({ devicesPerNode: 2 });
    new dist.DataParallel(model, ddp.devices, { optimizer: adam });
    expect(held(ddp)).toEqual([psi, psi]);
    for (const stage of [0, 1, 2, 3] as const) {
      const z = dist.cluster({ devicesPerNode: 2 });
      new dist.ZeRO(model, z.devices, { stage });
      expect(z.devices.map(state)).toEqual([dist.zeroMemory(psi, stage, 2).total, dist.zeroMemory(psi, stage, 2).total]);
    }
    const z3 = dist.cluster({ devicesPerNode: 2 });
    new dist.ZeRO(model, z3.devices, { stage: 3 });
    expect(held(z3)).toEqual([psi / 2, psi / 2]);
    // Tensor parallel: each device its shards of fc1/fc2 plus the replicated norms and fc2 bias.
    const tpc = dist.cluster({ devicesPerNode: 2 });
    const blocks = (tp: number) =>
      layers().map((l) => ({ ln: dist.replicatedLayerNorm(l.ln), inner: dist.ParallelMLP.fromLinears(l.fc1, l.fc2, tp), residual: true }));
    new dist.TensorParallel(blocks(2), tpc.devices, { optimizer: adam });
    const replicatedPerBlock = 2 * E + E;
    expect(held(tpc)).toEqual([0, 1].map(() => (psi - 2 * replicatedPerBlock) / 2 + 2 * replicatedPerBlock));
    // Pipeline: each device its stage.
    const pc = dist.cluster({ devicesPerNode: 2 });
    const stages = [model(), model()];
    new dist.Pipeline(stages, pc.devices, { microbatches: 2, optimizer: adam });
    expect(held(pc)).toEqual([psi, psi]);
    // Hybrid pp 2 × tp 2: a device holds half a stage's shards and the stage's replicated parameters.
    const hc = dist.cluster({ devicesPerNode: 4 });
    new dist.Hybrid3D(blocks, hc.devices, { dp: 1, pp: 2, tp: 2, microbatches: 2, optimizer: adam });
    expect(held(hc)).toEqual([0, 1, 2, 3].map(() => (psi / 2 - replicatedPerBlock) / 2 + replicatedPerBlock));
    // MoE: each device its experts and a replica of the gate.
    const mc = dist.cluster({ devicesPerNode: 2 });
    const experts = Array.from({ length: 4 }, (_, e) => nn.linear(E, E, { seed: e }));
    const gate = nn.linear(E, 4, { seed: 9 });
    new dist.ExpertParallelMoE(gate, experts, mc.devices, { capacityFactor: 1, optimizer: adam });
    expect(held(mc)).toEqual([0, 1].map(() => gate.numParameters() + 2 * experts[0].numParameters()));
    // A sharded weight: its local part.
    const mesh = dist.deviceMesh(dist.cluster({ devicesPerNode: 4 }).devices, { x: 2, y: 2 });
    const w = dist.shard(randn([8, 6]), mesh, [null, "y"]);
    expect(w.stateBytes().map((b) => b.parameters + b.gradients + b.optimizer)).toEqual([0, 1, 2, 3].map(() => 16 * 24));
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
  for (const stage of [0, 1, 2, 3] as const) {
    it(`stage ${stage} trains like single-device Adam, memory for the real model`, () => {
      const c = dist.cluster({ devicesPerNode: 4 });
      const z = new dist.ZeRO(mlp(2), c.devices, { stage, lr: 1e-2 });
      const ref = mlp(2)();
      const opt = optim.adam(ref.parameters(), { lr: 1e-2 });
      const x = randn([8, 6], { seed: 5 }),
        y = randn([8, 3], { seed: 6 });
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
  it("communication follows the paper: stages 0, 1 and 2 move 2Ψ (like data parallelism), stage 3 moves 3Ψ", () => {
    const N = 4;
    const x = randn([8, 6], { seed: 5 }),
      y = randn([8, 3], { seed: 6 });
    const sent: number[] = [];
    const ops: string[][] = [];
    let psiPadded = 0;
    for (const stage of [0, 1, 2, 3] as const) {
      const c = dist.cluster({ devicesPerNode: N });
      const z = new dist.ZeRO(mlp(2), c.devices, { stage, lr: 1e-2 });
      psiPadded = Math.ceil(z.numParameters / N) * N;
      let bytes = 0;
      const names: string[] = [];
      const off = onEvent((e) => {
        if (e.type === "comm" && e.phase === "collective") {
          names.push(e.collective);
          for (const b of e.transfers.bytes) bytes += b;
        }
      });
      try {
        z.step(x, y, (o, t) => nn.mse(o, t));
      } finally {
        off();
      }
      sent.push(bytes);
      ops.push(names);
    }
    // Ring collectives over N devices: a reduce-scatter or all-gather of B bytes sends (N − 1)·B/N per device, an all-reduce twice that.
    const psiBytes = psiPadded * 4;
    const dp = 2 * (N - 1) * psiBytes;
    expect(sent).toEqual([dp, dp, dp, 1.5 * dp]);
    expect(ops).toEqual([["allReduce"], ["reduceScatter", "allGather"], ["reduceScatter", "allGather"], ["allGather", "allGather", "reduceScatter"]]);
  });
  it("tags every allocation by category: each run's bars and each collective's staging, no untyped buffers left after a step", () => {
    const x = randn([8, 6], { seed: 5 }),
      y = randn([8, 3], { seed: 6 });
    for (const stage of [0, 1, 2, 3] as const) {
      const c = dist.cluster({ devicesPerNode: 4 });
      const z = new dist.ZeRO(mlp(2), c.devices, { stage, lr: 1e-2 });
      const steady = { ...c.devices[0].memory };
      // While a collective runs, its inputs sit on the devices: a parameter shard (all-gather) or the flat gradients.
      const during: { collective: string; memory: dist.MemoryByCategory }[] = [];
      const runs: { device: number; parameters: number; gradients: number; optimizer: number; activations: number; buffers: number }[][] = [];
      const off = onEvent((e) => {
        if (e.type === "comm" && e.phase === "collective") during.push({ collective: e.collective, memory: { ...c.devices[0].memory } });
        if (e.type === "comm" && e.phase === "run") runs.push(e.memory);
      });
      try {
        for (let s = 0; s < 3; s++) z.step(x, y, (o, t) => nn.mse(o, t));
      } finally {
        off();
      }
      // Three steps leave exactly the model state: nothing piles up from one step to the next.
      expect(c.devices.map((d) => d.memory)).toEqual(c.devices.map(() => steady));
      for (const d of during) {
        expect(d.memory.buffers, `ZeRO-${stage} ${d.collective}`).toBe(0);
        const grown = d.collective === "allGather" ? "parameters" : "gradients";
        expect(d.memory[grown], `ZeRO-${stage} ${d.collective} stages ${grown}`).toBeGreaterThan(steady[grown]);
      }
      // The run event carries the four categories, each non-zero, and no buffers.
      expect(runs).toHaveLength(3);
      for (const row of runs.flat()) {
        expect(row.buffers).toBe(0);
        for (const k of ["parameters", "gradients", "optimizer", "activations"] as const) expect(row[k], `ZeRO-${stage} ${k}`).toBeGreaterThan(0);
      }
      expect(runs[2]).toEqual(runs[0]);
    }
  });
  it("data parallel's bucket all-reduces stage gradients, not untyped buffers", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const ddp = new dist.DataParallel(mlp(), c.devices, { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), bucketBytes: 256 });
    const steady = { ...c.devices[1].memory };
    const during: dist.MemoryByCategory[] = [];
    const off = onEvent((e) => {
      if (e.type === "comm" && e.phase === "collective") during.push({ ...c.devices[1].memory });
    });
    try {
      for (let s = 0; s < 2; s++) ddp.step(randn([16, 6], { seed: 3 }), randn([16, 3], { seed: 4 }), (o, t) => nn.mse(o, t));
    } finally {
      off();
    }
    expect(during.length).toBeGreaterThan(1);
    for (const m of during) {
      expect(m.buffers).toBe(0);
      expect(m.gradients).toBeGreaterThan(steady.gradients);
    }
    expect(c.devices[1].memory).toEqual(steady);
  });
  it("running out of memory names the device and the allocation", () => {
    const c = dist.cluster({ devicesPerNode: 2, device: { name: "tiny", peakFlops: { float32: 1e12 }, memoryBandwidth: 1e11, memoryCapacity: 1000 } });
    expect(() => new dist.ZeRO(mlp(), c.devices, { stage: 1 })).toThrow(/device d0 \(tiny.*out of memory: allocating .* of (parameters|optimizer) for ZeRO-1/);
  });
});

describe("pipeline parallel", () => {
  it("GPipe's bubble is (p − 1)/(m + p − 1) for equal stages; 1F1B equal with fewer microbatches in flight; interleaved smaller", () => {
    for (const [p, m] of [
      [2, 1],
      [4, 4],
      [4, 8],
      [8, 16],
      [3, 7],
    ]) {
      const g = dist.simulatePipeline("gpipe", { p, m, forward: () => 1, backward: () => 2 });
      expect(Math.abs(g.bubble - (p - 1) / (m + p - 1))).toBeLessThan(1e-12);
      expect(g.time).toBeCloseTo((m + p - 1) * 3, 12);
      const f = dist.simulatePipeline("1f1b", { p, m, forward: () => 1, backward: () => 2 });
      expect(Math.abs(f.bubble - (p - 1) / (m + p - 1))).toBeLessThan(1e-12);
      expect(Math.max(...f.peakInFlight)).toBeLessThanOrEqual(Math.min(p, m));
      expect(Math.max(...g.peakInFlight)).toBe(m);
      if (m % p === 0) {
        const i = dist.simulatePipeline("interleaved", { p, m, v: 2, forward: () => 0.5, backward: () => 1 });
        expect(i.bubble).toBeLessThan(f.bubble);
      }
    }
  });
  it("interleaved 1F1B holds each in-flight chunk-microbatch with its own chunk's activations: Megatron's warm-up + 1 chunks, not × v", () => {
    // Device d of interleaved 1F1B runs (p − d − 1)·2 + (v − 1)·p warm-up forwards, then one more before its first backward.
    for (const [p, m, v] of [
      [4, 8, 2],
      [4, 16, 2],
      [2, 4, 3],
      [8, 16, 4],
    ]) {
      const a = 7;
      for (let d = 0; d < p; d++) {
        const order = dist.PIPELINE_SCHEDULES.interleaved(d, p, m, v);
        const inFlight = Math.min((p - d - 1) * 2 + (v - 1) * p + 1, m * v);
        expect(dist.peakActivationBytes(order, new Array(v).fill(a))).toBe(inFlight * a);
        // GPipe holds all m microbatches of every chunk: m·v·a.
        expect(dist.peakActivationBytes(order, new Array(v).fill(a))).toBeLessThanOrEqual(m * v * a);
      }
    }
    // Unequal chunks: each forward holds its own chunk's bytes until that chunk's backward.
    const order = dist.PIPELINE_SCHEDULES.interleaved(3, 4, 4, 2);
    // Device 3 of p = 4: four warm-up forwards of chunk 0, then F0.1 before its first backward B0.1.
    expect(order.slice(0, 6).map((o) => `${o.type}${o.micro}.${o.chunk}`)).toEqual(["F0.0", "F1.0", "F2.0", "F3.0", "F0.1", "B0.1"]);
    expect(dist.peakActivationBytes(order, [1, 100])).toBe(4 * 1 + 1 * 100);
  });
  it("Pipeline's interleaved activations are the schedule's chunk-microbatches, below GPipe's", () => {
    const p = 2,
      v = 2,
      m = 4;
    // Four layers (linear + tanh); GPipe gives each device two consecutive ones, interleaved one layer per chunk (device d: layers d and d + p).
    const make = () => Array.from({ length: p * v }, (_, s) => nn.sequential(nn.linear(5, 5, { seed: 10 + s }), nn.tanh()));
    const x = randn([8, 5], { seed: 1 }),
      y = randn([8, 5], { seed: 2 });
    const run = (schedule: "gpipe" | "interleaved") => {
      const c = dist.cluster({ devicesPerNode: p });
      const l = make();
      const stages = schedule === "interleaved" ? l : [nn.sequential(l[0], l[1]), nn.sequential(l[2], l[3])];
      const pipe = new dist.Pipeline(stages, c.devices, { schedule, microbatches: m, chunks: v, optimizer: (ps) => optim.sgd(ps, { lr: 0.2 }) });
      return pipe.step(x, y, (o, t) => nn.mse(o, t)).activationBytes;
    };
    // Per microbatch, in fp16: one layer saves its input and tanh's output (2 × [2, 5] = 40 B), two layers 60 B; the
    // last layer also mse's squared difference and four scalars (+28 B). GPipe holds all m microbatches.
    expect(run("gpipe")).toEqual([m * 60, m * 88]);
    // Device 0 (warm-up 2 + 2 = 4 forwards, then a fifth: F0.0 F1.0 F0.1 F1.1 F2.0) holds 5 chunk-microbatches, 3 of chunk 0 and 2 of chunk 1.
    // Device 1 (warm-up 2: F0.0 F1.0, then F0.1) holds 2 of chunk 0 and 1 of chunk 1 (the last layer). Counting
    // every in-flight op with both chunks' bytes gave 5 × 80 = 400 and 3 × 108 = 324, above GPipe's 240 and 352.
    expect(run("interleaved")).toEqual([3 * 40 + 2 * 40, 2 * 40 + 68]);
  });
  for (const schedule of ["gpipe", "1f1b", "interleaved"] as const) {
    it(`${schedule}: trains like a single device`, () => {
      const c = dist.cluster({ devicesPerNode: 2 });
      const S = schedule === "interleaved" ? 4 : 2;
      const make = () => Array.from({ length: S }, (_, s) => nn.sequential(nn.linear(5, 5, { seed: 10 + s }), nn.tanh()));
      const stages = make(),
        ref = nn.sequential(...make());
      const pipe = new dist.Pipeline(stages, c.devices, { schedule, microbatches: 4, chunks: 2, optimizer: (ps) => optim.sgd(ps, { lr: 0.2 }) });
      const opt = optim.sgd(ref.parameters(), { lr: 0.2 });
      const x = randn([8, 5], { seed: 1 }),
        y = randn([8, 5], { seed: 2 });
      for (let k = 0; k < 3; k++) {
        const r = pipe.step(x, y, (o, t) => nn.mse(o, t));
        opt.zeroGrad();
        const l = nn.mse(ref.forward(x), y);
        l.backward();
        opt.step();
        expect(r.loss).toBeCloseTo(l.itemSync(), 5);
        expect(r.bubble).toBeGreaterThan(0);
        // Per microbatch, in fp16: stage 0 saves its input and tanh's output (2 × [2, 5] = 40 B);
        // stage 1 also mse's squared difference [2, 5] and two scalars each of the two divisions (68 B).
        if (schedule === "gpipe") expect(r.activationBytes).toEqual([4 * 40, 4 * 68]);
        if (schedule === "1f1b") expect(r.activationBytes).toEqual([2 * 40, 1 * 68]);
      }
      expect(maxDiff(flat(stages.flatMap((s) => s.parameters())), flat(ref.parameters()))).toBeLessThan(1e-5);
    });
  }
});

describe("tensor parallel (Megatron)", () => {
  it("a transformer layer (attention + MLP blocks) trains like a single device, with the all-reduces where Megatron puts them", () => {
    const c = dist.cluster({ devicesPerNode: 2 });
    const E = 8;
    class Res extends nn.Module {
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
    const attn = nn.multiHeadAttention(E, 4, { seed: 3, causal: true });
    const fc1 = nn.linear(E, 16, { seed: 4 }),
      fc2 = nn.linear(16, E, { seed: 5 });
    const ln1 = nn.layerNorm(E),
      ln2 = nn.layerNorm(E);
    const tp = new dist.TensorParallel(
      [
        { ln: dist.replicatedLayerNorm(ln1), inner: dist.ParallelAttention.fromAttention(attn, 2), residual: true },
        { ln: dist.replicatedLayerNorm(ln2), inner: dist.ParallelMLP.fromLinears(fc1, fc2, 2), residual: true },
      ],
      c.devices,
      { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) },
    );
    const ref = nn.sequential(new Res(ln1, attn), new Res(ln2, nn.sequential(fc1, nn.gelu(), fc2)));
    const opt = optim.sgd(ref.parameters(), { lr: 0.1 });
    const x = randn([2, 5, E], { seed: 7 }),
      y = randn([2, 5, E], { seed: 8 });
    expect(maxDiff(Array.from(tp.forward(x).dataSync()), Array.from(ref.forward(x).dataSync()))).toBeLessThan(1e-5);
    for (let k = 0; k < 3; k++) {
      const r = tp.step(x, y, (o, t) => nn.mse(o, t));
      opt.zeroGrad();
      const l = nn.mse(ref.forward(x), y);
      l.backward();
      opt.step();
      expect(r.loss).toBeCloseTo(l.itemSync(), 5);
      expect(r.allReduces.map((a) => `${a.block}:${a.where}`)).toEqual(["0:g (forward)", "1:g (forward)", "1:f (backward)", "0:f (backward)"]);
    }
    expect(maxDiff(Array.from(tp.forward(x).dataSync()), Array.from(ref.forward(x).dataSync()))).toBeLessThan(1e-5);
  });
});

describe("mixture of experts with expert parallelism", () => {
  for (const k of [1, 2] as const) {
    it(`top-${k}: allToAll dispatch/combine with a capacity factor: drops counted, training equals one device`, () => {
      const c = dist.cluster({ devicesPerNode: 4 });
      const d = 6,
        E = 8;
      const make = () => ({
        gate: nn.linear(d, E, { seed: 20 }),
        experts: Array.from({ length: E }, (_, e) => nn.sequential(nn.linear(d, 12, { seed: 30 + e }), nn.relu(), nn.linear(12, d, { seed: 60 + e }))),
      });
      const a = make(),
        b = make();
      const moe = new dist.ExpertParallelMoE(a.gate, a.experts, c.devices, { capacityFactor: 1, topK: k, optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) });
      const opt = optim.sgd([...b.gate.parameters(), ...b.experts.flatMap((e) => e.parameters())], { lr: 0.1 });
      const x = randn([32, d], { seed: 9 }),
        y = randn([32, d], { seed: 10 });
      for (let s = 0; s < 3; s++) {
        const r = moe.step(x, y, (o, t) => nn.mse(o, t));
        opt.zeroGrad();
        const ref = dist.moeReference(x, b.gate, b.experts, { capacityFactor: 1, groups: 4, topK: k });
        const l = nn.mse(ref.y, y);
        l.backward();
        opt.step();
        expect(r.loss).toBeCloseTo(l.itemSync(), 5);
        expect(r.dropped).toBe(ref.dropped);
        // 8 tokens a device, each taking k of 8 experts: ⌈8·k/8⌉ = k slots per expert.
        expect(r.capacity).toBe(k);
        expect(r.dropped).toBeGreaterThan(0);
        expect(r.timeline.activities.filter((x) => x.label.startsWith("allToAll")).length).toBe(4 * 4);
      }
      expect(
        maxDiff(
          flat([...a.gate.parameters(), ...a.experts.flatMap((e) => e.parameters())]),
          flat([...b.gate.parameters(), ...b.experts.flatMap((e) => e.parameters())]),
        ),
      ).toBeLessThan(1e-5);
    });
  }

  it("top-1 routing: a generous capacity drops nothing, a tight one drops", () => {
    const logits = randn([64, 4], { seed: 1 });
    expect(dist.routeTop1(logits, 4).dropped).toBe(0);
    expect(dist.routeTop1(logits, 0.5).dropped).toBeGreaterThan(0);
    expect(dist.routeTopK(logits, 0.5, 1)).toEqual(dist.routeTop1(logits, 0.5));
  });

  it("top-k routing: k best experts per token (ties to the lower index), all first choices before any second", () => {
    // Capacity ⌈0.5·3·2/3⌉ = 1: the three first choices fill the three experts, so every second choice is dropped
    // (token order would have kept token 0's second choice, expert 1, and dropped token 1's first).
    const logits = tensor([3, 2, 1, 1, 3, 2, 2, 1, 3], { shape: [3, 3] });
    const r = dist.routeTopK(logits, 0.5, 2);
    expect(r.capacity).toBe(1);
    expect(Array.from(r.expert)).toEqual([0, 1, 1, 2, 2, 0]);
    expect(Array.from(r.slot)).toEqual([0, -1, 1, -1, 2, -1]);
    expect(r.dropped).toBe(3);
    // Room for all: each expert's slots in the order its choices came (first choices first).
    expect(Array.from(dist.routeTopK(logits, 1, 2).slot)).toEqual([0, 3, 2, 5, 4, 1]);
    expect(Array.from(dist.routeTopK(tensor([[1, 1, 1]]), 1, 2).expert)).toEqual([0, 1]);
    expect(dist.expertCapacity(1024, 8, 1.25, 2)).toBe(320);
  });

  it("top-k gate weights: the chosen probabilities, raw at top-1, renormalized to sum to 1 at top-2 and up", () => {
    const d = 4,
      E = 4;
    const gate = nn.linear(d, E, { seed: 3 });
    // Experts that output ones: the layer's output is then each token's sum of gate weights.
    const experts = Array.from({ length: E }, (_, e) => {
      const ex = nn.linear(d, d, { seed: e });
      noGrad(() => {
        ex.weight.zero_();
        ex.bias!.fill_(1);
      });
      return ex;
    });
    const x = randn([8, d], { seed: 5 });
    const probs = Array.from(gate.forward(x).softmax(-1).max(-1).dataSync());
    const top1 = dist.moeReference(x, gate, experts, { capacityFactor: 4, groups: 1 });
    expect(top1.dropped).toBe(0);
    expect(
      maxDiff(
        Array.from(top1.y.dataSync()),
        probs.flatMap((p) => Array(d).fill(p)),
      ),
    ).toBeLessThan(1e-6);
    for (const k of [2, 3]) {
      const r = dist.moeReference(x, gate, experts, { capacityFactor: 4, groups: 1, topK: k });
      expect(r.dropped).toBe(0);
      expect(maxDiff(Array.from(r.y.dataSync()), Array(8 * d).fill(1))).toBeLessThan(1e-6);
    }
  });

  it("topK outside 1…experts is a clear error", () => {
    const c = dist.cluster({ devicesPerNode: 2 });
    const experts = Array.from({ length: 4 }, (_, e) => nn.linear(4, 4, { seed: e }));
    const make = (topK: number) => () =>
      new dist.ExpertParallelMoE(nn.linear(4, 4), experts, c.devices, { capacityFactor: 1, topK, optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) });
    expect(make(5)).toThrow(/ExpertParallelMoE.*topK must be an integer in 1…4 \(the number of experts\), got 5/);
    expect(make(0)).toThrow(/got 0/);
    expect(make(1.5)).toThrow(/got 1.5/);
    expect(() => dist.routeTopK(randn([2, 4]), 1, 5)).toThrow(/dist.routeTopK.*got 5/);
  });
});

describe("hybrid 3D (DP × PP × TP)", () => {
  it("a mesh that does not factor the device count is a clear error", () => {
    const c = dist.cluster({ devicesPerNode: 8 });
    expect(() => dist.deviceMesh(c.devices, { dp: 3, pp: 1, tp: 2 })).toThrow(/dp=3 × pp=1 × tp=2 mesh needs 6 devices, but 8 were given/);
    const mesh = dist.deviceMesh(c.devices, { dp: 2, pp: 2, tp: 2 });
    expect(mesh.groups("tp").map((g) => g.map((d) => d.id))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(mesh.groups("dp").map((g) => g.map((d) => d.id))).toEqual([
      [0, 4],
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
  });
  it("Hybrid3D places ranks in Megatron-LM's default order (tp fastest, then dp, then pp): tp and dp inside a node, pipeline stages across nodes", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    const E = 4;
    const blocks = (tp: number) =>
      Array.from({ length: 2 }, (_, i) => ({
        ln: dist.replicatedLayerNorm(nn.layerNorm(E)),
        inner: dist.ParallelMLP.fromLinears(nn.linear(E, 8, { seed: 40 + i }), nn.linear(8, E, { seed: 50 + i }), tp),
        residual: true,
      }));
    const h = new dist.Hybrid3D(blocks, c.devices, { dp: 2, pp: 2, tp: 2, microbatches: 2, optimizer: (ps) => optim.sgd(ps, { lr: 0.05 }) });
    const ids = (axis: string) => h.mesh.groups(axis).map((g) => g.map((d) => d.id));
    // Megatron's rank = tp + tp·dp_rank + tp·dp·pp_rank.
    for (let k = 0; k < 2; k++) for (let s = 0; s < 2; s++) for (let t = 0; t < 2; t++) expect(h.device(k, s, t).id).toBe(t + 2 * k + 4 * s);
    expect(ids("tp")).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(ids("dp")).toEqual([
      [0, 2],
      [1, 3],
      [4, 6],
      [5, 7],
    ]);
    expect(ids("pp")).toEqual([
      [0, 4],
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
    const sameNode = (g: dist.SimDevice[]) => g.every((d) => d.node === g[0].node);
    expect(h.mesh.groups("tp").every(sameNode)).toBe(true);
    expect(h.mesh.groups("dp").every(sameNode)).toBe(true);
    expect(h.mesh.groups("pp").some(sameNode)).toBe(false);
  });
  it("2 × 2 × 2 trains like a single device", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    const E = 4;
    const layers = () =>
      Array.from({ length: 4 }, (_, i) => ({ ln: nn.layerNorm(E), fc1: nn.linear(E, 8, { seed: 40 + i }), fc2: nn.linear(8, E, { seed: 50 + i }) }));
    const blocks = (tp: number) =>
      layers().map((l) => ({ ln: dist.replicatedLayerNorm(l.ln), inner: dist.ParallelMLP.fromLinears(l.fc1, l.fc2, tp, (h) => h.tanh()), residual: true }));
    const h = new dist.Hybrid3D(blocks, c.devices, { dp: 2, pp: 2, tp: 2, microbatches: 2, optimizer: (ps) => optim.sgd(ps, { lr: 0.05 }) });
    class Res extends nn.Module {
      constructor(
        public ln: nn.LayerNorm,
        public inner: nn.Module,
      ) {
        super();
      }
      forward(x: Tensor): Tensor {
        return x.add(this.inner.forward(this.ln.forward(x)));
      }
    }
    const ref = nn.sequential(...layers().map((l) => new Res(l.ln, nn.sequential(l.fc1, nn.tanh(), l.fc2))));
    const opt = optim.sgd(ref.parameters(), { lr: 0.05 });
    const x = randn([8, E], { seed: 11 }),
      y = randn([8, E], { seed: 12 });
    for (let k = 0; k < 3; k++) {
      const r = h.step(x, y, (o, t) => nn.mse(o, t));
      opt.zeroGrad();
      const l = nn.mse(ref.forward(x), y);
      l.backward();
      opt.step();
      expect(r.loss).toBeCloseTo(l.itemSync(), 5);
      expect(r.bubble).toBeGreaterThan(0);
    }
    for (const rep of h.replicas) expect(maxDiff(Array.from(rep.forward(x).dataSync()), Array.from(ref.forward(x).dataSync()))).toBeLessThan(1e-5);
  });
});

describe("operator-level sharding (MindSpore-style)", () => {
  const setup = () => dist.deviceMesh(dist.cluster({ devicesPerNode: 4 }).devices, { x: 2, y: 2 });
  const same = (a: Tensor, b: Tensor) => expect(maxDiff(Array.from(a.dataSync()), Array.from(b.dataSync()))).toBeLessThan(1e-5);
  it("redistribution is inferred: allGather, allToAll, slice, allReduce, reduceScatter", () => {
    const mesh = setup();
    const A = randn([8, 6], { seed: 1 });
    const s = dist.shard(A, mesh, ["x", null]);
    expect(s.locals[0].shape).toEqual([4, 6]);
    same(s.full(), A);
    const t = dist.redistribute(s, [null, "x"]);
    expect(t.steps.map((q) => q.op)).toEqual(["allToAll"]);
    expect(t.tensor.locals[3].shape).toEqual([8, 3]);
    same(t.tensor.locals[3], A.narrow(1, 3, 3));
    expect(dist.redistribute(s, [null, null]).steps.map((q) => `${q.op}:${q.axis}`)).toEqual(["allGather:x"]);
    expect(dist.redistribute(s, ["x", "y"]).steps.map((q) => `${q.op}:${q.axis}`)).toEqual(["slice:y"]);
    const X = dist.shard(randn([8, 6], { seed: 2 }), mesh, ["x", "y"]);
    const W = dist.shard(randn([6, 4], { seed: 3 }), mesh, ["y", null]);
    const ref = X.full().matmul(W.full());
    const y1 = dist.shardedMatmul(X, W, { out: ["x", null] });
    expect(y1.tensor.layout).toBe("[x, -]");
    expect(y1.steps.map((q) => `${q.op}:${q.axis}`)).toEqual(["allReduce:y"]);
    same(y1.tensor.full(), ref);
    const y2 = dist.shardedMatmul(X, W, { out: ["x", "y"] });
    expect(y2.steps.map((q) => `${q.op}:${q.axis}`)).toEqual(["reduceScatter:y"]);
    same(y2.tensor.full(), ref);
    // W split the wrong way for the contraction: the operator redistributes it first.
    const Wc = dist.shard(W.full(), mesh, [null, "y"]);
    const y3 = dist.shardedMatmul(X, Wc, { out: ["x", null] });
    expect(y3.steps.map((q) => `${q.op}:${q.axis}`)).toEqual(["allToAll:y", "allReduce:y"]);
    same(y3.tensor.full(), ref);
    expect(() => dist.shard(randn([5, 4]), mesh, ["x", null])).toThrow(/dim 0 \(5\) cannot be split 2 ways along mesh axis x/);
  });
  it("an MLP with sharded weights trains like a single device", () => {
    const mesh = setup();
    const W1 = randn([6, 8], { seed: 4 }).mul(0.3).requiresGrad_(),
      W2 = randn([8, 6], { seed: 5 }).mul(0.3).requiresGrad_();
    const R1 = W1.detach().clone().requiresGrad_(),
      R2 = W2.detach().clone().requiresGrad_();
    const opt = optim.sgd([W1, W2], { lr: 0.1 }),
      ropt = optim.sgd([R1, R2], { lr: 0.1 });
    const x = randn([8, 6], { seed: 6 }),
      y = randn([8, 6], { seed: 7 });
    for (let k = 0; k < 3; k++) {
      const X = dist.shard(x, mesh, ["x", null]);
      const h = dist.shardedMatmul(X, dist.shard(W1, mesh, [null, "y"])); // column-parallel: no communication
      const H = new dist.ShardedTensor(
        mesh,
        h.tensor.spec,
        h.tensor.partial,
        h.tensor.shape,
        h.tensor.locals.map((t) => t.relu()),
      );
      const out = dist.shardedMatmul(H, dist.shard(W2, mesh, ["y", null]), { out: ["x", null] }); // row-parallel: allReduce
      expect(h.steps).toEqual([]);
      expect(out.steps.map((q) => q.op)).toEqual(["allReduce"]);
      // The loss on one replica per data shard (y coordinate 0).
      const Y = dist.shard(y, mesh, ["x", null]);
      const loss = nn.mse(out.tensor.locals[0], Y.locals[0]).add(nn.mse(out.tensor.locals[2], Y.locals[2])).div(2);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      ropt.zeroGrad();
      const rl = nn.mse(x.matmul(R1).relu().matmul(R2), y);
      rl.backward();
      ropt.step();
      expect(loss.itemSync()).toBeCloseTo(rl.itemSync(), 5);
    }
    same(W1, R1);
    same(W2, R2);
  });
});
