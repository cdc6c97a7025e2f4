/**
 * Pure helpers for the Cluster panel's Gantt timeline: events bucketed by device into sorted
 * typed-array tracks (so a frame touches only the visible range, never 100 000 objects), the
 * visible-range search, time-axis ticks and simulated-time formatting.
 * @module
 */
import type { Activity, TransferColumns } from "../../../schema/events";

/** Activity kinds as stored in {@link TimelineTrack.kind}. */
export const KIND_COMPUTE = 0;
export const KIND_COMM = 1;
export const KIND_IDLE = 2;
/** Kind names by code. */
export const KIND_NAMES = ["compute", "comm", "idle"] as const;

/** One device's intervals, sorted by start. */
export interface TimelineTrack {
  device: number;
  n: number;
  t0: Float64Array;
  t1: Float64Array;
  kind: Uint8Array;
  /** Index of the interval in the source (activities or transfer columns), for tooltips. */
  ref: Int32Array;
  /** maxEnd[i] = max(t1[0..i]): intervals overlap, so t1 is not sorted; this makes the search exact. */
  maxEnd: Float64Array;
}

/** Everything the Gantt draws. */
export interface TimelineData {
  tracks: TimelineTrack[];
  /** Earliest start and latest end, simulated seconds. */
  start: number;
  end: number;
  /** Total intervals. */
  count: number;
  /** "split": compute above communication in each row (a parallel run); "single": one lane. */
  lanes: "split" | "single";
}

/** The activity shape of a `run` event (only the fields the timeline reads). */
export type ActivityLike = Pick<Activity, "device" | "kind" | "t0" | "t1">;

/** The transfer columns of a `collective` event (only those the timeline reads). */
export type TransferColumnsLike = Pick<TransferColumns, "t0" | "t1" | "src">;

const KIND_CODE: Record<string, number> = { compute: KIND_COMPUTE, comm: KIND_COMM, idle: KIND_IDLE };

/**
 * Buckets `n` intervals by device into sorted tracks, one per entry of `devices` (in that order).
 * `at(i)` reads interval i; intervals on devices not listed are dropped.
 */
function bucket(
  devices: readonly number[],
  n: number,
  device: (i: number) => number,
  t0: (i: number) => number,
  t1: (i: number) => number,
  kind: (i: number) => number,
  lanes: TimelineData["lanes"],
): TimelineData {
  const row = new Map(devices.map((d, k) => [d, k]));
  const counts = new Int32Array(devices.length);
  for (let i = 0; i < n; i++) {
    const r = row.get(device(i));
    if (r !== undefined) counts[r]++;
  }
  const idx = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(devices.length);
  for (let i = 0; i < n; i++) {
    const r = row.get(device(i));
    if (r !== undefined) idx[r][fill[r]++] = i;
  }
  let start = Infinity,
    end = -Infinity;
  const tracks = devices.map((d, r): TimelineTrack => {
    const c = counts[r];
    const s0 = new Float64Array(c);
    for (let k = 0; k < c; k++) s0[k] = t0(idx[r][k]);
    // Sort the source indices by start time (stable for equal starts).
    const order = Array.from({ length: c }, (_, k) => k).sort((a, b) => s0[a] - s0[b] || a - b);
    const tr: TimelineTrack = {
      device: d,
      n: c,
      t0: new Float64Array(c),
      t1: new Float64Array(c),
      kind: new Uint8Array(c),
      ref: new Int32Array(c),
      maxEnd: new Float64Array(c),
    };
    let m = -Infinity;
    for (let k = 0; k < c; k++) {
      const i = idx[r][order[k]];
      const a = t0(i),
        b = t1(i);
      tr.t0[k] = a;
      tr.t1[k] = b;
      tr.kind[k] = kind(i);
      tr.ref[k] = i;
      m = Math.max(m, b);
      tr.maxEnd[k] = m;
      if (a < start) start = a;
      if (b > end) end = b;
    }
    return tr;
  });
  if (start === Infinity) start = end = 0;
  return { tracks, start, end, count: n, lanes };
}

/** Buckets a parallel run's activities by device. */
export function bucketActivities(devices: readonly number[], activities: readonly ActivityLike[]): TimelineData {
  // Two lanes only when there is communication to put under the compute.
  const lanes = activities.some((a) => a.kind === "comm") ? "split" : "single";
  return bucket(
    devices,
    activities.length,
    (i) => activities[i].device,
    (i) => activities[i].t0,
    (i) => activities[i].t1,
    (i) => KIND_CODE[activities[i].kind] ?? KIND_COMPUTE,
    lanes,
  );
}

