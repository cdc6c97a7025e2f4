/**
 * Pure helpers of the collective player: the schedule's steps on the simulated clock, the hops
 * (directed links) and devices each step uses, the whole path a collective takes (a ring's cycle,
 * a tree's edges), and when the player's clock belongs on a timeline (its playhead).
 * @module
 */
import type { TransferColumns } from "../../../schema/events";

/** The transfer columns the player reads. */
export type PlayerColumns = Pick<TransferColumns, "t0" | "t1" | "src" | "dst" | "chunk" | "step" | "link" | "bytes">;

/** One schedule step: its number and the time the player shows it at (mid-flight of its shortest transfer). */
export interface PlayerStep {
  step: number;
  at: number;
}

/**
 * The schedule's steps in order, each at the midpoint of its earliest-finishing-half transfer (the
 * smallest (t0 + t1) / 2, so a chunk of it is drawn mid-link). Steps of a pipelined schedule
 * overlap in time (a tree's step 2 can start before step 1's slow hop ends), so the times are made
 * strictly increasing: stepping forward never moves the clock (or the timeline's playhead) back.
 */
export function scheduleSteps(cols: Pick<PlayerColumns, "t0" | "t1" | "step">): PlayerStep[] {
  const mid = new Map<number, number>();
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < cols.step.length; i++) {
    const m = (cols.t0[i] + cols.t1[i]) / 2;
    const s = mid.get(cols.step[i]);
    if (s === undefined || m < s) mid.set(cols.step[i], m);
    lo = Math.min(lo, cols.t0[i]);
    hi = Math.max(hi, cols.t1[i]);
  }
  const nudge = (hi - lo) * 1e-4;
  const steps = [...mid.entries()].sort((a, b) => a[0] - b[0]).map(([step, at]) => ({ step, at }));
  for (let k = 1; k < steps.length; k++) if (steps[k].at <= steps[k - 1].at) steps[k].at = Math.min(hi, steps[k - 1].at + nudge);
  return steps;
}

/** The index of the last step begun at time `t` (0 before the first). */
export function stepAt(steps: readonly PlayerStep[], t: number): number {
  let k = 0;
  for (let i = 0; i < steps.length; i++) if (steps[i].at <= t + 1e-15) k = i;
  return k;
}

/** A directed hop between two topology vertices that a step uses, with the chunks it carries. */
export interface StepHop {
  /** "a>b": from vertex a to vertex b. */
  key: string;
  from: number;
  to: number;
  chunks: number[];
}

/** What one schedule step uses: its hops along the routes, the devices sending and receiving, and its sends. */
export interface StepUse {
  hops: StepHop[];
  devices: Set<number>;
  /** Each transfer of the step as [src, dst, chunk], in schedule order. */
  sends: [number, number, number][];
}

/** Hops kept per step at most (a collective over thousands of devices would draw thousands of arrows). */
export const MAX_HOPS = 600;

/**
 * The hops, devices and sends of schedule step `step`. `paths[link]` is the vertex path of route
 * `link` (null when a route could not be parsed: the sends count, the hops do not).
 */
export function stepUse(cols: PlayerColumns, paths: readonly (readonly number[] | null)[], step: number | undefined): StepUse {
  const hops = new Map<string, StepHop>();
  const devices = new Set<number>();
  const sends: [number, number, number][] = [];
  if (step === undefined) return { hops: [], devices, sends };
  for (let i = 0; i < cols.step.length; i++) {
    if (cols.step[i] !== step) continue;
    devices.add(cols.src[i]);
    devices.add(cols.dst[i]);
    sends.push([cols.src[i], cols.dst[i], cols.chunk[i]]);
    const path = paths[cols.link[i]];
    if (!path) continue;
    for (let h = 1; h < path.length; h++) {
      const key = `${path[h - 1]}>${path[h]}`;
      let hop = hops.get(key);
      if (!hop) {
        if (hops.size >= MAX_HOPS) continue;
        hops.set(key, (hop = { key, from: path[h - 1], to: path[h], chunks: [] }));
      }
      if (!hop.chunks.includes(cols.chunk[i])) hop.chunks.push(cols.chunk[i]);
    }
  }
  return { hops: [...hops.values()], devices, sends };
}

/** Every link (undirected "a-b", a < b) the collective uses at any step: the ring's cycle, the tree's edges. */
export function collectivePath(cols: Pick<PlayerColumns, "link">, paths: readonly (readonly number[] | null)[]): string[] {
  const used = new Set<number>();
  for (let i = 0; i < cols.link.length; i++) used.add(cols.link[i]);
  const links = new Set<string>();
  for (const l of used) {
    const path = paths[l];
    if (!path) continue;
    for (let h = 1; h < path.length; h++) links.add(`${Math.min(path[h - 1], path[h])}-${Math.max(path[h - 1], path[h])}`);
  }
  return [...links];
}

/** The identity of a collective or run, as the Cluster store numbers them (one sequence for both). */
export interface Sequenced {
  seq: number;
  cluster: number;
}

/**
 * Whether the player's collective belongs on the timeline: the timeline shows that very collective,
 * or a run on the same cluster that the collective was part of (it came after the previous run on
 * that cluster and before this one, and the library clocks a run's collectives on the run's own time).
 */
export function playheadApplies(shown: { coll: Sequenced } | { run: Sequenced } | null, playing: Sequenced | null, runs: readonly Sequenced[]): boolean {
  if (!shown || !playing) return false;
  if ("coll" in shown) return shown.coll.seq === playing.seq;
  const run = shown.run;
  if (run.cluster !== playing.cluster || playing.seq > run.seq) return false;
  const before = runs.filter((r) => r.cluster === run.cluster && r.seq < run.seq).reduce((m, r) => Math.max(m, r.seq), -1);
  return playing.seq > before;
}
