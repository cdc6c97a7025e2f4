/**
 * `dist.searchPlans(model, cluster, { globalBatch })`: the course's "automatic parallelism" at full
 * size. Enumerate tensor × pipeline × data parallel splits with microbatch size, ZeRO stage,
 * recomputation, interleaving (and expert parallelism for MoE), keep what fits in memory, rank by
 * step time, and say why the others lose: a broken divisibility rule, out of memory by how much, or —
 * for the plans that fit — what their time goes to beyond compute (pipeline bubble, exposed
 * communication, recomputation). Ranking uses the pipeline's closed form (every plan costs
 * microseconds); the leaders are then re-costed with the exact pipeline clock and re-ranked.
 * @module
 */
import type { ZeroStage } from "../strategies/zero";
import { costResolved, type PlanResult } from "./cost";
import { DEFAULT_EFFICIENCY, type Efficiency } from "./efficiency";
import { resolveModel, type ModelConfig, type ResolvedModel } from "./model";
import { checkPlan, type Plan, type Recompute } from "./plan";
import { modelConfig, type ModelPresetName, type PlannerCluster } from "./presets";

/**
 * What to search over. Every list has a default; `globalBatch` is required.
 * @example dist.searchPlans("gpt3-175b", dist.dgxA100(128), { globalBatch: 1536, recompute: ["selective", "full"] })
 */
export interface SearchOptions {
  globalBatch: number;
  /** Tensor-parallel degrees (default: powers of two up to the devices per node). */
  tp?: number[];
  /** Pipeline depths (default: every divisor of the layer count that divides the devices). */
  pp?: number[];
  /** Microbatch sizes (default 1, 2, 4, 8). */
  microbatch?: number[];
  /** ZeRO stages (default 0 and 1; 2 and 3 only without pipeline parallelism, as DeepSpeed allows). */
  zero?: ZeroStage[];
  /** Recomputation (default all three). */
  recompute?: Recompute[];
  /** Interleaving (default 1, 2, 4 when pp > 1). */
  interleave?: number[];
  /** Expert-parallel degrees for MoE models (default: every divisor of the expert count). */
  ep?: number[];
  /** Sequence parallelism whenever tp > 1 (default true, as Megatron-LM recommends). */
  sequenceParallel?: boolean;
  precision?: Plan["precision"];
  overlapGradReduce?: boolean;
  efficiency?: Efficiency;
  /** How many ranked plans to return (default 20). */
  limit?: number;
}

/**
 * A plan that fits, with what its step time goes to.
 * @example const [best] = dist.searchPlans(m, c, { globalBatch: 1024 }).ranked; best.result.time.step
 */
export interface RankedPlan {
  plan: Plan;
  result: PlanResult;
  /** Its biggest cost beyond useful compute, e.g. "bubble 12.3 % of the step". */
  limiter: string;
  /** Step time relative to the best plan (1 for the best). */
  slowdown: number;
}

/**
 * A plan that cannot run, and why.
 * @example dist.searchPlans(m, c, { globalBatch: 1024 }).rejected.filter((r) => r.kind === "out of memory")
 */
export interface RejectedPlan {
  plan: Plan;
  kind: "invalid" | "out of memory";
  /** The rule broken, or the memory needed against the capacity. */
  reason: string;
  /** Bytes past the device's capacity (out of memory only). */
  overflow?: number;
}

/**
 * The search's answer.
 * @example const s = dist.searchPlans("llama3-70b", dist.dgxH100(64), { globalBatch: 512 }); s.best?.plan
 */
export interface SearchResult {
  /** The fastest plan that fits (null when none does). */
  best: RankedPlan | null;
  /** Plans that fit, fastest first (up to `limit`). */
  ranked: RankedPlan[];
  /** Every plan that cannot run, with its reason. */
  rejected: RejectedPlan[];
  counts: { considered: number; invalid: number; outOfMemory: number; fits: number };
}

const GiB = 2 ** 30;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** What a fitting plan's time goes to beyond useful compute: the largest of bubble, exposed communication and recomputation. */
function limiterOf(r: PlanResult): string {
  const step = r.time.step;
  const recompute = r.work.layer.time.recompute * r.plan.microbatches * r.plan.layersPerChunk * r.plan.interleave;
  const terms: [string, number][] = [
    ["pipeline bubble", r.time.bubble],
    ["exposed communication", r.time.exposedComm],
    ["recomputation", recompute],
    ["optimizer step", r.time.optimizer],
  ];
  terms.sort((a, b) => b[1] - a[1]);
  return `${terms[0][0]} ${pct(terms[0][1] / step)} of the step`;
}

const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

