/**
 * The simulated clock of a schedule. Time comes only from the cost model:
 * - a transfer over a route costs α (Σ link latencies) + bytes / bandwidth (the slowest link);
 * - a received block that is added (reduce) costs γ·bytes on the receiver (a roofline: see cost.ts);
 * - a transfer starts when the blocks it sends are ready on the sender (data dependencies per
 *   block, so chunks pipeline), when its links are free of earlier steps' transfers (a link serves
 *   steps in order), and, in the single-port model (Hockney; Thakur et al.), when the sender's send
 *   port and the receiver's receive port are free;
 * - within a step, transfers of different pairs that share a link split its bandwidth fairly while
 *   they overlap: an event-driven fluid simulation. Steps without shared links take a fast path,
 *   which keeps a 1024-device ring allReduce well under a second.
 * @module
 */
import { DistError } from "./errors";
import type { Schedule } from "./schedule";
import type { Link, Route, Topology } from "./topology";

/**
 * A stream whose remaining time is within this fraction of the clock's reading is done. The
 * tolerance is relative to the time, not to the bytes: `now` has about 16 digits, so a remainder
 * shorter than its spacing can never be streamed (now + dt === now), whatever its bytes.
 */
const TIME_TOLERANCE = 1e-12;

/**
 * Port model: one send and one receive at a time per device ("single", the closed forms' model) or as many as its links allow ("multi").
 * @example dist.simulate("broadcast", { devices: c.devices, bytes: 2 ** 20, algorithm: "direct", ports: "multi" })
 */
export type PortModel = "single" | "multi";

/**
 * Inputs of `simulate`.
 * @example dist.simulateSchedule(schedule, { topology: c.topology, devices: [0, 1], elemBytes: 4, gamma: [0, 0] })
 */
export interface SimOptions {
  topology: Topology;
  /** Device id of each rank. */
  devices: readonly number[];
  /** Bytes per element. */
  elemBytes: number;
  /** Seconds per byte of a reduction on each rank's device (γ). */
  gamma: ArrayLike<number>;
  /** When each rank may start (default 0). */
  start?: ArrayLike<number>;
  ports?: PortModel;
  /** Per-link time at which the link becomes free; updated in place (lets consecutive collectives queue on links). */
  linkFree?: Float64Array;
}

/**
 * The clock's answer: one entry per transfer, plus totals.
 * @example const { t0, t1, time } = dist.simulateSchedule(schedule, opts);
 */
export interface SimResult {
  t0: Float64Array;
  t1: Float64Array;
  /** When the receiver has finished adding the data (= t1 for copies). */
  done: Float64Array;
  bytes: Float64Array;
  /** Index into `routes`. */
  route: Int32Array;
  routes: Route[];
  /** When each rank's buffer is final. */
  finish: Float64Array;
  /** The collective's end: the last finish. */
  time: number;
}

/**
 * Run the clock over a schedule.
 * @example const r = simulate(schedule, { topology, devices: [0, 1, 2, 3], elemBytes: 4, gamma: [0, 0, 0, 0] });
 */
