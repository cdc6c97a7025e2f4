/**
 * The simulated cluster, from the library's `comm` events: the latest topology, the latest
 * collectives with their transfers (typed-array columns, kept as they arrive), and the latest
 * parallel run of each strategy with its per-device timeline and memory. The Cluster panel
 * renders this store; it never sees the library itself.
 * @module
 */
import type { CommEvent } from "../../lib/events";

/** A `comm` event. */
export type ClusterEvent = CommEvent;
/** The topology (a `comm` event of phase "cluster"). */
export type TopologyInfo = Extract<CommEvent, { phase: "cluster" }>;
/** One collective with its transfers. */
export type CollectiveInfo = Extract<CommEvent, { phase: "collective" }> & {
  /** Order of arrival in this run (stable key for lists). */
  seq: number;
};
/** One parallel run (a training step of a strategy). */
export type RunInfo = Extract<CommEvent, { phase: "run" }> & { seq: number };

/** Collectives kept: a training loop emits one per bucket per step; the panel shows the newest. */
export const MAX_COLLECTIVES = 24;
/** Runs kept (the newest of each strategy, so GPipe and 1F1B can be compared side by side). */
export const MAX_RUNS = 8;

/** The Cluster panel's data. Updated in batches (one assignment per field per batch). */
export class ClusterStore {
  topology = $state.raw<TopologyInfo | null>(null);
  /** Oldest first; at most {@link MAX_COLLECTIVES}. */
  collectives = $state.raw<CollectiveInfo[]>([]);
  /** The newest run of each strategy, oldest first; at most {@link MAX_RUNS}. */
  runs = $state.raw<RunInfo[]>([]);
  /** Every collective seen in this run, including those no longer kept. */
  collectiveCount = $state(0);
  runCount = $state(0);
  private seq = 0;

  /** Device capacity by id (bytes), from the topology. */
  capacity = $derived(new Map((this.topology?.devices ?? []).map((d) => [d.id, d.memoryCapacity])));

  /** Apply a batch of events in order. */
  addAll(events: readonly ClusterEvent[]): void {
    let topology = this.topology, collectives = this.collectives, runs = this.runs;
    let nColl = this.collectiveCount, nRuns = this.runCount;
    for (const e of events) {
      if (e.phase === "cluster") topology = e;
      else if (e.phase === "collective") {
        if (collectives === this.collectives) collectives = [...collectives];
        collectives.push({ ...e, seq: this.seq++ });
        nColl++;
      } else if (e.phase === "run") {
        // Keep the newest of each strategy: a loop of 100 steps shows its last one.
        runs = runs.filter((r) => r.strategy !== e.strategy);
        runs.push({ ...e, seq: this.seq++ });
        nRuns++;
      }
    }
    if (collectives.length > MAX_COLLECTIVES) collectives = collectives.slice(-MAX_COLLECTIVES);
    if (runs.length > MAX_RUNS) runs = runs.slice(-MAX_RUNS);
    this.topology = topology;
    this.collectives = collectives;
    this.runs = runs;
    this.collectiveCount = nColl;
    this.runCount = nRuns;
  }

  /** Forget everything (a new run starts). */
  clear(): void {
    this.topology = null;
    this.collectives = [];
    this.runs = [];
    this.collectiveCount = 0;
    this.runCount = 0;
    this.seq = 0;
  }
}
