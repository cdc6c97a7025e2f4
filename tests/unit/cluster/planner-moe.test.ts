/**
 * The planner's MoE layer with an expert capacity (GShard, Switch Transformer) beside a dropless one
 * (Mixtral, MegaBlocks), and its feed-forward-only layer kind: each device sends and computes
 * E·⌈f·T·k/E⌉ slots whatever the routing, so at f = 1 with T·k/E whole it costs what dropless does,
 * and above it the allToAlls and the experts' products grow with the padding.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

const mixtral = dist.MODEL_PRESETS["mixtral-8x7b"];
const cluster = dist.dgxH100(8);
const plan: dist.Plan = { tp: 2, pp: 4, dp: 8, ep: 8, microbatch: 1, globalBatch: 64, recompute: "selective" };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("planner: MoE capacity factor and feed-forward layers", () => {
  it("slots per device: tokens·topK dropless, E·⌈f·tokens·topK / E⌉ with a capacity", () => {
    const m = (capacityFactor?: number) => dist.resolveModel({ ...mixtral, capacityFactor });
    expect(dist.expertSlots(m(), 4096)).toBe(8192);
    expect(dist.expertSlots(m(1), 4096)).toBe(8192);
    expect(dist.expertSlots(m(1.25), 4096)).toBe(8 * Math.ceil((1.25 * 4096 * 2) / 8));
    expect(dist.expertSlots(m(1.25), 10)).toBe(8 * 4); // ⌈3.125⌉ = 4 slots per expert: padding
    expect(dist.expertSlots(dist.resolveModel(dist.MODEL_PRESETS["gpt3-175b"]), 2048)).toBe(2048);
    expect(() => dist.resolveModel({ ...mixtral, capacityFactor: -1 })).toThrow(/capacityFactor/);
  });

  it("capacity factor 1 with balanced slots costs what dropless does; 1.25 pays for its padding in the allToAlls and the experts", () => {
    const dropless = dist.plan(mixtral, cluster, plan);
    const one = dist.plan({ ...mixtral, capacityFactor: 1 }, cluster, plan);
    expect(one.time.step).toBe(dropless.time.step);
    expect(one.memory.total).toBe(dropless.memory.total);
    const padded = dist.plan({ ...mixtral, capacityFactor: 1.25 }, cluster, plan);
    const m = padded.model,
      T = mixtral.seq;
    // The expert-parallel allToAlls: four per layer and microbatch (dispatch, combine, both ways), E·C·h bf16 values each.
    const epGroup = dist.groupShape(cluster, 8, 2);
    const a2a = dist.collectiveTime(cluster, "allToAll", epGroup, dist.expertSlots(m, T) * m.hidden * 2, 2);
    const perDevice = padded.plan.microbatches * (m.layers / 4);
    expect(rel(padded.comm.ep, perDevice * 4 * a2a)).toBeLessThan(1e-12);
    expect(padded.comm.ep).toBeGreaterThan(dropless.comm.ep);
    // The experts' products: 2·rows·(3·h·f)/t FLOPs (SwiGLU) on 1.25× the rows.
    const extra = padded.work.layer.flops.forward - dropless.work.layer.flops.forward;
    expect(rel(extra, (2 * (dist.expertSlots(m, T) - T * 2) * 3 * m.hidden * m.ffn) / 2)).toBeLessThan(1e-12);
    expect(padded.memory.activations).toBeGreaterThan(dropless.memory.activations);
  });

  it('layerKind "ffn": the router and experts alone, one tensor-parallel collective pair per layer', () => {
    const whole = dist.resolveModel(mixtral);
    const ffn = dist.resolveModel({ ...mixtral, layerKind: "ffn" });
    expect(ffn.layer.attention).toBe(0);
    expect(ffn.layer.norms).toBe(0);
    expect(ffn.layer.total).toBe(whole.layer.mlp + whole.layer.router);
    const a = dist.plan(mixtral, cluster, plan),
      b = dist.plan({ ...mixtral, layerKind: "ffn" }, cluster, plan);
    expect(rel(b.comm.tp, a.comm.tp / 2)).toBeLessThan(1e-12);
    expect(b.comm.ep).toBe(a.comm.ep);
    expect(b.work.layer.flops.forward).toBeLessThan(a.work.layer.flops.forward);
    expect(() => dist.resolveModel({ ...mixtral, layerKind: "mlp" as never })).toThrow(/layerKind/);
  });
});
