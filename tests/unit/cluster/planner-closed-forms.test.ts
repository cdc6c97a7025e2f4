/**
 * The planner's pieces against closed forms no one here wrote: Korthikanti et al. 2022's activation
 * memory (Table 2), Narayanan et al. 2021's FLOPs per layer, ZeRO's memory table, Thakur et al.'s
 * collective forms and the simulator's own pipeline clock and collective clock.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

const gpt = (layers: number, hidden: number, heads: number, seq = 2048, vocab = 51200) =>
  dist.resolveModel({ family: "gpt", layers, hidden, heads, seq, vocab });

describe("activation memory (Korthikanti et al. 2022, Table 2, 16-bit)", () => {
  const m = gpt(4, 4096, 32);
  const { seq: s, hidden: h, heads: a } = m;
  for (const [b, t] of [
    [1, 1],
    [2, 4],
    [4, 8],
  ]) {
    it(`b = ${b}, t = ${t}: no recomputation, sequence parallelism, selective and full recomputation`, () => {
      const sbh = s * b * h;
      expect(dist.layerActivationBytes(m, b, t, false, "none")).toBeCloseTo(sbh * (10 + 24 / t + (5 * a * s) / (h * t)), 3);
      expect(dist.layerActivationBytes(m, b, t, true, "none")).toBeCloseTo((sbh / t) * (34 + (5 * a * s) / h), 3);
      expect(dist.layerActivationBytes(m, b, t, false, "selective")).toBeCloseTo(sbh * (10 + 24 / t), 3);
      expect(dist.layerActivationBytes(m, b, t, true, "selective")).toBeCloseTo((34 * sbh) / t, 3);
      expect(dist.layerActivationBytes(m, b, t, false, "full")).toBe(2 * sbh);
    });
  }
});

describe("FLOPs and parameters", () => {
  it("a GPT layer's forward is 24·b·s·h² + 4·b·s²·h FLOPs (Narayanan et al. 2021, §5.1), split over tp", () => {
    const m = gpt(4, 2048, 16);
    const c = dist.dgxA100(1);
    for (const t of [1, 2, 8]) {
      const r = dist.plan(m, c, { tp: t, pp: 1, dp: 8 / t, microbatch: 2, globalBatch: 16 });
      const { seq: s, hidden: h } = m;
      expect(r.work.layer.flops.forward * t).toBeCloseTo(24 * 2 * s * h * h + 4 * 2 * s * s * h, -3);
      expect(r.work.layer.flops.backward).toBe(2 * r.work.layer.flops.forward);
    }
  });
  it("MoE counts experts in the parameters and top-k of them in the active parameters (Mixtral 8x7B ≈ 46.7B / 12.9B)", () => {
    const m = dist.resolveModel(dist.MODEL_PRESETS["mixtral-8x7b"]);
    expect(m.parameters / 1e9).toBeCloseTo(46.7, 1);
    expect(m.activeParameters / 1e9).toBeCloseTo(12.9, 1);
    const l = dist.resolveModel(dist.MODEL_PRESETS["llama2-70b"]);
    expect(l.parameters / 1e9).toBeCloseTo(69, 0);
    expect(dist.resolveModel(dist.MODEL_PRESETS["gpt3-175b"]).parameters / 1e9).toBeCloseTo(175, -1);
  });
  it("every model preset has its published size", () => {
    const sizes: Record<string, number> = {
      "gpt3-125m": 0.125,
      "gpt3-350m": 0.35,
      "gpt3-760m": 0.76,
      "gpt3-1.3b": 1.3,
      "gpt3-2.7b": 2.7,
      "gpt3-6.7b": 6.7,
      "gpt3-13b": 13,
      "gpt3-175b": 175,
      "llama2-7b": 6.74,
      "llama2-13b": 13.0,
      "llama2-70b": 69.0,
      "llama3-8b": 8.03,
      "llama3-70b": 70.6,
      "llama3-405b": 405.8,
      "mixtral-8x7b": 46.7,
    };
    for (const [name, billions] of Object.entries(sizes)) {
      const p = dist.resolveModel(dist.MODEL_PRESETS[name as dist.ModelPresetName]).parameters / 1e9;
      expect(Math.abs(p - billions) / billions, name).toBeLessThan(0.06);
    }
  });
  it("model state per device is the ZeRO paper's table ((2 + 2 + 12)·Ψ sharded from the stage on)", () => {
    const m = gpt(8, 1024, 16, 1024, 0);
    const c = dist.dgxA100(2);
    for (const zero of [0, 1, 2, 3] as const) {
      const r = dist.plan(m, c, { tp: 1, pp: 1, dp: 16, microbatch: 1, globalBatch: 16, zero });
      const z = dist.zeroMemory(m.parameters, zero, 16);
      expect(r.memory.parameters).toBeCloseTo(z.parameters, 3);
      expect(r.memory.gradients).toBeCloseTo(z.gradients, 3);
      expect(r.memory.optimizer).toBeCloseTo(z.optimizer, 3);
    }
  });
});

describe("the pipeline clock", () => {
  it("equals dist.simulatePipeline (times, bubble) for GPipe, 1F1B and interleaved with uneven stages and sends", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 2 + 0.1;
    for (const [schedule, p, m, v] of [
      ["gpipe", 4, 6, 1],
      ["1f1b", 4, 8, 1],
      ["1f1b", 3, 2, 1],
      ["interleaved", 4, 8, 2],
      ["interleaved", 2, 4, 3],
    ] as const) {
      const S = p * v;
      const f = Array.from({ length: S }, rnd),
        b = Array.from({ length: S }, rnd);
      const send = (x: number, y: number) => 0.01 * (x + y + 1);
      const ref = dist.simulatePipeline(schedule, { p, m, v, forward: (s) => f[s], backward: (s) => b[s], send });
      const lean = dist.pipelineClock(schedule, p, m, v, f, b, send);
      expect(lean.time).toBeCloseTo(ref.time, 12);
      const busy = Array.from(lean.busy).reduce((x, y) => x + y, 0);
      expect(1 - busy / (p * lean.time)).toBeCloseTo(ref.bubble, 12);
      for (let d = 0; d < p; d++) {
        const chunkBytes = Array.from({ length: v }, (_, k) => 10 + k + d);
        expect(dist.pipelinePeakActivations(schedule, d, p, m, v, chunkBytes)).toBe(dist.peakActivationBytes(ref.orders[d], chunkBytes));
        expect(dist.inFlight(schedule, d, p, m, v)).toBe(ref.peakInFlight[d]);
      }
    }
  });
});

describe("collectives in closed form", () => {
  it("inside a node: the ring forms of dist.CLOSED_FORMS, equal to the simulator's clock on a DGX-like node", () => {
    const pc = dist.dgxA100(1);
    const c = dist.cluster({ devicesPerNode: 8 });
    const g = { size: 8, perNode: 8 };
    for (const bytes of [2 ** 16, 2 ** 24]) {
      for (const kind of ["allReduce", "allGather", "reduceScatter"] as const) {
        const sim = dist.simulate(kind, { devices: c.devices, bytes, emit: false }).time;
        expect(Math.abs(dist.collectiveTime(pc, kind, g, bytes, 4) - sim) / sim).toBeLessThan(1e-9);
      }
    }
  });
  it("on a torus, rings run both ways: twice the bandwidth of one link", () => {
    const torus = dist.tpuTorus(64);
    const n = 2 ** 28;
    const g = { size: 64, perNode: 4 };
    expect(dist.collectiveTime(torus, "allGather", g, n, 2)).toBeCloseTo(
      dist.CLOSED_FORMS["allGather:ring"]({ p: 64, n, alpha: 1e-6, beta: 1 / 100e9, gamma: 0 }),
      12,
    );
    const r = dist.plan("llama2-7b", torus, { tp: 4, pp: 1, dp: 16, microbatch: 1, globalBatch: 64, zero: 1, recompute: "selective", sequenceParallel: true });
    expect(r.memory.fits).toBe(true);
    expect(r.mfu).toBeGreaterThan(0);
  });
  it("across nodes: the faster of a ring on the NICs and the hierarchical form", () => {
    const pc = dist.dgxA100(4);
    const n = 2 ** 30;
    const ring = dist.CLOSED_FORMS["allReduce:ring"]({ p: 32, n, alpha: 5e-6, beta: 1 / 25e9, gamma: dist.reduceSecondsPerByte(pc.device, 2) });
    const t = dist.collectiveTime(pc, "allReduce", { size: 32, perNode: 8 }, n, 2);
    expect(t).toBeLessThanOrEqual(ring);
    expect(t).toBeGreaterThan(0);
    // One rank per node: the ring over the network.
    expect(dist.collectiveTime(pc, "allReduce", { size: 4, perNode: 1 }, n, 2)).toBeCloseTo(
      dist.CLOSED_FORMS["allReduce:ring"]({ p: 4, n, alpha: 5e-6, beta: 1 / 25e9, gamma: dist.reduceSecondsPerByte(pc.device, 2) }),
      12,
    );
  });
});

describe("the real-data path refuses before it would exhaust memory", () => {
  it("the transfer bound is never below a schedule's real count", () => {
    for (const [name, entry] of Object.entries(dist.COLLECTIVES))
      for (const [alg, a] of Object.entries(entry.algorithms)) {
        for (const p of [2, 3, 4, 8, 16]) {
          if (a!.needs === "pow2" && (p & (p - 1)) !== 0) continue;
          const nodes = a!.needs === "nodes" ? Array.from({ length: p / 2 }, (_, i) => [2 * i, 2 * i + 1]) : [Array.from({ length: p }, (_, r) => r)];
          if (a!.needs === "nodes" && p % 2 !== 0) continue;
          for (const chunks of [1, 4]) {
            const s = a!.build({ p, elements: 64 * p * chunks, chunks, root: 0, nodes });
            expect(
              dist.transferBound(name as dist.CollectiveName, alg as dist.AlgorithmName, p, chunks),
              `${name}:${alg} p=${p} c=${chunks}`,
            ).toBeGreaterThanOrEqual(s.length);
          }
        }
      }
  });
  it("a ring allReduce over 4096 devices is an error with its memory estimate, not a 3 GB allocation", () => {
    const c = dist.cluster({ nodes: 512, devicesPerNode: 8, topology: "switch" });
    const t0 = performance.now();
    expect(() => dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 20, algorithm: "ring", emit: false })).toThrow(
      /ring schedule over 4096 ranks would take about 3\.\d+ GiB of host memory .*over the limit of 1\.00 GiB: cost it in closed form with dist\.plan/,
    );
    console.log(`refused in ${(performance.now() - t0).toFixed(1)} ms`);
    // The planner's closed form answers at once.
    const pc: dist.PlannerCluster = { ...dist.dgxA100(512), intra: dist.LINK_PRESETS.NVLink };
    expect(dist.collectiveTime(pc, "allReduce", { size: 4096, perNode: 8 }, 2 ** 20, 4)).toBeGreaterThan(0);
  });
});
