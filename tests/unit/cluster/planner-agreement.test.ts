/**
 * Small and large agree: at sizes the real-data strategies can train, the planner's memory and step
 * time equal what the simulation measures, strategy by strategy. Both count the same thing through
 * `dist.SIMULATOR_ACCOUNTING` (each parameter tensor's 2·tokens·numel FLOPs forward and twice that
 * backward at the float32 roofline; fp32 tensors on the wire; mixed-precision Adam state; the
 * activations webgrad's autograd keeps for `nn.transformerBlock`). Differences in what the two count,
 * made equal here and said so:
 * - the real Pipeline, TensorParallel and Hybrid3D clocks stop before the optimizer step, which the
 *   planner times (`time.optimizer`): their comparison leaves it out;
 * - tensor parallelism (Megatron): per layer and rank, Korthikanti et al.'s terms in values,
 *   6·sbh + 12·sbh/t + 2·as²b/t + 1 (their fused 16-bit count without dropout is 4·sbh + 12·sbh/t +
 *   as²b/t: webgrad's unfused LayerNorm keeps its normalized output too, and the 1/√d scale keeps
 *   the raw scores); with sequence parallelism the 6·sbh are split too (6·sbh/t), and backward
 *   gathers each block's input again, an allGather the simulation runs before the backward compute
 *   where Megatron overlaps it (the planner's simulator accounting counts it, its real one does not);
 * - MoE expert parallelism: the real `dist.ExpertParallelMoE` trains one bare MoE layer (a replicated gate
 *   and GeLU experts on tokens [N, h]; no attention, norms or sequence; top-k routing with a capacity, so it
 *   computes and sends E·C slots, C = ⌈f·T·k/E⌉, padding and drops included). The planner costs exactly that layer with
 *   `layerKind: "ffn"` and `capacityFactor` (a real MoE model keeps its whole transformer layer, dropless or
 *   with a capacity): the whole step agrees, compute, allToAlls, the gate's allReduce and the optimizer.
 * Tolerance: times to 1e-9 relative (the two sum the same roofline and α–β terms in a different order:
 * only float rounding, about 1e-15, separates them); bytes of memory exactly.
 */
import { describe, expect, it } from "vitest";
import { dist, nn, optim, randn, type Tensor } from "webgrad";

const h = 16,
  heads = 2,
  seq = 8;
const config = (layers: number): dist.ModelConfig => ({ name: "tiny", family: "gpt", layers, hidden: h, heads, vocab: 0, seq });
const stack = (layers: number) => () => nn.sequential(...Array.from({ length: layers }, (_, i) => nn.transformerBlock(h, heads, { seed: 10 + i })));
const plannerCluster = (nodes: number, devicesPerNode: number): dist.PlannerCluster => ({
  name: "simulated",
  nodes,
  devicesPerNode,
  device: dist.DEVICE_PRESETS.A100,
  intra: dist.LINK_PRESETS.NVLink,
  inter: dist.LINK_PRESETS.InfiniBand,
});
const sim = { efficiency: dist.SIMULATOR_ACCOUNTING };
const mse = (o: Tensor, t: Tensor) => nn.mse(o, t);
const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.max(Math.abs(b), 1e-30)).toBeLessThan(1e-9);
const state = (m: { parameters: number; gradients: number; optimizer: number }) => ({
  parameters: m.parameters,
  gradients: m.gradients,
  optimizer: m.optimizer,
});

