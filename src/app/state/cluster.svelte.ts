/**
 * The simulated clusters, from the library's `comm` events: the topologies of the newest clusters,
 * the latest collectives with their transfers (typed-array columns, kept as they arrive), and the
 * latest parallel run of each strategy per cluster with its per-device timeline and memory. Every
 * collective and run names its cluster, so it is drawn on its own topology, and forgotten with it.
 * The Cluster panel renders this store; it never sees the library itself.
 * @module
 */
import type { CommEvent, PlanEvent } from "../../schema/events";
import type { PlannerInputs } from "../../schema/planner";

/** A `comm` or `plan` event: what the Cluster panel takes in. */
export type ClusterEvent = CommEvent | PlanEvent;
/** The topology (a `comm` event of phase "cluster"). */
export type TopologyInfo = Extract<CommEvent, { phase: "cluster" }>;
/** One collective with its transfers. */
export type CollectiveInfo = Extract<CommEvent, { phase: "collective" }> & {
  /** Order of arrival in this run (stable key for lists). */
  seq: number;
};
/** One parallel run (a training step of a strategy). */
export type RunInfo = Extract<CommEvent, { phase: "run" }> & { seq: number };

/** Collectives kept per cluster: a training loop emits one per bucket per step; the panel shows the newest. */
export const MAX_COLLECTIVES = 24;
/** Runs kept (the newest of each strategy per cluster, so GPipe and 1F1B can be compared side by side). */
export const MAX_RUNS = 8;
/** Clusters kept (a sweep builds one per setting); collectives and runs of older ones are dropped with them. */
export const MAX_CLUSTERS = 8;

/** The Cluster panel's data. Updated in batches (one assignment per field per batch). */
export class ClusterStore {
  /** The newest clusters' topologies, oldest first; at most {@link MAX_CLUSTERS}. */
  clusters = $state.raw<TopologyInfo[]>([]);
  /** The newest cluster. */
  topology = $derived<TopologyInfo | null>(this.clusters.at(-1) ?? null);
  /** Oldest first; at most {@link MAX_COLLECTIVES} per cluster (a later cluster's do not push out an earlier one's). */
  collectives = $state.raw<CollectiveInfo[]>([]);
  /** The newest run of each strategy on each cluster, oldest first; at most {@link MAX_RUNS}. */
  runs = $state.raw<RunInfo[]>([]);
  /** Every collective seen in this run, including those no longer kept. */
  collectiveCount = $state(0);
  runCount = $state(0);
  /** Every cluster built in this run. */
  clusterCount = $state(0);
  /** The last plan the program costed with `dist.plan` (the Planner view opens with it), numbered so a repeat of the same plan counts. */
  plan = $state.raw<{ inputs: PlannerInputs; seq: number } | null>(null);
  private seq = 0;
  /** Never reset: the Planner view applies each program's plan once. */
  private planSeq = 0;

  /** The topology of cluster `id` (null when it is no longer kept). */
  topologyOf(id: number | undefined): TopologyInfo | null {
    return this.clusters.find((c) => c.cluster === id) ?? null;
  }

  /** Device capacity by id (bytes) in cluster `id`. */
  capacityOf(id: number | undefined): Map<number, number> {
    return new Map((this.topologyOf(id)?.devices ?? []).map((d) => [d.id, d.memoryCapacity]));
  }

  /** Apply a batch of events in order. */
  addAll(events: readonly ClusterEvent[]): void {
    let clusters = this.clusters,
      collectives = this.collectives,
      runs = this.runs;
    let nColl = this.collectiveCount,
      nRuns = this.runCount,
      nClusters = this.clusterCount;
    let plan = this.plan;
    for (const e of events) {
      if (e.type === "plan") {
        plan = { inputs: e.inputs, seq: ++this.planSeq };
      } else if (e.phase === "cluster") {
        clusters = [...clusters.filter((c) => c.cluster !== e.cluster), e];
        nClusters++;
      } else if (e.phase === "collective") {
        if (collectives === this.collectives) collectives = [...collectives];
        collectives.push({ ...e, seq: this.seq++ });
        nColl++;
      } else if (e.phase === "run") {
        // Keep the newest of each strategy per cluster: a loop of 100 steps shows its last one.
        runs = runs.filter((r) => r.strategy !== e.strategy || r.cluster !== e.cluster);
        runs.push({ ...e, seq: this.seq++ });
        nRuns++;
      }
    }
    if (clusters.length > MAX_CLUSTERS) clusters = clusters.slice(-MAX_CLUSTERS);
    // What ran on a cluster no longer kept cannot be drawn on its topology: drop it too.
    const kept = new Set(clusters.map((c) => c.cluster));
    const perCluster = new Map<number, number>();
    const newestFirst: CollectiveInfo[] = [];
    for (let i = collectives.length - 1; i >= 0; i--) {
      const c = collectives[i],
        n = perCluster.get(c.cluster) ?? 0;
      if (!kept.has(c.cluster) || n >= MAX_COLLECTIVES) continue;
      perCluster.set(c.cluster, n + 1);
      newestFirst.push(c);
    }
    if (newestFirst.length !== collectives.length) collectives = newestFirst.reverse();
    runs = runs.filter((r) => kept.has(r.cluster));
    if (runs.length > MAX_RUNS) runs = runs.slice(-MAX_RUNS);
    this.clusters = clusters;
    this.collectives = collectives;
    this.runs = runs;
    this.collectiveCount = nColl;
    this.runCount = nRuns;
    this.clusterCount = nClusters;
    this.plan = plan;
  }

  /** Forget everything (a new run starts). */
  clear(): void {
    this.clusters = [];
    this.collectives = [];
    this.runs = [];
    this.collectiveCount = 0;
    this.runCount = 0;
    this.clusterCount = 0;
    this.plan = null;
    this.seq = 0;
  }
}
