/**
 * The timeline of one planned step, in the cluster's own format (`dist.RunTimeline`), so the Cluster
 * panel can draw it and `dist.toChromeTrace` exports it for Perfetto: one device per pipeline stage
 * (data-parallel replica 0, tensor-parallel rank 0; the others run the same), each forward and backward
 * of a microbatch as compute followed by its tensor/expert-parallel collectives, then the
 * data-parallel gradient reduction and the optimizer step. Built on request only (a 1T-parameter plan
 * has 65 536 pipeline ops), never while re-costing.
 * @module
 */
import { MEMORY_CATEGORIES, type MemoryByCategory } from "../device";
import { RunTimeline, toChromeTrace, type ChromeTrace } from "../timeline";
import type { PlanResult } from "./cost";
import { pipelineClock } from "./pipeline-clock";

/**
 * One step of a costed plan as a timeline (device ids are global ranks in Megatron-LM's order).
 * @example
 * const r = dist.plan("gpt3-175b", dist.dgxA100(128), { tp: 8, pp: 8, dp: 16, microbatch: 1, globalBatch: 1536 });
 * const json = JSON.stringify(dist.toChromeTrace(dist.planTimeline(r), { memory: r.memoryByStage.map((m, d) => ({ device: d * 8 * 16, memory: m })) }));
 */
export function planTimeline(r: PlanResult): RunTimeline {
  const { tp, pp, dp, interleave: v, microbatches: m } = r.plan;
  const rank = (d: number) => d * tp * dp;
  const tl = new RunTimeline(Array.from({ length: pp }, (_, d) => rank(d)));
  const { forward, backward, sendUp, sendDown, commForward, commBackward } = r.stages;
  const schedule = v > 1 ? "interleaved" : r.plan.schedule;
  const clock = pipelineClock(schedule, pp, m, v, forward, backward, (a, b) => (b > a ? sendUp[b] : sendDown[b]), true);
  for (const [d, s, micro, isBackward, t0, t1] of clock.intervals!) {
    const label = `${isBackward ? "B" : "F"}${micro}${v > 1 ? `.${Math.floor(s / pp)}` : ""}`;
    // The op's compute, then its tensor/expert-parallel collectives (Megatron-LM runs them in line).
    const mid = Math.max(t0, t1 - (isBackward ? commBackward : commForward));
    tl.add(rank(d), "compute", t0, mid, label);
    tl.add(rank(d), "comm", mid, t1, `${label} tensor/expert-parallel collectives`);
  }
  const end = r.time.pipeline;
  for (let d = 0; d < pp; d++) {
    const exposed = r.comm.dpExposed;
    if (exposed > 0) tl.add(rank(d), "comm", end, end + exposed, `data-parallel gradient reduction (ZeRO-${r.plan.zero})`);
    if (r.time.optimizer > 0) tl.add(rank(d), "compute", end + exposed, end + exposed + r.time.optimizer, "optimizer step");
  }
  return tl;
}

/**
 * One planned step as Chrome Trace Event JSON (open it in Perfetto or chrome://tracing), with each
 * stage's memory by category in the trace's metadata.
 * @example const json = JSON.stringify(dist.planTrace(dist.plan("gpt3-13b", dist.dgxA100(4), { tp: 8, pp: 1, dp: 4, microbatch: 1, globalBatch: 64 })));
 */
export function planTrace(r: PlanResult): ChromeTrace {
  const memory = r.memoryByStage.map((m, d) => ({
    device: d * r.plan.tp * r.plan.dp,
    memory: Object.fromEntries(MEMORY_CATEGORIES.map((k) => [k, m[k]])) as MemoryByCategory,
  }));
  return toChromeTrace(planTimeline(r), { memory });
}
