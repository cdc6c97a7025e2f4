/**
 * The parameter-server architecture (Li et al., OSDI 2014; TensorFlow's PS strategy), the one
 * data parallelism used before allReduce: workers **push** their gradients to one or more server
 * devices, each server sums its shard of the parameters and updates it, and the workers **pull**
 * the result back. It runs on the same schedule machinery as the collectives, so its data is exact
 * and its time comes from the same clock: every byte of every worker crosses the servers' links, so
 * with one server that link carries N·n bytes in and N·n out (2·N·n), where a ring allReduce puts
 * 2(N−1)/N·n on every device's link. Sharding the parameters over S servers divides the hotspot by S.
 * @module
 */
import { emit, hasListeners } from "../../events";
import { allocArray, ITEM_SIZE, type TypedArray } from "../../tensor/dtype";
import { tensor } from "../../ops/creation";
import { clusterOf, type Cluster } from "../cluster";
import { reduceSecondsPerByte } from "../cost";
import type { SimDevice, MemoryCategory } from "../device";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import { Schedule } from "../schedule";
import { simulate, type PortModel } from "../sim";
import { CommTimeline } from "../timeline";
import { executeSchedule } from "./execute";
import { SIM_ITEM_SIZE, type SimDType } from "../presets";

/**
 * Options of `dist.parameterServer`.
 * @example dist.parameterServer(grads, { servers: [c.devices[8]], update: (sum) => sum.map((g) => g / 8) })
 */
export interface ParameterServerOptions {
  /** The server device(s): not among the workers; the parameters are sharded evenly over them (default: none, an error). */
  servers: SimDevice | SimDevice[];
  /**
   * What the servers do with the summed gradient before the workers pull (default: nothing, the
   * workers pull the sum, as an allReduce would give them). A parameter server returns new parameters here.
   */
  update?: (sum: Float64Array) => ArrayLike<number>;
  /** Port model of the clock (default "single"). */
  ports?: PortModel;
  /** Memory category of the outputs (default: that of the inputs). */
  category?: MemoryCategory;
  /** Send the `comm` event to the Cluster panel (default true). */
  emit?: boolean;
}

/**
 * What `dist.parameterServer` returns.
 * @example const r = dist.parameterServer(grads, { servers: s }); r.pushTime; r.time; dist.linkTraffic(r)
 */
export interface ParameterServerResult {
  collective: "parameterServer";
  algorithm: "push-pull";
  /** The workers, then the servers (the ranks of the schedule). */
  devices: SimDevice[];
  workers: SimDevice[];
  servers: SimDevice[];
  /** What every worker pulled (the sum, or `update`'s result), one per worker. */
  outputs: DeviceTensor[];
  /** Every transfer, push steps first (steps 0…N−1), then pull (N…2N−1). */
  timeline: CommTimeline;
  /** When the last push has been summed on its server (simulated seconds). */
  pushTime: number;
  /** When the last worker has its pull. */
  time: number;
  /** The gradient size n (bytes per worker). */
  bytes: number;
}

/**
 * The push and pull schedules over ranks 0…N−1 (workers) and N…N+S−1 (servers), S blocks: server
 * s owns block s. Push step t: worker (s + t) mod N adds its block s into server s, so each step
 * every server receives one block and no worker sends two (S ≤ N). Pull: the mirror image, copies.
 */
function schedules(N: number, S: number, elements: number): { push: Schedule; pull: Schedule; all: Schedule } {
  const make = () => new Schedule(N + S, S, elements, 2 * N * S);
  const push = make(),
    pull = make(),
    all = make();
  for (let t = 0; t < N; t++)
    for (let s = 0; s < S; s++) {
      push.add((s + t) % N, N + s, s, s, 1, true, t);
      all.add((s + t) % N, N + s, s, s, 1, true, t);
    }
  for (let t = 0; t < N; t++)
    for (let s = 0; s < S; s++) {
      pull.add(N + s, (s + t) % N, s, s, 1, false, N + t);
      all.add(N + s, (s + t) % N, s, s, 1, false, N + t);
    }
  return { push, pull, all };
}