describe("small and large agree: planner = real-data simulation", () => {
  it("the tiny GPT has the planner's parameter count (12h² + 13h per layer)", () => {
    expect(stack(2)().numParameters()).toBe(dist.resolveModel(config(2)).parameters);
  });

  it("data parallel (one bucket): step time, model state and activations", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const ddp = new dist.DataParallel(stack(2), c.devices, { optimizer: (ps) => optim.adam(ps), bucketBytes: 2 ** 40 });
    const r = ddp.step(randn([8, seq, h], { seed: 1 }), randn([8, seq, h], { seed: 2 }), mse);
    const p = dist.plan(config(2), plannerCluster(1, 4), { tp: 1, pp: 1, dp: 4, microbatch: 2, globalBatch: 8, overlapGradReduce: false }, sim);
    close(p.time.step, r.time);
    close(p.comm.dpExposed, r.exposedComm);
    expect(state(p.memory)).toEqual(state(c.devices[0].memory));
    expect(p.memory.activations).toBe(r.activationBytes[0]);
  });

  it("data parallel on a stack of GeLU MLPs (layerKind 'ffn'): step time, model state and activations", () => {
    const ffn = 4 * h;
    const mlps = () =>
      nn.sequential(...Array.from({ length: 2 }, (_, i) => nn.sequential(nn.linear(h, ffn, { seed: 40 + i }), nn.gelu(), nn.linear(ffn, h, { seed: 50 + i }))));
    const c = dist.cluster({ devicesPerNode: 4 });
    const ddp = new dist.DataParallel(mlps, c.devices, { optimizer: (ps) => optim.adam(ps), bucketBytes: 2 ** 40 });
    const r = ddp.step(randn([8, seq, h], { seed: 1 }), randn([8, seq, h], { seed: 2 }), mse);
    const model: dist.ModelConfig = { ...config(2), ffn, layerKind: "ffn" };
    expect(mlps().numParameters()).toBe(dist.resolveModel(model).parameters);
    const p = dist.plan(model, plannerCluster(1, 4), { tp: 1, pp: 1, dp: 4, microbatch: 2, globalBatch: 8, overlapGradReduce: false }, sim);
    close(p.time.step, r.time);
    close(p.comm.dpExposed, r.exposedComm);
    expect(state(p.memory)).toEqual(state(c.devices[0].memory));
    expect(p.memory.activations).toBe(r.activationBytes[0]);
  });

  for (const stage of [0, 1, 2, 3] as const) {
    it(`ZeRO-${stage}: step time and memory at the step's peak`, () => {
      const c = dist.cluster({ devicesPerNode: 4 });
      const z = new dist.ZeRO(stack(2), c.devices, { stage, lr: 1e-3 });
      const r = z.step(randn([8, seq, h], { seed: 1 }), randn([8, seq, h], { seed: 2 }), mse);
      const p = dist.plan(config(2), plannerCluster(1, 4), { tp: 1, pp: 1, dp: 4, microbatch: 2, globalBatch: 8, zero: stage, overlapGradReduce: false }, sim);
      close(p.time.step, r.time);
      expect(state(p.memory)).toEqual(state(r.memory));
      expect(p.memory.activations).toBe(r.memory.activations);
    });
  }

  for (const [schedule, v] of [
    ["gpipe", 1],
    ["1f1b", 1],
    ["interleaved", 2],
  ] as const) {
    it(`pipeline ${schedule}: step time, bubble, model state and activations per stage`, () => {
      const p = 4,
        m = 4,
        b = 2;
      const layers = p * v;
      const c = dist.cluster({ devicesPerNode: 4 });
      const make = stack(layers)();
      const stages = make.children() as nn.Module[];
      const pipe = new dist.Pipeline(stages, c.devices, { schedule, microbatches: m, chunks: v, optimizer: (ps) => optim.adam(ps) });
      const r = pipe.step(randn([m * b, seq, h], { seed: 1 }), randn([m * b, seq, h], { seed: 2 }), mse);
      const plan = dist.plan(
        config(layers),
        plannerCluster(1, 4),
        { tp: 1, pp: p, dp: 1, microbatch: b, globalBatch: m * b, interleave: v, schedule: schedule === "gpipe" ? "gpipe" : "1f1b" },
        sim,
      );
      close(plan.time.step - plan.time.optimizer, r.time);
      close(plan.time.bubble / plan.time.pipeline, r.bubble);
      plan.memoryByStage.forEach((mem, d) => {
        expect(state(mem)).toEqual(state(c.devices[d].memory));
        expect(mem.activations).toBe(r.activationBytes[d]);
      });
    });
  }

  // Megatron's blocks of `layers` transformer layers, split over t ranks (an attention block and an MLP block each).
  const megatronBlocks = (layers: number, a: number, t: number) =>
    (nn.sequential(...Array.from({ length: layers }, (_, i) => nn.transformerBlock(h, a, { seed: 10 + i }))).children() as nn.TransformerBlock[]).flatMap(
      (blk) => [
        { ln: dist.replicatedLayerNorm(blk.ln1), inner: dist.ParallelAttention.fromAttention(blk.attn, t), residual: true },
        {
          ln: dist.replicatedLayerNorm(blk.ln2),
          inner: dist.ParallelMLP.fromLinears(blk.mlp.children()[0] as nn.Linear, blk.mlp.children()[2] as nn.Linear, t),
          residual: true,
        },
      ],
    );

  for (const [t, a, sp] of [
    [2, 2, false],
    [4, 4, false],
    [2, 2, true],
    [4, 4, true],
  ] as const) {
    it(`tensor parallel (Megatron, ${t} ranks, ${a} heads${sp ? ", sequence parallel" : ""}): step time, model state and activations`, () => {
      const c = dist.cluster({ devicesPerNode: t });
      const tp = new dist.TensorParallel(megatronBlocks(2, a, t), c.devices, { optimizer: (ps) => optim.adam(ps), sequenceParallel: sp });
      const r = tp.step(randn([4, seq, h], { seed: 1 }), randn([4, seq, h], { seed: 2 }), mse);
      const p = dist.plan({ ...config(2), heads: a }, plannerCluster(1, t), { tp: t, pp: 1, dp: 1, microbatch: 4, globalBatch: 4, sequenceParallel: sp }, sim);
      close(p.time.step - p.time.optimizer, r.time);
      for (const d of c.devices) expect(state(p.memory)).toEqual(state(d.memory));
      for (const bytes of r.activationBytes) expect(p.memory.activations).toBe(bytes);
    });
  }

  it("tensor parallel with sequence parallelism on a stack of GeLU MLPs (layerKind 'ffn'): step time and activations", () => {
    const t = 2,
      ffn = 4 * h;
    const c = dist.cluster({ devicesPerNode: t });
    const blocks = Array.from({ length: 2 }, (_, i) => ({
      inner: dist.ParallelMLP.fromLinears(nn.linear(h, ffn, { seed: 40 + i }), nn.linear(ffn, h, { seed: 50 + i }), t),
      residual: false,
    }));
    const tp = new dist.TensorParallel(blocks, c.devices, { optimizer: (ps) => optim.adam(ps), sequenceParallel: true });
    const r = tp.step(randn([4, seq, h], { seed: 1 }), randn([4, seq, h], { seed: 2 }), mse);
    const model: dist.ModelConfig = { ...config(2), ffn, layerKind: "ffn" };
    const p = dist.plan(model, plannerCluster(1, t), { tp: t, pp: 1, dp: 1, microbatch: 4, globalBatch: 4, sequenceParallel: true }, sim);
    close(p.time.step - p.time.optimizer, r.time);
    for (const d of c.devices) expect(state(p.memory)).toEqual(state(d.memory));
    for (const bytes of r.activationBytes) expect(p.memory.activations).toBe(bytes);
  });

  it("hybrid 3D (dp 2 × pp 2 × tp 2 on two nodes): step time, model state and activations per stage", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
    const hy = new dist.Hybrid3D((t) => megatronBlocks(2, heads, t), c.devices, { dp: 2, pp: 2, tp: 2, microbatches: 2, optimizer: (ps) => optim.adam(ps) });
    const r = hy.step(randn([8, seq, h], { seed: 1 }), randn([8, seq, h], { seed: 2 }), mse);
    const p = dist.plan(config(2), plannerCluster(2, 4), { tp: 2, pp: 2, dp: 2, microbatch: 2, globalBatch: 8, overlapGradReduce: false }, sim);
    close(p.time.step - p.time.optimizer, r.time);
    close(p.time.bubble / p.time.pipeline, r.bubble);
    for (let s = 0; s < 2; s++) {
      expect(state(p.memoryByStage[s])).toEqual(state(hy.device(0, s, 0).memory));
      for (let d = 0; d < 2; d++)
        for (let k = 0; k < 2; k++) expect(p.memoryByStage[s].activations).toBe(r.activationBytes[hy.devices.indexOf(hy.device(d, s, k))]);
    }
  });

  // The real MoE layer runs E·C slots whatever the routing: no padding (factor 1), padding (1.25), drops (0.5), two experts a device;
  // top-2 sends each token to two experts (C = ⌈f·T·2/E⌉) and keeps per choice a gate weight, a dispatch matrix and a combined output.
  for (const [E, p, cf, k] of [
    [4, 4, 1, 1],
    [4, 4, 1.25, 1],
    [4, 4, 0.5, 1],
    [8, 4, 1, 1],
    [4, 4, 1, 2],
    [4, 4, 1.25, 2],
    [4, 4, 0.5, 2],
    [8, 4, 1, 2],
    [8, 4, 1.25, 3],
  ] as const) {
    it(`MoE expert parallel (top-${k}, ${E} experts on ${p} devices, capacity factor ${cf}): step time, compute, exposed communication, memory`, () => {
      const ffn = 4 * h;
      const c = dist.cluster({ devicesPerNode: p });
      const gate = nn.linear(h, E, { seed: 20, bias: false });
      const experts = Array.from({ length: E }, (_, e) => nn.sequential(nn.linear(h, ffn, { seed: 30 + e }), nn.gelu(), nn.linear(ffn, h, { seed: 60 + e })));
      const moe = new dist.ExpertParallelMoE(gate, experts, c.devices, { capacityFactor: cf, topK: k, optimizer: (ps) => optim.adam(ps) });
      // seq tokens per device: one sequence each.
      const r = moe.step(randn([p * seq, h], { seed: 1 }), randn([p * seq, h], { seed: 2 }), mse);
      const model: dist.ModelConfig = {
        name: "tiny-moe",
        family: "gpt",
        layers: 1,
        hidden: h,
        heads,
        vocab: 0,
        seq,
        ffn,
        experts: E,
        topK: k,
        capacityFactor: cf,
        layerKind: "ffn",
      };
      const plan = dist.plan(model, plannerCluster(1, p), { tp: 1, pp: 1, dp: p, ep: p, microbatch: 1, globalBatch: p, overlapGradReduce: false }, sim);
      expect(dist.expertSlots(plan.model, seq)).toBe(E * r.capacity);
      close(plan.time.step, r.time);
      close(plan.comm.dpExposed, r.exposedComm);
      for (const d of c.devices) {
        const mine = r.timeline.activities.filter((a) => a.device === d.id);
        const sum = (keep: (a: (typeof mine)[number]) => boolean) => mine.filter(keep).reduce((s, a) => s + a.t1 - a.t0, 0);
        close(
          plan.time.compute,
          sum((a) => a.kind === "compute" && a.label !== "optimizer step"),
        );
        close(
          plan.time.optimizer,
          sum((a) => a.label === "optimizer step"),
        );
        close(
          plan.time.exposedComm,
          sum((a) => a.kind === "comm"),
        );
        close(
          plan.comm.ep,
          sum((a) => a.kind === "comm" && a.label.startsWith("allToAll")),
        );
        expect(state(plan.memory)).toEqual(state(d.memory));
      }
      for (const bytes of r.activationBytes) expect(plan.memory.activations).toBe(bytes);
    });
  }
});