/**
 * Search the plans of a model on a cluster for a global batch (see the module header).
 * @example
 * const s = dist.searchPlans("gpt3-175b", dist.dgxA100(128), { globalBatch: 1536 });
 * s.best?.plan; s.ranked.map((r) => r.limiter); s.rejected.slice(0, 5).map((r) => r.reason)
 */
export function searchPlans(model: ModelPresetName | ModelConfig | ResolvedModel, cluster: PlannerCluster, o: SearchOptions): SearchResult {
  const m = typeof model === "object" && "parameters" in model ? model : resolveModel(modelConfig(model));
  const n = cluster.nodes * cluster.devicesPerNode;
  const eff = o.efficiency ?? DEFAULT_EFFICIENCY;
  const tps = o.tp ?? [1, 2, 4, 8, 16, 32, 64].filter((t) => t <= cluster.devicesPerNode && n % t === 0);
  const pps = o.pp ?? divisors(m.layers).filter((p) => n % p === 0);
  const mbs = o.microbatch ?? [1, 2, 4, 8];
  const zeros = o.zero ?? [0, 1, 2, 3];
  const recomputes = o.recompute ?? ["none", "selective", "full"];
  const eps = m.experts > 0 ? (o.ep ?? divisors(m.experts)) : [1];
  const rejected: RejectedPlan[] = [];
  const fits: { plan: Plan; result: PlanResult }[] = [];
  let considered = 0;
  for (const tp of tps)
    for (const pp of pps) {
      if (n % (tp * pp) !== 0) continue;
      const dp = n / (tp * pp);
      for (const v of pp > 1 ? (o.interleave ?? [1, 2, 4]) : [1])
        for (const microbatch of mbs)
          for (const zero of zeros)
            for (const recompute of recomputes)
              for (const ep of eps) {
                const plan: Plan = {
                  tp,
                  pp,
                  dp,
                  microbatch,
                  globalBatch: o.globalBatch,
                  zero,
                  recompute,
                  interleave: v,
                  ep,
                  sequenceParallel: (o.sequenceParallel ?? true) && tp > 1,
                  precision: o.precision,
                  overlapGradReduce: o.overlapGradReduce,
                };
                considered++;
                if (pp > 1 && zero >= 2 && o.zero === undefined) {
                  rejected.push({
                    plan,
                    kind: "invalid",
                    reason: `ZeRO-${zero} shards gradients, which pipeline parallelism accumulates over microbatches (DeepSpeed allows stage ≤ 1 with pp > 1)`,
                  });
                  continue;
                }
                const r = checkPlan(m, cluster, plan);
                if (typeof r === "string") {
                  rejected.push({ plan, kind: "invalid", reason: r });
                  continue;
                }
                const result = costResolved(m, cluster, r, eff, { pipeline: "closed-form" });
                if (!result.memory.fits) {
                  const mem = result.memory;
                  rejected.push({
                    plan,
                    kind: "out of memory",
                    reason: `needs ${(mem.total / GiB).toFixed(1)} GiB of ${(mem.capacity / GiB).toFixed(0)} GiB (${(mem.overflow / GiB).toFixed(1)} GiB over: parameters ${(mem.parameters / GiB).toFixed(1)}, gradients ${(mem.gradients / GiB).toFixed(1)}, optimizer ${(mem.optimizer / GiB).toFixed(1)}, activations ${(mem.activations / GiB).toFixed(1)})`,
                    overflow: mem.overflow,
                  });
                  continue;
                }
                fits.push({ plan, result });
              }
    }
  fits.sort((a, b) => a.result.time.step - b.result.time.step);
  const limit = o.limit ?? 20;
  // Re-cost the leaders with the exact pipeline clock, then rank them again.
  const leaders = fits.slice(0, Math.max(limit, 1) * 2).map((f) => {
    const r = checkPlan(m, cluster, f.plan);
    return { plan: f.plan, result: typeof r === "string" ? f.result : costResolved(m, cluster, r, eff) };
  });
  leaders.sort((a, b) => a.result.time.step - b.result.time.step);
  const bestStep = leaders[0]?.result.time.step ?? 1;
  const ranked = leaders
    .slice(0, limit)
    .map((f) => ({ plan: f.plan, result: f.result, limiter: limiterOf(f.result), slowdown: f.result.time.step / bestStep }));
  return {
    best: ranked[0] ?? null,
    ranked,
    rejected,
    counts: {
      considered,
      invalid: rejected.filter((r) => r.kind === "invalid").length,
      outOfMemory: rejected.filter((r) => r.kind === "out of memory").length,
      fits: fits.length,
    },
  };
}
