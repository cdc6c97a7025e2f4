/**
 * Timelines: the transfers of a collective (columns of typed arrays: a panel draws 100 000 of them
 * from these without building objects), the per-device activity of a parallel run (compute,
 * communication, idle), and their export as Chrome Trace Event JSON, which Perfetto and
 * chrome://tracing open.
 * @module
 */
import type { MemoryByCategory } from "./device";
import type { Activity, ActivityKind, TransferColumns } from "../../schema/events";
import type { ChromeTrace, TraceEvent } from "../../schema/trace";

// The wire shapes (what `comm` events carry, what Perfetto opens) are the shared schema's.
export type { Activity, ActivityKind, ChromeTrace, TraceEvent, TransferColumns };

/**
 * One transfer, as `CommTimeline.get(i)` gives it.
 * @example const { t0, t1, src, dst, link, bytes, chunk, step } = r.timeline.get(0);
 */
export interface TransferRecord {
  /** Start and end, simulated seconds. */
  t0: number;
  t1: number;
  /** Device ids. */
  src: number;
  dst: number;
  /** The route's name ("d0→d1", "d3→sw→d9"). */
  link: string;
  bytes: number;
  chunk: number;
  step: number;
}

/**
 * The transfers of one collective.
 * @example
 * const r = dist.allReduce(shards, { algorithm: "ring" });
 * r.timeline.length; r.timeline.get(0);   // { t0, t1, src, dst, link, bytes, chunk, step }
 */
export class CommTimeline {
  constructor(
    readonly columns: TransferColumns,
    /** Route names, indexed by `columns.link`. */
    readonly routes: string[],
  ) {}
  get length(): number {
    return this.columns.t0.length;
  }
  /** Transfer i as an object. */
  get(i: number): TransferRecord {
    const c = this.columns;
    return { t0: c.t0[i], t1: c.t1[i], src: c.src[i], dst: c.dst[i], link: this.routes[c.link[i]], bytes: c.bytes[i], chunk: c.chunk[i], step: c.step[i] };
  }
  /** The first `limit` transfers as objects. */
  toArray(limit = Infinity): TransferRecord[] {
    const n = Math.min(this.length, limit);
    return Array.from({ length: n }, (_, i) => this.get(i));
  }
  /** The same transfers shifted by `dt` seconds. */
  shifted(dt: number): CommTimeline {
    const c = this.columns;
    return new CommTimeline({ ...c, t0: c.t0.map((t) => t + dt), t1: c.t1.map((t) => t + dt) }, this.routes);
  }
}

/**
 * The record of a parallel run on the simulated clock: per-device activity and memory.
 * @example const run = dist.ddp(...).train(...); run.timeline.idleFraction(0)
 */
export class RunTimeline {
  readonly activities: Activity[] = [];
  readonly transfers: CommTimeline[] = [];
  constructor(readonly devices: number[]) {}
  /** Record an interval. */
  add(device: number, kind: ActivityKind, t0: number, t1: number, label: string): void {
    if (t1 > t0) this.activities.push({ device, kind, t0, t1, label });
  }
  /** The end of the last activity. */
  get time(): number {
    let t = 0;
    for (const a of this.activities) if (a.t1 > t) t = a.t1;
    return t;
  }
  /** Seconds of `kind` on `device` (overlapping intervals counted once). */
  busy(device: number, kind: ActivityKind): number {
    const iv = this.activities.filter((a) => a.device === device && a.kind === kind).map((a) => [a.t0, a.t1] as [number, number]);
    return unionLength(iv);
  }
  /** Fraction of the run's time during which `device` neither computes nor communicates. */
  idleFraction(device: number): number {
    const T = this.time;
    if (T === 0) return 0;
    const iv = this.activities.filter((a) => a.device === device && a.kind !== "idle").map((a) => [a.t0, a.t1] as [number, number]);
    return 1 - unionLength(iv) / T;
  }
  /** Per device: compute, communication and idle seconds (the Cluster panel's summary). */
  summary(): { device: number; compute: number; comm: number; idle: number }[] {
    const T = this.time;
    return this.devices.map((d) => ({ device: d, compute: this.busy(d, "compute"), comm: this.busy(d, "comm"), idle: this.idleFraction(d) * T }));
  }
}

