/**
 * The Graph panel's data: every function `jit` traced in the run (one entry per trace, so a
 * retrace appears again with its reason), each with the traced graph and the graph after each
 * pass of the pipeline, from the library's `graph` events.
 * @module
 */
import type { FusedKernels, GraphEvent, GraphScheduleInfo, GraphStageInfo } from "../../schema/events";

export type { FusedKernels, GraphEvent, GraphScheduleInfo };

/** One stage of the pipeline: the traced graph or the graph after one pass. */
export type GraphStage = GraphStageInfo;

/** One trace of a jit function. */
export interface TracedFunction {
  /** Position in the run (0-based): also the key of this trace. */
  index: number;
  name: string;
  /** Why it traced again ("arg0: float32[2] → float32[3]", "arg1.lr: 0.1 → 0.01"), when it had traced before. */
  reason?: string;
  /** What the trace keyed and baked in (closure values, captured tensors): see jit's TSDoc. */
  baked?: string[];
  /** With autograph: the converted source that was traced. */
  autograph?: string;
  /** The traced graph first, then one stage per pass. */
  stages: GraphStage[];
  /** The WGSL of each fused node's kernel(s), as WebGPU's codegen writes it. */
  kernels: FusedKernels;
  /** How the optimized graph can be scheduled (orders, streams, memory plan); absent for big graphs. */
  schedule?: GraphScheduleInfo;
  /** What a later call must match to reuse this trace. */
  guards?: string[];
  /** How many times the jit function had traced, this trace included. */
  traceCount?: number;
}

/** Traces kept per run: a loop that retraces every step must not fill memory. */
export const MAX_TRACES = 100;

/** The traced functions of the latest run. Updated in batches (one assignment per batch). */
export class GraphStore {
  functions = $state.raw<TracedFunction[]>([]);
  /** Traces not kept because the run traced more than {@link MAX_TRACES}. */
  dropped = $state(0);
  /** Bumped on every clear: layouts cached for an earlier run must not be reused. */
  runSerial = $state(0);

  /** Apply a batch of events in order. */
  addAll(events: readonly GraphEvent[]): void {
    const added: TracedFunction[] = [];
    let dropped = 0;
    for (const e of events) {
      if (e.phase !== "compiled") continue;
      if (this.functions.length + added.length >= MAX_TRACES) {
        dropped++;
        continue;
      }
      added.push({
        index: this.functions.length + added.length,
        name: e.name,
        reason: e.reason,
        baked: e.baked,
        autograph: e.autograph,
        stages: e.stages,
        kernels: e.kernels ?? { byNode: {}, sources: {}, notes: {} },
        schedule: e.schedule,
        guards: e.guards,
        traceCount: e.traceCount,
      });
    }
    if (added.length) this.functions = [...this.functions, ...added];
    if (dropped) this.dropped += dropped;
  }

  clear(): void {
    this.functions = [];
    this.dropped = 0;
    this.runSerial++;
  }
}
