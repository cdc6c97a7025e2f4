/**
 * A parallel plan: how a model is split over a cluster (tensor × pipeline × data parallel, with
 * expert parallelism inside the data-parallel group), the batch, ZeRO stage, activation
 * recomputation, pipeline interleaving and sequence parallelism — the knobs Megatron-LM and
 * DeepSpeed expose. `checkPlan` says why a plan cannot run (a divisibility rule broken) without
 * throwing, so the search can list the reason.
 * @module
 */
import type { ZeroStage } from "../strategies/zero";
import type { PlannerCluster } from "./presets";
import type { ResolvedModel } from "./model";

/**
 * Activation recomputation: "none" keeps every activation; "selective" recomputes the attention
 * core (softmax, its dropout, attention over V) in backward (Korthikanti et al. 2022); "full" keeps
 * only each layer's input and reruns the whole layer forward in backward.
 * @example const r: dist.Recompute = "selective";
 */
export type Recompute = "none" | "selective" | "full";

/**
 * A plan. tp · pp · dp must equal the cluster's device count.
 * @example const p: dist.Plan = { tp: 8, pp: 16, dp: 8, microbatch: 1, globalBatch: 1536, recompute: "selective", sequenceParallel: true, interleave: 2 };
 */
export interface Plan {
  /** Tensor-parallel degree (Megatron: heads and MLP columns split; ranks adjacent, inside a node). */
  tp: number;
  /** Pipeline stages. */
  pp: number;
  /** Data-parallel replicas. */
  dp: number;
  /** Sequences per microbatch. */
  microbatch: number;
  /** Sequences per step (all replicas). */
  globalBatch: number;
  /** ZeRO stage over the data-parallel group (default 0; Megatron's distributed optimizer is stage 1). */
  zero?: ZeroStage;
  /** Activation recomputation (default "none"). */
  recompute?: Recompute;
  /** Model chunks per pipeline device (interleaved 1F1B when > 1; default 1). */
  interleave?: number;
  /** Megatron sequence parallelism: norms and dropout split along the sequence; all-reduces become reduce-scatter + all-gather (default false). */
  sequenceParallel?: boolean;
  /** Expert-parallel degree (MoE): experts split over this many ranks of the data-parallel group (default 1). */
  ep?: number;
  /** Pipeline schedule when interleave is 1: "1f1b" (default) or "gpipe". */
  schedule?: "1f1b" | "gpipe";
  /** Overlap the data-parallel gradient reduction with backward (PyTorch DDP; default true). Megatron-LM's 2021 "local" DDP did not. */
  overlapGradReduce?: boolean;
  /** Training precision: "bf16" (default) or "fp16" mixed precision with fp32 master weights, or plain "fp32". */
  precision?: "bf16" | "fp16" | "fp32";
  /** fp32 values per parameter the optimizer keeps (default 2: Adam). */
  optimizerSlots?: number;
}

/**
 * A plan with its defaults filled in and the derived counts.
 * @example dist.plan(model, cluster, p).plan.microbatches
 */
export interface ResolvedPlan extends Required<Plan> {
  /** Microbatches per replica per step: globalBatch / (dp · microbatch). */
  microbatches: number;
  /** Layers per model chunk: layers / (pp · interleave). */
  layersPerChunk: number;
  /** Devices: tp · pp · dp. */
  devices: number;
}

const isPosInt = (v: number) => Number.isInteger(v) && v > 0;

/**
 * Fill in a plan's defaults, or say why it cannot run on this model and cluster (the first rule broken).
 * @example const r = dist.checkPlan(model, cluster, plan); if (typeof r === "string") console.log(r);
 */