function unionLength(iv: [number, number][]): number {
  iv.sort((a, b) => a[0] - b[0]);
  let total = 0,
    s = -Infinity,
    e = -Infinity;
  for (const [a, b] of iv) {
    if (a > e) {
      if (e > s) total += e - s;
      s = a;
      e = b;
    } else if (b > e) e = b;
  }
  if (e > s) total += e - s;
  return total;
}

/** Assign intervals of one track to lanes so that slices on a lane never overlap (Perfetto needs nesting). */
function lanes(items: { t0: number; t1: number }[]): number[] {
  const order = items.map((_, i) => i).sort((a, b) => items[a].t0 - items[b].t0);
  const ends: number[] = [];
  const lane = new Array<number>(items.length);
  for (const i of order) {
    let l = ends.findIndex((e) => e <= items[i].t0);
    if (l < 0) {
      l = ends.length;
      ends.push(0);
    }
    ends[l] = items[i].t1;
    lane[i] = l;
  }
  return lane;
}

const US = 1e6;

/**
 * Export a timeline as Chrome Trace Event JSON: one process per device, threads for compute and
 * communication lanes, times in microseconds. Save with `JSON.stringify` and open in Perfetto.
 * @example const json = JSON.stringify(dist.toChromeTrace(result.timeline));
 */
export function toChromeTrace(t: CommTimeline | RunTimeline, opts: { memory?: { device: number; memory: MemoryByCategory }[] } = {}): ChromeTrace {
  const events: TraceEvent[] = [];
  const tracks = new Map<
    string,
    { pid: number; base: number; name: string; items: { t0: number; t1: number; name: string; cat: string; args: Record<string, unknown> }[] }
  >();
  const track = (pid: number, base: number, name: string) => {
    const key = `${pid}/${base}`;
    let tr = tracks.get(key);
    if (!tr) tracks.set(key, (tr = { pid, base, name, items: [] }));
    return tr;
  };
  const devices = new Set<number>();
  const addTransfers = (c: CommTimeline) => {
    for (let i = 0; i < c.length; i++) {
      const r = c.get(i);
      devices.add(r.src).add(r.dst);
      track(r.src, 1000, "send").items.push({
        t0: r.t0,
        t1: r.t1,
        name: `→d${r.dst}`,
        cat: "comm",
        args: { link: r.link, bytes: r.bytes, chunk: r.chunk, step: r.step },
      });
    }
  };
  if (t instanceof CommTimeline) addTransfers(t);
  else {
    for (const d of t.devices) devices.add(d);
    for (const a of t.activities)
      track(a.device, a.kind === "compute" ? 0 : a.kind === "comm" ? 1000 : 2000, a.kind).items.push({
        t0: a.t0,
        t1: a.t1,
        name: a.label,
        cat: a.kind,
        args: {},
      });
    for (const c of t.transfers) addTransfers(c);
  }
  for (const d of [...devices].sort((a, b) => a - b)) {
    events.push({ name: "process_name", ph: "M", pid: d, tid: 0, args: { name: `device d${d}` } });
    events.push({ name: "process_sort_index", ph: "M", pid: d, tid: 0, args: { sort_index: d } });
  }
  for (const tr of tracks.values()) {
    const ln = lanes(tr.items);
    const used = new Set<number>();
    tr.items.forEach((it, i) => {
      const tid = tr.base + ln[i];
      used.add(tid);
      events.push({ name: it.name, ph: "X", pid: tr.pid, tid, ts: it.t0 * US, dur: (it.t1 - it.t0) * US, cat: it.cat, args: it.args });
    });
    for (const tid of used) events.push({ name: "thread_name", ph: "M", pid: tr.pid, tid, args: { name: `${tr.name} ${tid - tr.base}` } });
  }
  const trace: ChromeTrace = { traceEvents: events, displayTimeUnit: "ns" };
  if (opts.memory) trace.metadata = { memory: opts.memory };
  return trace;
}
