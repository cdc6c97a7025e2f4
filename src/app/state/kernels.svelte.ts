/**
 * The Kernels panel's data, from the WebGPU backend's `kernel` events: every dispatch of the run
 * (kernel, workgroups, bytes), totals per kernel (count, time, bytes), the WGSL of each pipeline,
 * and GPU memory in use and pooled after each submit. Timings say where they came from: GPU
 * timestamp queries, or the CPU-side time from submit to completion.
 * @module
 */
import type { KernelEvent } from "../../schema/events";

/** One dispatch, in the order the backend queued it. */
export interface DispatchRow {
  /** 0-based position in the run. */
  seq: number;
  kernel: string;
  workgroups: [number, number, number];
  bytes: number;
  /** The submit (0-based) that carried it to the GPU. */
  submit: number;
}

/** Totals for one kernel over the run. */
export interface KernelTotals {
  kernel: string;
  count: number;
  bytes: number;
  /** Milliseconds summed over submits (see {@link KernelStore.timing} for where they come from). */
  ms: number;
}

/** A compiled pipeline: its WGSL and how long compiling took. */
export interface PipelineInfo {
  kernel: string;
  wgsl: string;
  compileMs: number;
}

/** Memory after each submit, as columns for uPlot. */
export interface MemorySeries {
  submit: number[];
  liveBytes: number[];
  pooledBytes: number[];
}

/** Dispatch rows kept per run (totals keep counting past it). */
export const MAX_DISPATCH_ROWS = 200_000;

/** The kernel activity of the latest run. Updated in batches (one assignment per batch). */
export class KernelStore {
  dispatches = $state.raw<DispatchRow[]>([]);
  /** Dispatches counted but not kept as rows (past {@link MAX_DISPATCH_ROWS}). */
  droppedRows = $state(0);
  totals = $state.raw<ReadonlyMap<string, KernelTotals>>(new Map());
  pipelines = $state.raw<ReadonlyMap<string, PipelineInfo>>(new Map());
  memory = $state.raw<MemorySeries>({ submit: [], liveBytes: [], pooledBytes: [] });
  submits = $state(0);
  /** GPU time (or CPU-side time) of all submits, ms. */
  totalMs = $state(0);
  /** Where timings came from: null before the first submit; "cpu" once any submit lacked timestamps. */
  timing = $state<"gpu-timestamp" | "cpu" | null>(null);
  buffersCreated = $state(0);

  /** Totals sorted by time, then count. */
  sortedTotals = $derived([...this.totals.values()].sort((a, b) => b.ms - a.ms || b.count - a.count));
  dispatchCount = $derived(this.dispatches.length + this.droppedRows);

  /** Apply a batch of events in order. */
  addAll(events: readonly KernelEvent[]): void {
    let rows: DispatchRow[] | null = null;
    let totals: Map<string, KernelTotals> | null = null;
    let pipelines: Map<string, PipelineInfo> | null = null;
    let memory: MemorySeries | null = null;
    let submits = this.submits,
      totalMs = this.totalMs,
      timing = this.timing,
      dropped = this.droppedRows,
      created = this.buffersCreated;
    let seq = this.dispatches.length + this.droppedRows;
    const total = (kernel: string): KernelTotals => {
      totals ??= new Map([...this.totals].map(([k, v]) => [k, { ...v }]));
      let t = totals.get(kernel);
      if (!t) totals.set(kernel, (t = { kernel, count: 0, bytes: 0, ms: 0 }));
      return t;
    };
    for (const e of events) {
      if (e.phase === "dispatch") {
        const t = total(e.kernel);
        t.count++;
        t.bytes += e.bytes;
        if ((rows ?? this.dispatches).length < MAX_DISPATCH_ROWS) {
          rows ??= [...this.dispatches];
          rows.push({ seq, kernel: e.kernel, workgroups: e.workgroups, bytes: e.bytes, submit: submits });
        } else dropped++;
        seq++;
      } else if (e.phase === "pipeline") {
        pipelines ??= new Map(this.pipelines);
        pipelines.set(e.kernel, { kernel: e.kernel, wgsl: e.wgsl, compileMs: e.compileMs });
      } else if (e.phase === "submit") {
        for (const [k, ms] of Object.entries(e.kernelMs)) total(k).ms += ms;
        totalMs += e.totalMs;
        timing = timing === "cpu" || e.timing === "cpu" ? "cpu" : "gpu-timestamp";
        memory ??= { submit: [...this.memory.submit], liveBytes: [...this.memory.liveBytes], pooledBytes: [...this.memory.pooledBytes] };
        memory.submit.push(submits);
        memory.liveBytes.push(e.pool.liveBytes);
        memory.pooledBytes.push(e.pool.pooledBytes);
        created = e.pool.buffersCreated;
        submits++;
      }
    }
    if (rows) this.dispatches = rows;
    if (totals) this.totals = totals;
    if (pipelines) this.pipelines = pipelines;
    if (memory) this.memory = memory;
    if (submits !== this.submits) this.submits = submits;
    if (totalMs !== this.totalMs) this.totalMs = totalMs;
    if (timing !== this.timing) this.timing = timing;
    if (dropped !== this.droppedRows) this.droppedRows = dropped;
    if (created !== this.buffersCreated) this.buffersCreated = created;
  }

  clear(): void {
    this.dispatches = [];
    this.droppedRows = 0;
    this.totals = new Map();
    this.pipelines = new Map();
    this.memory = { submit: [], liveBytes: [], pooledBytes: [] };
    this.submits = 0;
    this.totalMs = 0;
    this.timing = null;
    this.buffersCreated = 0;
  }
}