/**
 * Parameter-server synchronisation of one gradient per worker: push to the server(s), let them
 * sum (and `update`), pull back. Moves the real data (each worker's output is exactly what the
 * servers sent) and runs the simulated clock over the same transfers.
 * @example
 * const c = dist.cluster({ devicesPerNode: 9, topology: "switch" });
 * const workers = c.devices.slice(0, 8), server = c.devices[8];
 * const grads = workers.map((d, i) => randn([1 << 16], { device: d, seed: i }));
 * const r = dist.parameterServer(grads, { servers: server });   // outputs: the sum on every worker
 * Math.max(...dist.linkTraffic(r))                             // 8 · 256 KiB into the server
 */
export function parameterServer(grads: DeviceTensor[], opts: ParameterServerOptions): ParameterServerResult {
  const op = "dist.parameterServer";
  if (!Array.isArray(grads) || grads.length === 0) throw new DistError(op, "needs one gradient per worker, placed on the workers (dist.place)");
  grads.forEach((g, r) => {
    if (!(g instanceof DeviceTensor)) throw new DistError(op, `gradient ${r} is not on a simulated device: create it there or move it (t.to(d))`);
  });
  const { shape, dtype } = grads[0];
  const n = grads[0].tensor.size;
  grads.forEach((g, r) => {
    if (g.tensor.size !== n || g.dtype !== dtype)
      throw new DistError(op, `gradients must have one shape and dtype: 0 is [${shape.join(", ")}] ${dtype}, ${r} is [${g.shape.join(", ")}] ${g.dtype}`);
  });
  if (dtype === "bool") throw new DistError(op, "cannot sum bool tensors: cast them to float32");
  const ranks = checkRanks(
    op,
    grads.map((g) => g.device),
    opts?.servers,
    n,
  );
  const { N, S, devices } = ranks;
  const { push, pull, all } = schedules(N, S, n);
  // Data: push (the servers start from zeros and add), the update on the servers, then pull.
  const bufs: TypedArray[] = devices.map((_, r) => (r < N ? (grads[r].tensor.dataSync().slice() as TypedArray) : allocArray(dtype, n)));
  executeSchedule(push, bufs);
  if (opts.update) {
    const sum = new Float64Array(n);
    for (let s = 0; s < S; s++) for (let e = push.blockStart(s); e < push.blockStart(s + 1); e++) sum[e] = bufs[N + s][e];
    const next = opts.update(sum);
    if (next.length !== n) throw new DistError(op, `update must return ${n} values (one per element), got ${next.length}`);
    for (let s = 0; s < S; s++) for (let e = push.blockStart(s); e < push.blockStart(s + 1); e++) bufs[N + s][e] = next[e];
  }
  executeSchedule(pull, bufs);
  const res = clock(ranks, all, ITEM_SIZE[dtype], opts);
  const outputs = ranks.workers.map((d, r) => new DeviceTensor(tensor(bufs[r], { dtype, shape: [...shape] }), d, opts.category ?? grads[r].category));
  return { ...res, outputs };
}

/**
 * Options of `dist.simulateParameterServer`.
 * @example dist.simulateParameterServer({ workers: c.devices.slice(0, 8), servers: c.devices[8], bytes: 2 ** 24 })
 */
export interface SimulateParameterServerOptions {
  workers: SimDevice[];
  servers: SimDevice | SimDevice[];
  /** The gradient size per worker, bytes. */
  bytes: number;
  /** Element type on the wire (default float32). */
  dtype?: SimDType;
  ports?: PortModel;
  /** Send the `comm` event to the Cluster panel (default true). */
  emit?: boolean;
}

/**
 * The parameter server's clock alone, for `bytes` of gradient per worker (no data moved): for sweeps.
 * @example dist.simulateParameterServer({ workers, servers: c.devices[8], bytes: 2 ** 24, emit: false }).time
 */
export function simulateParameterServer(opts: SimulateParameterServerOptions): Omit<ParameterServerResult, "outputs"> {
  const op = "dist.simulateParameterServer";
  const eb = SIM_ITEM_SIZE[opts.dtype ?? "float32"];
  const n = Math.round(opts.bytes / eb);
  if (!(n >= 1)) throw new DistError(op, `bytes must be at least one element, got ${opts.bytes}`);
  const ranks = checkRanks(op, opts.workers, opts.servers, n);
  return clock(ranks, schedules(ranks.N, ranks.S, n).all, eb, opts);
}