export function simulate(s: Schedule, o: SimOptions): SimResult {
  const { src, dst, srcBlock, dstBlock, nBlocks, reduce, step } = s.columns();
  const n = s.length,
    p = s.p,
    B = s.blocks;
  const topo = o.topology,
    single = (o.ports ?? "single") === "single";
  const start = Float64Array.from(o.start ?? new Float64Array(p));
  const gamma = Float64Array.from(o.gamma);
  const ready = new Float64Array(p * B);
  for (let r = 0; r < p; r++) ready.fill(start[r], r * B, (r + 1) * B);
  const sendFree = Float64Array.from({ length: p }, (_, r) => start[r]);
  const recvFree = Float64Array.from(sendFree);
  const reduceFree = Float64Array.from(sendFree);
  const linkFree = o.linkFree ?? new Float64Array(topo.links.length);
  const linkStamp = new Int32Array(topo.links.length).fill(-1);
  const linkOwner = new Int32Array(topo.links.length);

  const t0 = new Float64Array(n),
    t1 = new Float64Array(n),
    done = new Float64Array(n),
    bytes = new Float64Array(n),
    routeIx = new Int32Array(n);
  // Routes by rank pair, resolved once (a dense table while p² is small, a map beyond).
  const routes: Route[] = [];
  const routeLinks: Int32Array[] = [],
    routeLat: number[] = [],
    routeBw: number[] = [];
  const dense = p * p <= 1 << 22 ? new Int32Array(p * p).fill(-1) : null;
  const sparse = new Map<number, number>();
  const routeIndex = (a: number, b: number): number => {
    const key = a * p + b;
    let ix = dense ? dense[key] : (sparse.get(key) ?? -1);
    if (ix < 0) {
      ix = routes.length;
      const r = topo.route(o.devices[a], o.devices[b]);
      routes.push(r);
      routeLinks.push(r.links);
      routeLat.push(r.latency);
      routeBw.push(r.bandwidth);
      if (dense) dense[key] = ix;
      else sparse.set(key, ix);
    }
    return ix;
  };
  const bstart = new Float64Array(B + 1);
  for (let b = 0; b <= B; b++) bstart[b] = s.blockStart(b);
  const eb = o.elemBytes;

  // Arrival of transfer k (after every transfer of its step has read the pre-step state): a
  // reduce waits for the receiver's own block and for its earlier reductions, then costs γ·bytes.
  const arrive = (k: number): void => {
    let d = t1[k];
    const base = dst[k] * B + dstBlock[k];
    const nb = nBlocks[k];
    if (reduce[k]) {
      for (let b = 0; b < nb; b++) if (ready[base + b] > d) d = ready[base + b];
      const r = dst[k];
      if (reduceFree[r] > d) d = reduceFree[r];
      d += gamma[r] * bytes[k];
      reduceFree[r] = d;
    }
    done[k] = d;
    for (let b = 0; b < nb; b++) if (ready[base + b] < d) ready[base + b] = d;
  };

  let stepId = 0;
  for (let i = 0; i < n; stepId++) {
    let j = i;
    while (j < n && step[j] === step[i]) j++;
    // Pass 1: when each transfer's data is ready on its sender (state before this step), and
    // whether two different pairs share a link in this step.
    let shared = false;
    for (let k = i; k < j; k++) {
      const key = src[k] * p + dst[k];
      let rx = dense !== null ? dense[key] : -1;
      if (rx < 0) rx = routeIndex(src[k], dst[k]);
      routeIx[k] = rx;
      bytes[k] = (bstart[srcBlock[k] + nBlocks[k]] - bstart[srcBlock[k]]) * eb;
      let rel = 0;
      const base = src[k] * B + srcBlock[k];
      for (let b = 0; b < nBlocks[k]; b++) if (ready[base + b] > rel) rel = ready[base + b];
      t0[k] = rel;
      const pair = key;
      const links = routeLinks[rx];
      for (let h = 0; h < links.length; h++) {
        const l = links[h];
        if (linkStamp[l] === stepId && linkOwner[l] !== pair) shared = true;
        linkStamp[l] = stepId;
        linkOwner[l] = pair;
      }
    }
    if (!shared) {
      for (let k = i; k < j; k++) {
        const rx = routeIx[k];
        const links = routeLinks[rx];
        let a = t0[k];
        for (let h = 0; h < links.length; h++) if (linkFree[links[h]] > a) a = linkFree[links[h]];
        const sk = src[k],
          dk = dst[k];
        if (single) {
          if (sendFree[sk] > a) a = sendFree[sk];
          if (recvFree[dk] > a) a = recvFree[dk];
        }
        const e = a + routeLat[rx] + (bytes[k] > 0 ? bytes[k] / routeBw[rx] : 0);
        t0[k] = a;
        t1[k] = e;
        for (let h = 0; h < links.length; h++) linkFree[links[h]] = e;
        if (single) sendFree[sk] = recvFree[dk] = e;
        arrive(k);
      }
    } else {
      fluidStep(i, j, { t0, t1, bytes, routeIx, routes, src, dst, linkFree, sendFree, recvFree, single, p, links: topo.links });
      for (let k = i; k < j; k++) arrive(k);
    }
    i = j;
  }
  const finish = new Float64Array(p);
  let time = 0;
  for (let r = 0; r < p; r++) {
    let f = start[r];
    for (let b = 0; b < B; b++) if (ready[r * B + b] > f) f = ready[r * B + b];
    finish[r] = f;
    if (f > time) time = f;
  }
  return { t0, t1, done, bytes, route: routeIx, routes, finish, time };
}

interface FluidState {
  t0: Float64Array;
  t1: Float64Array;
  bytes: Float64Array;
  routeIx: Int32Array;
  routes: Route[];
  src: Int32Array;
  dst: Int32Array;
  linkFree: Float64Array;
  sendFree: Float64Array;
  recvFree: Float64Array;
  single: boolean;
  p: number;
  links: readonly Link[];
}

/**
 * One step whose transfers share links: fair sharing while they overlap. A transfer waits for its
 * data (t0 on entry), for earlier steps on its links, and for its predecessors on the same port
 * (single) or pair (multi); then pays its latency, then streams its bytes at
 * min over its links of (bandwidth / transfers streaming on that link).
 */
