/**
 * Chrome Trace Event JSON (what Perfetto and chrome://tracing open) from the data of a `comm`
 * event. The library has its own exporter, but panels never import the library and the runner's
 * worker is gone after a run, so the panel formats the events it already holds: one process per
 * device, a thread per non-overlapping lane, times in microseconds. The format's types are the
 * shared schema's (src/schema/trace.ts), so both exporters write the same shape.
 * @module
 */
import type { ChromeTrace, TraceEvent } from "../../../schema/trace";
import type { TransferColumns } from "../../../schema/events";
import type { ActivityLike } from "./timeline";

interface Slice {
  pid: number;
  /** Track base: 0 compute, 1000 comm, 2000 idle (as the library's exporter numbers them). */
  base: number;
  track: string;
  t0: number;
  t1: number;
  name: string;
  cat: string;
  args: Record<string, unknown>;
}

const US = 1e6;
const BASE: Record<string, number> = { compute: 0, comm: 1000, idle: 2000 };

function format(slices: Slice[], devices: readonly number[], metadata: Record<string, unknown>): ChromeTrace {
  const events: TraceEvent[] = [];
  for (const d of [...new Set(devices)].sort((a, b) => a - b)) {
    events.push({ name: "process_name", ph: "M", pid: d, tid: 0, args: { name: `device d${d}` } });
    events.push({ name: "process_sort_index", ph: "M", pid: d, tid: 0, args: { sort_index: d } });
  }
  // Slices on one thread must not overlap (Perfetto nests them): greedy lanes per track.
  const order = slices.map((_, i) => i).sort((a, b) => slices[a].t0 - slices[b].t0);
  const ends = new Map<string, number[]>();
  const named = new Set<string>();
  for (const i of order) {
    const s = slices[i];
    const key = `${s.pid}/${s.base}`;
    let e = ends.get(key);
    if (!e) ends.set(key, (e = []));
    let lane = e.findIndex((end) => end <= s.t0);
    if (lane < 0) lane = e.push(0) - 1;
    e[lane] = s.t1;
    const tid = s.base + lane;
    events.push({ name: s.name, ph: "X", pid: s.pid, tid, ts: s.t0 * US, dur: (s.t1 - s.t0) * US, cat: s.cat, args: s.args });
    if (!named.has(`${s.pid}/${tid}`)) {
      named.add(`${s.pid}/${tid}`);
      events.push({ name: "thread_name", ph: "M", pid: s.pid, tid, args: { name: `${s.track} ${lane}` } });
    }
  }
  return { traceEvents: events, displayTimeUnit: "ns", metadata };
}

/** A parallel run's activities (and memory, as metadata) as a trace. */
export function runTrace(run: {
  strategy: string;
  devices: number[];
  activities: readonly (ActivityLike & { label: string })[];
  memory?: unknown;
  summary?: unknown;
}): ChromeTrace {
  const slices = run.activities.map((a): Slice => ({
    pid: a.device,
    base: BASE[a.kind] ?? 0,
    track: a.kind,
    t0: a.t0,
    t1: a.t1,
    name: a.label,
    cat: a.kind,
    args: {},
  }));
  return format(slices, [...run.devices, ...run.activities.map((a) => a.device)], { strategy: run.strategy, memory: run.memory, summary: run.summary });
}

/** A collective's transfers as a trace: each on its sender's "send" track. */
export function collectiveTrace(c: { collective: string; algorithm: string; devices: number[]; transfers: TransferColumns; routes: string[] }): ChromeTrace {
  const x = c.transfers;
  const slices: Slice[] = new Array(x.t0.length);
  for (let i = 0; i < x.t0.length; i++) {
    slices[i] = {
      pid: x.src[i],
      base: 1000,
      track: "send",
      t0: x.t0[i],
      t1: x.t1[i],
      name: `→d${x.dst[i]}`,
      cat: "comm",
      args: { link: c.routes[x.link[i]], bytes: x.bytes[i], chunk: x.chunk[i], step: x.step[i] },
    };
  }
  return format(slices, c.devices, { collective: c.collective, algorithm: c.algorithm });
}