export function checkPlan(m: ResolvedModel, c: PlannerCluster, p: Plan): ResolvedPlan | string {
  // The cost model describes one kind of layer; a model whose layers differ is counted, not planned.
  if (!m.uniform)
    return `model "${m.name}" has layers that are not all alike (dense first layers, shared or narrower experts, latent attention): dist.resolveModel counts its parameters, dist.plan cannot cost it`;
  for (const k of ["tp", "pp", "dp", "microbatch", "globalBatch"] as const) if (!isPosInt(p[k])) return `${k} must be a positive integer, got ${p[k]}`;
  const r: ResolvedPlan = {
    tp: p.tp,
    pp: p.pp,
    dp: p.dp,
    microbatch: p.microbatch,
    globalBatch: p.globalBatch,
    zero: p.zero ?? 0,
    recompute: p.recompute ?? "none",
    interleave: p.interleave ?? 1,
    sequenceParallel: p.sequenceParallel ?? false,
    ep: p.ep ?? 1,
    schedule: p.schedule ?? "1f1b",
    overlapGradReduce: p.overlapGradReduce ?? true,
    precision: p.precision ?? "bf16",
    optimizerSlots: p.optimizerSlots ?? 2,
    microbatches: 0,
    layersPerChunk: 0,
    devices: p.tp * p.pp * p.dp,
  };
  const n = c.nodes * c.devicesPerNode;
  if (r.devices !== n) return `tp·pp·dp = ${p.tp}·${p.pp}·${p.dp} = ${r.devices}, but the cluster has ${n} devices`;
  if (![0, 1, 2, 3].includes(r.zero)) return `zero must be 0, 1, 2 or 3, got ${r.zero}`;
  if (!["none", "selective", "full"].includes(r.recompute)) return `recompute must be "none", "selective" or "full", got "${r.recompute}"`;
  if (!["bf16", "fp16", "fp32"].includes(r.precision)) return `precision must be "bf16", "fp16" or "fp32", got "${r.precision}"`;
  if (!isPosInt(r.interleave)) return `interleave must be a positive integer, got ${r.interleave}`;
  if (!isPosInt(r.ep)) return `ep must be a positive integer, got ${r.ep}`;
  if (r.globalBatch % (r.dp * r.microbatch) !== 0) return `globalBatch ${r.globalBatch} is not a multiple of dp·microbatch = ${r.dp * r.microbatch}`;
  r.microbatches = r.globalBatch / (r.dp * r.microbatch);
  if (m.heads % r.tp !== 0) return `${m.heads} heads cannot be split over tp = ${r.tp}`;
  if (m.kvHeads % r.tp !== 0 && r.tp % m.kvHeads !== 0) return `${m.kvHeads} key/value heads cannot be split over tp = ${r.tp}`;
  if (m.ffn % r.tp !== 0) return `the MLP width ${m.ffn} cannot be split over tp = ${r.tp}`;
  if (r.sequenceParallel && m.seq % r.tp !== 0) return `sequence parallelism splits the ${m.seq} positions over tp = ${r.tp}: not a multiple`;
  if (m.layers % (r.pp * r.interleave) !== 0)
    return `${m.layers} layers cannot be cut into pp·interleave = ${r.pp}·${r.interleave} = ${r.pp * r.interleave} equal chunks`;
  r.layersPerChunk = m.layers / (r.pp * r.interleave);
  if (r.interleave > 1 && (r.pp === 1 || r.microbatches % r.pp !== 0))
    return `interleaving needs pp > 1 and the microbatch count (${r.microbatches}) to be a multiple of pp = ${r.pp}`;
  if (r.ep > 1 && m.experts === 0) return `ep = ${r.ep} needs a mixture-of-experts model`;
  if (m.experts > 0 && m.experts % r.ep !== 0) return `${m.experts} experts cannot be split over ep = ${r.ep}`;
  if (r.dp % r.ep !== 0) return `ep = ${r.ep} must divide dp = ${r.dp} (experts are split inside the data-parallel group)`;
  if (!(r.optimizerSlots >= 0)) return `optimizerSlots must be ≥ 0, got ${r.optimizerSlots}`;
  return r;
}