function fluidStep(i: number, j: number, st: FluidState): void {
  const m = j - i;
  const { t0, t1, bytes, routeIx, routes, src, dst, linkFree, single, p } = st;
  // Predecessors (a transfer must wait for these to finish).
  const preds: number[][] = [];
  const lastBy = new Map<string, number>();
  for (let a = 0; a < m; a++) {
    const k = i + a;
    const keys = single ? [`s${src[k]}`, `r${dst[k]}`] : [`p${src[k] * p + dst[k]}`];
    const ps: number[] = [];
    for (const key of keys) {
      const prev = lastBy.get(key);
      if (prev !== undefined) ps.push(prev);
      lastBy.set(key, a);
    }
    preds.push(ps);
    let r = t0[k];
    for (const l of routes[routeIx[k]].links) if (linkFree[l] > r) r = linkFree[l];
    if (single) r = Math.max(r, st.sendFree[src[k]], st.recvFree[dst[k]]);
    t0[k] = r;
  }
  // Phases: 0 waiting, 1 latency until `until`, 2 streaming, 3 done.
  const phase = new Uint8Array(m),
    until = new Float64Array(m),
    left = new Float64Array(m);
  const count = new Map<number, number>();
  let now = Infinity;
  for (let a = 0; a < m; a++) now = Math.min(now, t0[i + a]);
  let remaining = m;
  const rates = new Float64Array(m);
  // Progress guarantee: every pass either changes a transfer's phase or advances the clock to the
  // next event (which the following pass then handles), so at most ~2 passes per phase change.
  let events = 0,
    passes = 0;
  const maxPasses = 16 * m + 64;
  while (remaining > 0) {
    const eventsBefore = events;
    if (++passes > maxPasses) stuck("it took more than " + maxPasses + " passes");
    // Release every waiting transfer whose predecessors are done and whose time has come.
    for (let a = 0; a < m; a++) {
      if (phase[a] !== 0) continue;
      const k = i + a;
      let r = t0[k],
        ok = true;
      for (const q of preds[a]) {
        if (phase[q] !== 3) ok = false;
        else r = Math.max(r, t1[i + q]);
      }
      if (ok && r <= now + 1e-18) {
        t0[k] = r;
        phase[a] = 1;
        until[a] = r + routes[routeIx[k]].latency;
        left[a] = bytes[k];
        events++;
      }
    }
    // Latency phases that have ended start streaming.
    for (let a = 0; a < m; a++) {
      if (phase[a] === 1 && until[a] <= now + 1e-18) {
        phase[a] = 2;
        events++;
        for (const l of routes[routeIx[i + a]].links) count.set(l, (count.get(l) ?? 0) + 1);
      }
    }
    // Finish zero-byte streams at once.
    let changed = false;
    for (let a = 0; a < m; a++) {
      if (phase[a] === 2 && left[a] <= 0) {
        finishOne(a);
        changed = true;
      }
    }
    if (changed) continue;
    // Rates and the next event.
    let next = Infinity;
    for (let a = 0; a < m; a++) {
      if (phase[a] === 2) {
        const r = routes[routeIx[i + a]];
        let rate = Infinity;
        for (const l of r.links) rate = Math.min(rate, st.links[l].bandwidth / count.get(l)!);
        rates[a] = rate;
        next = Math.min(next, now + left[a] / rate);
      } else if (phase[a] === 1) next = Math.min(next, until[a]);
      else if (phase[a] === 0) {
        let r = t0[i + a],
          ok = true;
        for (const q of preds[a]) {
          if (phase[q] !== 3) ok = false;
          else r = Math.max(r, t1[i + q]);
        }
        if (ok) next = Math.min(next, r);
      }
    }
    if (!(next < Infinity)) stuck("no transfer can start or finish");
    const dt = next - now;
    // Streams that end at `next` (up to rounding of the clock) finish there.
    const tol = Math.abs(next) * TIME_TOLERANCE;
    for (let a = 0; a < m; a++) {
      if (phase[a] === 2) {
        left[a] -= rates[a] * dt;
        if (left[a] <= 0 || left[a] / rates[a] <= tol) {
          now = next;
          finishOne(a);
        }
      }
    }
    if (events === eventsBefore && !(dt > 0)) stuck("the clock stopped advancing");
    now = next;
  }

  function stuck(why: string): never {
    throw new DistError(
      "dist.simulate",
      `the contended-link clock made no progress at t = ${now} s (${why}; ${remaining} of ${m} transfers of this step unfinished): this is a bug in the simulator, please report it with the collective, sizes and topology`,
    );
  }

  function finishOne(a: number): void {
    const k = i + a;
    phase[a] = 3;
    t1[k] = now;
    remaining--;
    events++;
    for (const l of routes[routeIx[k]].links) {
      count.set(l, count.get(l)! - 1);
      if (linkFree[l] < now) linkFree[l] = now;
    }
    if (single) {
      st.sendFree[src[k]] = Math.max(st.sendFree[src[k]], now);
      st.recvFree[dst[k]] = Math.max(st.recvFree[dst[k]], now);
    }
  }
}