interface Ranks {
  N: number;
  S: number;
  workers: SimDevice[];
  servers: SimDevice[];
  devices: SimDevice[];
  cluster: Cluster;
}

function checkRanks(op: string, workers: SimDevice[], serverOpt: SimDevice | SimDevice[] | undefined, n: number): Ranks {
  if (!Array.isArray(workers) || workers.length === 0) throw new DistError(op, "needs at least one worker");
  const servers = serverOpt === undefined ? [] : Array.isArray(serverOpt) ? serverOpt : [serverOpt];
  if (servers.length === 0) throw new DistError(op, "needs at least one server device: { servers: c.devices[k] } or a list of them");
  const N = workers.length,
    S = servers.length;
  const devices = [...workers, ...servers];
  const cluster = clusterOf(devices[0], op);
  const seen = new Set<SimDevice>();
  for (const d of devices) {
    if (clusterOf(d, op) !== cluster) throw new DistError(op, `devices ${devices[0].name} and ${d.name} belong to different clusters`);
    if (seen.has(d)) throw new DistError(op, `device ${d.name} appears twice: the servers must be devices other than the workers, each once`);
    seen.add(d);
  }
  if (S > N) throw new DistError(op, `has ${S} servers for ${N} workers: use at most one server per worker`);
  if (n < S) throw new DistError(op, `cannot shard ${n} elements over ${S} servers`);
  return { N, S, workers, servers, devices, cluster };
}

/** Both phases on the clock as one schedule (a pull leaves a server when its block is summed), and the panel's event. */
function clock(ranks: Ranks, all: Schedule, elemBytes: number, opts: { ports?: PortModel; emit?: boolean }): Omit<ParameterServerResult, "outputs"> {
  const { N, devices, cluster: c } = ranks;
  const sim = simulate(all, {
    topology: c.topology,
    devices: devices.map((d) => d.id),
    elemBytes,
    gamma: devices.map((d) => reduceSecondsPerByte(d.spec, elemBytes)),
    ports: opts.ports,
  });
  const cols = all.columns();
  const ids = Int32Array.from(devices, (d) => d.id);
  const timeline = new CommTimeline(
    {
      t0: sim.t0,
      t1: sim.t1,
      src: cols.src.map((r) => ids[r]),
      dst: cols.dst.map((r) => ids[r]),
      link: sim.route,
      bytes: sim.bytes,
      chunk: cols.chunk,
      step: cols.step,
    },
    sim.routes.map((x) => x.name),
  );
  let pushTime = 0;
  for (let i = 0; i < all.length; i++) if (cols.step[i] < N) pushTime = Math.max(pushTime, sim.done[i]);
  const bytes = all.elements * elemBytes;
  if (opts.emit !== false && hasListeners()) {
    emit({
      type: "comm",
      phase: "collective",
      cluster: c.id,
      collective: "parameterServer",
      algorithm: "push-pull",
      devices: [...ids],
      bytes,
      time: sim.time,
      algbw: sim.time > 0 ? bytes / sim.time : Infinity,
      busbw: sim.time > 0 ? bytes / sim.time : Infinity,
      transfers: timeline.columns,
      routes: timeline.routes,
    });
  }
  return {
    collective: "parameterServer",
    algorithm: "push-pull",
    devices,
    workers: ranks.workers,
    servers: ranks.servers,
    timeline,
    pushTime,
    time: sim.time,
    bytes,
  };
}

/**
 * Bytes each directed link of the cluster carried in a collective's (or a parameter server's)
 * timeline, indexed by link id (`cluster.topology.links`): every transfer adds its bytes to each
 * link of its route. The largest entry is the hotspot.
 * @example
 * const load = dist.linkTraffic(r);
 * const hot = c.topology.links[load.indexOf(Math.max(...load))];   // e.g. "sw→d8" for a parameter server on d8
 */
export function linkTraffic(result: { devices: readonly SimDevice[]; timeline: CommTimeline }): Float64Array {
  const c = clusterOf(result.devices[0], "dist.linkTraffic");
  const out = new Float64Array(c.topology.links.length);
  const { src, dst, bytes } = result.timeline.columns;
  for (let i = 0; i < src.length; i++) for (const l of c.topology.route(src[i], dst[i]).links) out[l] += bytes[i];
  return out;
}