/** Buckets a collective's transfers by sending device (every transfer is communication). */
export function bucketTransfers(devices: readonly number[], c: TransferColumnsLike): TimelineData {
  return bucket(
    devices,
    c.t0.length,
    (i) => c.src[i],
    (i) => c.t0[i],
    (i) => c.t1[i],
    () => KIND_COMM,
    "single",
  );
}

/** The first index of `track` whose interval may end after `t` (everything before ends at or before t). */
export function visibleStart(track: TimelineTrack, t: number): number {
  let lo = 0,
    hi = track.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (track.maxEnd[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose start is after `t` (the end of a visible range). */
export function startAfter(track: TimelineTrack, t: number): number {
  let lo = 0,
    hi = track.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (track.t0[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The interval of `track` under time `t` (on `lane`, if given), or -1. The latest-starting one wins. */
export function hitTest(track: TimelineTrack, t: number, slack: number, lane?: (kind: number) => boolean): number {
  const end = startAfter(track, t + slack);
  for (let k = end - 1; k >= 0; k--) {
    if (track.maxEnd[k] < t - slack) break;
    if (track.t0[k] <= t + slack && track.t1[k] >= t - slack && (!lane || lane(track.kind[k]))) return k;
  }
  return -1;
}

/** Round tick positions covering [t0, t1], about `target` of them, at 1/2/5 × 10^k steps. */
export function niceTicks(t0: number, t1: number, target: number): { step: number; ticks: number[] } {
  const span = t1 - t0;
  if (!(span > 0) || !Number.isFinite(span)) return { step: 0, ticks: [t0] };
  const raw = span / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * p;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1 + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return { step, ticks };
}

/** Simulated seconds in the unit that suits `scale` (a tick step or the value itself): s, ms, µs or ns. */
export function formatTime(seconds: number, scale?: number): string {
  const units: [number, string][] = [
    [1, "s"],
    [1e-3, "ms"],
    [1e-6, "µs"],
    [1e-9, "ns"],
  ];
  // Ticks 0.2 µs apart read better as 0.2, 0.4 µs than as 200, 400 ns: the unit suits ten steps.
  const [f, u] = units.find(([f]) => (scale === undefined ? Math.abs(seconds) : scale * 10) >= f) ?? units[units.length - 1];
  const v = seconds / f || 0; // no "-0"
  // With a scale: enough decimals to tell ticks `scale` apart; alone: three significant digits.
  const decimals =
    scale !== undefined
      ? Math.max(0, Math.min(6, -Math.floor(Math.log10(scale / f || 1) + 1e-9)))
      : Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(Math.abs(v) || 1) + 1e-9)));
  const text = v.toFixed(decimals);
  return `${/^-0(\.0*)?$/.test(text) ? text.slice(1) : text} ${u}`;
}

/** Bytes for people: B, KiB, MiB, GiB. */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return "–";
  if (b < 1024) return `${Math.round(b)} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = b / 1024,
    u = 0;
  for (; v >= 1024 && u < units.length - 1; u++) v /= 1024;
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[u]}`;
}

/** Bandwidth (bytes per second) as GB/s, the unit nccl-tests report. */
export function formatBandwidth(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return "–";
  const g = bytesPerSecond / 1e9;
  return `${g >= 100 ? g.toFixed(0) : g >= 1 ? g.toFixed(1) : g.toPrecision(3)} GB/s`;
}

/** One device's memory by category, bytes (the `memory` rows of a `run` event). */
export interface MemoryRow {
  device: number;
  parameters: number;
  gradients: number;
  optimizer: number;
  activations: number;
  buffers: number;
}

/** Fraction of [start, end] during which a track neither computes nor communicates (idle intervals do not count as busy). */
export function idleFraction(track: TimelineTrack, start: number, end: number): number {
  const span = end - start;
  if (!(span > 0)) return 0;
  let busy = 0,
    s = -Infinity,
    e = -Infinity;
  for (let i = 0; i < track.n; i++) {
    if (track.kind[i] === KIND_IDLE) continue;
    const a = Math.max(start, track.t0[i]),
      b = Math.min(end, track.t1[i]);
    if (b <= a) continue;
    if (a > e) {
      if (e > s) busy += e - s;
      s = a;
      e = b;
    } else if (b > e) e = b;
  }
  if (e > s) busy += e - s;
  return 1 - busy / span;
}
