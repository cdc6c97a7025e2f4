/**
 * What the planner worker computes, as plain functions of the wire types (so the unit tests run it
 * in Node): the catalogue of presets, a costed plan with its memory, timeline and engine hand-off, a
 * search, and a step's Perfetto trace. Every answer is data the page can show as it is; a plan the
 * library refuses comes back with the library's reason instead of an exception.
 * @module
 */
import {
  MODEL_PRESETS,
  deepspeedConfig,
  dgxA100,
  dgxH100,
  megatronArgs,
  plan as costPlan,
  planTimeline,
  planTrace,
  resolveModel,
  searchPlans,
  tpuTorus,
  type PlanResult,
} from "../lib/cluster/planner";
import type { PlanMemory } from "../lib/cluster/planner/cost";
import type { Activity } from "../schema/events";
import type { PlannerCatalogue, PlannerHandoff, PlannerInputs, PlannerMemory, PlannerOutcome, PlannerPlan, PlannerSearch } from "../schema/planner";

/** The model presets and one node of each cluster preset. */
export function plannerCatalogue(): PlannerCatalogue {
  const models = Object.values(MODEL_PRESETS).map((c) => {
    const m = resolveModel(c);
    const { name, family, layers, hidden, heads, kvHeads, ffn, vocab, seq, experts, topK, parameters } = m;
    return { name, family, layers, hidden, heads, kvHeads, ffn, vocab, seq, experts, topK, parameters };
  });
  return {
    models,
    clusters: [
      { id: "dgx-a100", node: dgxA100(1) },
      { id: "dgx-h100", node: dgxH100(1) },
      { id: "tpu-torus", node: tpuTorus(4) },
    ],
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const memoryOf = (m: PlanMemory): PlannerMemory => ({
  parameters: m.parameters,
  gradients: m.gradients,
  optimizer: m.optimizer,
  activations: m.activations,
  buffers: m.buffers,
  total: m.total,
  capacity: m.capacity,
  fits: m.fits,
});

/** Intervals a plan's step timeline has: compute and communication per pipeline op, plus the tail per stage. */
export function timelineSize(r: PlanResult): number {
  return 4 * r.plan.microbatches * r.plan.interleave * r.plan.pp + 2 * r.plan.pp;
}

const GiB = 2 ** 30;
/** The planner's memory and time, as comment lines beside an engine's configuration. */
function besides(r: PlanResult): string[] {
  const m = r.memory;
  return [
    `webgrad planner: ${r.model.name} on ${r.cluster.name}, tp ${r.plan.tp} · pp ${r.plan.pp} · dp ${r.plan.dp}`,
    `memory per GPU ${(m.total / GiB).toFixed(1)} GiB of ${(m.capacity / GiB).toFixed(0)} GiB (parameters ${(m.parameters / GiB).toFixed(1)}, gradients ${(m.gradients / GiB).toFixed(1)}, optimizer ${(m.optimizer / GiB).toFixed(1)}, activations ${(m.activations / GiB).toFixed(1)})`,
    `step ${r.time.step.toFixed(3)} s (compute ${r.time.compute.toFixed(3)}, exposed communication ${r.time.exposedComm.toFixed(3)}, bubble ${r.time.bubble.toFixed(3)}), ${Math.round(r.tokensPerSecond)} tokens/s, MFU ${(r.mfu * 100).toFixed(1)} %`,
  ];
}

/** Megatron-LM's launch line for a plan, with the planner's figures as comments above it. */
function megatron(r: PlanResult): PlannerHandoff {
  try {
    const { args, notes } = megatronArgs(r);
    const lines = [...besides(r).map((l) => `# ${l}`), ...notes.map((n) => `# note: ${n}`)];
    const cmd = [`torchrun --nnodes ${r.cluster.nodes} --nproc-per-node ${r.cluster.devicesPerNode} pretrain_gpt.py`];
    for (let i = 0; i < args.length; i++) cmd.push(args[i + 1] !== undefined && !args[i + 1].startsWith("--") ? `${args[i]} ${args[++i]}` : args[i]);
    return { ok: true, text: [...lines, cmd.join(" \\\n  ")].join("\n") + "\n", notes };
  } catch (e) {
    return { ok: false, reason: message(e) };
  }
}

/** DeepSpeed's JSON config for a plan (JSON has no comments: the figures go in `notes`). */
function deepspeed(r: PlanResult): PlannerHandoff {
  try {
    const { config, notes } = deepspeedConfig(r);
    return { ok: true, text: JSON.stringify(config, null, 2) + "\n", notes: [...besides(r), ...notes] };
  } catch (e) {
    return { ok: false, reason: message(e) };
  }
}

/** A costed plan, or the library's reason it cannot run. */
export function costOutcome(inputs: PlannerInputs, timelineLimit: number): PlannerOutcome {
  let r: PlanResult;
  try {
    r = costPlan(inputs.model, inputs.cluster, inputs.plan);
  } catch (e) {
    return { ok: false, reason: message(e) };
  }
  let worstStage = 0;
  r.memoryByStage.forEach((m, i) => {
    if (m.total > r.memoryByStage[worstStage].total) worstStage = i;
  });
  const size = timelineSize(r);
  let timeline: { devices: number[]; activities: Activity[] } | null = null;
  if (size <= timelineLimit) {
    const tl = planTimeline(r);
    timeline = { devices: tl.devices, activities: tl.activities };
  }
  return {
    ok: true,
    figures: {
      step: r.time.step,
      compute: r.time.compute,
      exposedComm: r.time.exposedComm,
      bubble: r.time.bubble,
      optimizer: r.time.optimizer,
      tokensPerSecond: r.tokensPerSecond,
      mfu: r.mfu,
      flopsPerDevice: r.flopsPerDevice,
      microbatches: r.plan.microbatches,
      devices: r.plan.devices,
      parameters: r.model.parameters,
      worstStage,
      memory: memoryOf(r.memory),
    },
    memoryByStage: r.memoryByStage.map(memoryOf),
    timeline,
    timelineSize: size,
    megatron: megatron(r),
    deepspeed: deepspeed(r),
  };
}

const plainPlan = (p: PlannerPlan): PlannerPlan => JSON.parse(JSON.stringify(p)) as PlannerPlan;

/** The ranked plans for the inputs' model, cluster and global batch, and a few rejections with their reasons. */
export function searchOutcome(inputs: PlannerInputs, limit: number): PlannerSearch {
  const s = searchPlans(inputs.model, inputs.cluster, {
    globalBatch: inputs.plan.globalBatch,
    microbatch: [1, 2, 4],
    precision: inputs.plan.precision,
    limit,
  });
  const oom = s.rejected.filter((r) => r.kind === "out of memory").sort((a, b) => (a.overflow ?? 0) - (b.overflow ?? 0));
  const invalid = s.rejected.filter((r) => r.kind === "invalid");
  return {
    ranked: s.ranked.map((r) => ({
      plan: plainPlan(r.plan as PlannerPlan),
      step: r.result.time.step,
      mfu: r.result.mfu,
      memory: r.result.memory.total,
      limiter: r.limiter,
      slowdown: r.slowdown,
    })),
    counts: s.counts,
    rejected: [...oom.slice(0, 3), ...invalid.slice(0, 2)].map((r) => ({ plan: plainPlan(r.plan as PlannerPlan), reason: r.reason })),
  };
}

/** One step of the plan as Chrome Trace Event JSON (throws the library's error for an invalid plan). */
export function traceJson(inputs: PlannerInputs): string {
  return JSON.stringify(planTrace(costPlan(inputs.model, inputs.cluster, inputs.plan)));
}
