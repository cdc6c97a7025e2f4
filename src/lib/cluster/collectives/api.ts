/**
 * The collectives as functions on tensors placed on simulated devices. Each moves the real data
 * through its algorithm's schedule (exact results), runs the simulated clock over the same
 * schedule, and returns the outputs, the transfer timeline, the time, and nccl-tests' algbw/busbw.
 * `dist.simulate` runs the clock alone for a byte count (no data), for large sweeps.
 * @module
 */
import { emit, hasListeners } from "../../events";
import { allocArray, ITEM_SIZE, type DType, type TypedArray } from "../../tensor/dtype";
import { tensor } from "../../ops/creation";
import { clusterOf, type Cluster } from "../cluster";
import { reduceSecondsPerByte } from "../cost";
import { SimDevice, type MemoryCategory } from "../device";
import { Tensor } from "../../tensor/tensor";
import { DistError, fmtBytes } from "../errors";
import { DeviceTensor, deviceTransfer } from "../placement";
import { SIM_ITEM_SIZE, type SimDType } from "../presets";
import type { Schedule } from "../schedule";
import { simulate, type PortModel, type SimResult } from "../sim";
import { CommTimeline } from "../timeline";
import type { BuildContext, CollectiveName } from "./context";
import { executeSchedule } from "./execute";
import { BYTES_PER_TRANSFER, DEFAULT_COLLECTIVE_MEMORY_LIMIT, collectiveFootprint, transferBound } from "./footprint";
import { COLLECTIVES, isPow2, type AlgorithmName } from "./registry";

/**
 * Options every collective takes.
 * @example dist.allReduce(xs, { algorithm: "tree", chunks: 8, ports: "multi", start: 1e-3 })
 */
export interface CollectiveOptions {
  /** The algorithm (default: the collective's; see `dist.algorithmsOf`). */
  algorithm?: AlgorithmName;
  /** Cut every message into this many pipelined chunks (default 1). */
  chunks?: number;
  /** Port model of the clock (default "single": one send and one receive at a time per device). */
  ports?: PortModel;
  /** When each rank may start, simulated seconds (one number for all, or one per rank; default 0). */
  start?: number | ArrayLike<number>;
  /** Per-link free times carried between collectives (`cluster.topology.links.length` long). */
  linkFree?: Float64Array;
  /** Memory category of the outputs (default: that of the inputs). */
  category?: MemoryCategory;
  /** Host bytes the collective may take for its data, schedule and clock (default 1 GiB): past it, an error gives the estimate instead of exhausting memory. */
  memoryLimit?: number;
  /** Send the `comm` event to the Cluster panel (default true); a sweep of many sizes or clusters turns it off. */
  emit?: boolean;
  /** Record every rank's buffer after each step of the schedule in `steps` (for small tensors: it copies all buffers per step). */
  trace?: boolean;
}

/**
 * One step of a traced collective (`{ trace: true }`): the sends it made and every rank's buffer after it.
 * @example const r = dist.allReduce(xs, { trace: true }); r.steps![0].sends[0]   // { src: 0, dst: 1, block: 3, blocks: 1, reduce: true }
 */
export interface CollectiveStep {
  step: number;
  /** Rank to rank; `block`…`block + blocks − 1` of the schedule's `blockCount` equal blocks; `reduce`: added, not copied. */
  sends: { src: number; dst: number; block: number; blocks: number; reduce: boolean }[];
  /** Each rank's whole working buffer after the step (the collective's layout: see the collective's notes). */
  buffers: number[][];
}

/**
 * What a collective returns.
 * @example const { time, algbw, busbw, timeline } = dist.simulate("allGather", { devices: c.devices, bytes: 2 ** 24 });
 */
export interface CollectiveResult {
  collective: CollectiveName;
  algorithm: AlgorithmName;
  /** Device of each rank. */
  devices: SimDevice[];
  /** Each transfer: t0, t1, src, dst, link, bytes, chunk, step. */
  timeline: CommTimeline;
  /** Simulated seconds from the first start to the last rank's finish. */
  time: number;
  /** When each rank's buffer is final. */
  finish: Float64Array;
  /** The data size nccl-tests counts for this collective, in bytes. */
  bytes: number;
  /** bytes / time (bytes/s). */
  algbw: number;
  /** algbw × the collective's bus factor (nccl-tests): comparable to link bandwidth across collectives. */
  busbw: number;
}

/**
 * A collective's result with its outputs.
 * @example const { outputs } = dist.allReduce(xs); outputs[0].tensor.tolistSync()
 */
export interface CollectiveOutput extends CollectiveResult {
  outputs: DeviceTensor[];
  /** With `trace: true`: the schedule's steps on the data, in order. */
  steps?: CollectiveStep[];
  /** With `trace: true`: how many equal blocks the schedule cuts each rank's buffer into. */
  blockCount?: number;
}

interface Plan {
  collective: CollectiveName;
  algorithm: AlgorithmName;
  devices: SimDevice[];
  cluster: Cluster;
  schedule: Schedule;
  elemBytes: number;
  /** nccl-tests data size in elements. */
  countElements: number;
}

function checkDevices(op: string, devices: SimDevice[]): Cluster {
  if (devices.length === 0) throw new DistError(op, "needs at least one device");
  const c = clusterOf(devices[0], op);
  const seen = new Set<SimDevice>();
  for (const d of devices) {
    if (clusterOf(d, op) !== c) throw new DistError(op, `devices ${devices[0].name} and ${d.name} belong to different clusters`);
    if (seen.has(d)) throw new DistError(op, `device ${d.name} appears twice: each rank needs its own device`);
    seen.add(d);
  }
  return c;
}

function nodeGroups(op: string, algorithm: string, devices: SimDevice[]): number[][] {
  const byNode = new Map<number, number[]>();
  devices.forEach((d, r) => {
    const g = byNode.get(d.node) ?? [];
    g.push(r);
    byNode.set(d.node, g);
  });
  const groups = [...byNode.values()];
  const k = groups[0].length;
  if (!groups.every((g) => g.length === k)) {
    throw new DistError(
      op,
      `the ${algorithm} algorithm needs the same number of devices on every node, got ${groups.map((g) => g.length).join(", ")} across ${groups.length} nodes`,
    );
  }
  groups.forEach((g, a) => {
    if (!g.every((r, i) => r === a * k + i))
      throw new DistError(op, `the ${algorithm} algorithm needs the ranks ordered node by node (${k} per node); reorder the shards`);
  });
  return groups;
}

function plan(
  collective: CollectiveName,
  devices: SimDevice[],
  bufferElements: number,
  countElements: number,
  elemBytes: number,
  opts: CollectiveOptions & { root?: number },
  withData = true,
): Plan {
  const op = `dist.${collective}`;
  const cluster = checkDevices(op, devices);
  const entry = COLLECTIVES[collective];
  const algorithm = opts.algorithm ?? entry.defaultAlgorithm;
  const alg = entry.algorithms[algorithm];
  if (!alg) throw new DistError(op, `has no "${algorithm}" algorithm (it has: ${Object.keys(entry.algorithms).join(", ")})`);
  const p = devices.length;
  if (alg.needs === "pow2" && !isPow2(p))
    throw new DistError(op, `the ${algorithm} algorithm needs a power-of-two device count, got ${p}: use "ring" (any count) or pad the group`);
  const chunks = opts.chunks ?? 1;
  if (!Number.isInteger(chunks) || chunks < 1) throw new DistError(op, `chunks must be a positive integer, got ${chunks}`);
  const nodes = alg.needs === "nodes" ? nodeGroups(op, algorithm, devices) : [devices.map((_, r) => r)];
  // Refuse before building what would not fit in the host's memory (a ring over 4096 ranks has 33 million transfers).
  const limit = opts.memoryLimit ?? DEFAULT_COLLECTIVE_MEMORY_LIMIT;
  const footprint = collectiveFootprint(collective, algorithm, p, chunks, 2 * p * chunks, withData ? p * bufferElements * elemBytes : 0);
  if (footprint > limit)
    throw new DistError(
      op,
      `the ${algorithm} schedule over ${p} ranks would take about ${fmtBytes(footprint)} of host memory (${transferBound(collective, algorithm, p, chunks).toLocaleString("en-US")} transfers at most, ${BYTES_PER_TRANSFER} bytes each${withData ? ", plus one buffer per rank" : ""}), over the limit of ${fmtBytes(limit)}: cost it in closed form with dist.plan(...) or dist.collectiveTime(...), use a tree or hierarchical algorithm, fewer ranks, or raise memoryLimit`,
    );
  const ctx: BuildContext = { p, elements: bufferElements, chunks, root: opts.root ?? 0, nodes };
  return { collective, algorithm, devices, cluster, schedule: alg.build(ctx), elemBytes, countElements };
}

function clock(pl: Plan, opts: CollectiveOptions): CollectiveResult {
  const p = pl.devices.length;
  const gamma = pl.devices.map((d) => reduceSecondsPerByte(d.spec, pl.elemBytes));
  const start = typeof opts.start === "number" ? new Float64Array(p).fill(opts.start) : opts.start;
  if (start) {
    if (start.length !== p) throw new DistError(`dist.${pl.collective}`, `start needs one time per rank (${p}), got ${start.length}`);
    for (let i = 0; i < p; i++)
      if (!Number.isFinite(start[i])) throw new DistError(`dist.${pl.collective}`, `start must be a finite time in seconds, got ${start[i]} for rank ${i}`);
  }
  const r: SimResult = simulate(pl.schedule, {
    topology: pl.cluster.topology,
    devices: pl.devices.map((d) => d.id),
    elemBytes: pl.elemBytes,
    gamma,
    start,
    ports: opts.ports,
    linkFree: opts.linkFree,
  });
  const cols = pl.schedule.columns();
  const ids = Int32Array.from(pl.devices, (d) => d.id);
  // Ranks → device ids (no copy when rank r is device r, as for `cluster.devices`).
  const identity = ids.every((id, r) => id === r);
  const n = cols.src.length;
  let src = cols.src,
    dst = cols.dst;
  if (!identity) {
    src = new Int32Array(n);
    dst = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      src[i] = ids[cols.src[i]];
      dst[i] = ids[cols.dst[i]];
    }
  }
  const timeline = new CommTimeline(
    { t0: r.t0, t1: r.t1, src, dst, link: r.route, bytes: r.bytes, chunk: cols.chunk, step: cols.step },
    r.routes.map((x) => x.name),
  );
  let t0 = Infinity;
  for (let i = 0; i < p; i++) t0 = Math.min(t0, start ? start[i] : 0);
  const time = p === 1 ? 0 : r.time - t0;
  const bytes = pl.countElements * pl.elemBytes;
  const algbw = time > 0 ? bytes / time : Infinity;
  const busbw = algbw * COLLECTIVES[pl.collective].busFactor(p);
  const res: CollectiveResult = {
    collective: pl.collective,
    algorithm: pl.algorithm,
    devices: pl.devices,
    timeline,
    time,
    finish: r.finish,
    bytes,
    algbw,
    busbw,
  };
  if (opts.emit !== false && hasListeners()) {
    emit({
      type: "comm",
      phase: "collective",
      cluster: pl.cluster.id,
      collective: pl.collective,
      algorithm: pl.algorithm,
      devices: [...ids],
      bytes,
      time,
      algbw,
      busbw,
      transfers: timeline.columns,
      routes: timeline.routes,
    });
  }
  return res;
}

// ------------------------------------------------------------------ data in and out

function checkShards(op: string, shards: readonly DeviceTensor[]): { devices: SimDevice[]; shape: readonly number[]; dtype: DType } {
  if (!Array.isArray(shards) || shards.length === 0) throw new DistError(op, "needs a non-empty array of tensors placed on simulated devices (dist.place)");
  shards.forEach((s, r) => {
    if (!(s instanceof DeviceTensor))
      throw new DistError(op, `shard ${r} (${describe(s)}) is not on a simulated device: create it there (randn(shape, { device: d })) or move it (t.to(d))`);
    if (s.isFreed) throw new DistError(op, `shard ${r} (${s}) was freed`);
  });
  const { shape, dtype } = shards[0];
  shards.forEach((s, r) => {
    if (s.shape.length !== shape.length || s.shape.some((d: number, i: number) => d !== shape[i])) {
      throw new DistError(
        op,
        `shards must have one shape: shard 0 on ${shards[0].device.name} is [${shape.join(", ")}], shard ${r} on ${s.device.name} is [${s.shape.join(", ")}]`,
      );
    }
    if (s.dtype !== dtype) throw new DistError(op, `shards must have one dtype: shard 0 is ${dtype}, shard ${r} is ${s.dtype}`);
  });
  if (dtype === "bool") throw new DistError(op, "cannot reduce or move bool tensors: cast them to int32 or float32");
  return { devices: shards.map((s) => s.device), shape, dtype };
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function buffers(p: number, elements: number, dtype: DType): TypedArray[] {
  return Array.from({ length: p }, () => allocArray(dtype, elements));
}

function out(data: TypedArray, shape: readonly number[], dtype: DType, device: SimDevice, category: MemoryCategory): DeviceTensor {
  return new DeviceTensor(tensor(data, { dtype, shape: [...shape] }), device, category);
}

function splitDim0(op: string, shape: readonly number[], p: number): number[] {
  if (shape.length === 0 || shape[0] % p !== 0)
    throw new DistError(op, `splits dim 0 across ${p} devices, so it must be divisible by ${p}; the shape is [${shape.join(", ")}]`);
  return [shape[0] / p, ...shape.slice(1)];
}

function run(pl: Plan, bufs: TypedArray[], opts: CollectiveOptions): CollectiveResult & Pick<CollectiveOutput, "steps" | "blockCount"> {
  if (!opts.trace) {
    executeSchedule(pl.schedule, bufs);
    return clock(pl, opts);
  }
  const steps: CollectiveStep[] = [];
  const cols = pl.schedule.columns();
  executeSchedule(pl.schedule, bufs, (step, from, to) => {
    const sends: CollectiveStep["sends"] = [];
    for (let k = from; k < to; k++)
      sends.push({ src: cols.src[k], dst: cols.dst[k], block: cols.srcBlock[k], blocks: cols.nBlocks[k], reduce: cols.reduce[k] === 1 });
    steps.push({ step, sends, buffers: bufs.map((b) => Array.from(b, Number)) });
  });
  return { ...clock(pl, opts), steps, blockCount: pl.schedule.blocks };
}

/** Rank index of a root given as a device or a rank. */
function rootRank(op: string, devices: SimDevice[], root: number | SimDevice | undefined, rootIsTensor = false): number {
  if (root === undefined) return 0;
  if (!Array.isArray(devices) || devices.some((d) => !(d instanceof SimDevice)))
    throw new DistError(op, "expects an array of simulated devices (cluster.devices) as the ranks");
  const r = typeof root === "number" ? root : devices.indexOf(root);
  if (!Number.isInteger(r) || r < 0 || r >= devices.length) {
    const names = devices.map((d) => d.name).join(", ");
    if (typeof root === "number") throw new DistError(op, `root ${root} is not one of the ${devices.length} ranks`);
    throw new DistError(
      op,
      `${rootIsTensor ? "the tensor is on" : "root"} ${root.name}, which is not among the devices [${names}]: ${rootIsTensor ? `move it there first (t.to(${devices[0]?.name ?? "device"}))` : "pick one of them"}`,
    );
  }
  return r;
}

/** A short description of something that should have been a DeviceTensor. */
function describe(x: unknown): string {
  if (x instanceof Tensor) return `a plain Tensor [${x.shape.join(", ")}] on ${x.device}`;
  return x === null ? "null" : typeof x === "object" ? (x.constructor?.name ?? "an object") : typeof x;
}

/**
 * Sum the shards element-wise; every device receives the sum.
 * @example
 * const c = dist.cluster({ devicesPerNode: 4 });
 * const xs = c.devices.map((d, i) => dist.place(full([1024], i), d));
 * const r = dist.allReduce(xs, { algorithm: "ring" });   // every output is full([1024], 6)
 * r.time; r.busbw; r.timeline.get(0)
 */
export function allReduce(shards: DeviceTensor[], opts: CollectiveOptions = {}): CollectiveOutput {
  const { devices, shape, dtype } = checkShards("dist.allReduce", shards);
  const n = size(shape),
    p = devices.length;
  const pl = plan("allReduce", devices, n, n, ITEM_SIZE[dtype], opts);
  const bufs = shards.map((s) => s.tensor.dataSync().slice() as TypedArray);
  const res = run(pl, bufs, opts);
  return { ...res, outputs: bufs.map((b, r) => out(b, shape, dtype, devices[r], opts.category ?? shards[r].category)).slice(0, p) };
}

/**
 * Sum the shards and split the sum along dim 0: rank r receives part r.
 * @example const r = dist.reduceScatter(grads, { algorithm: "ring" });   // grads [p·k, …] → outputs [k, …]
 */
export function reduceScatter(shards: DeviceTensor[], opts: CollectiveOptions = {}): CollectiveOutput {
  const { devices, shape, dtype } = checkShards("dist.reduceScatter", shards);
  const p = devices.length,
    n = size(shape);
  const outShape = splitDim0("dist.reduceScatter", shape, p);
  const pl = plan("reduceScatter", devices, n, n, ITEM_SIZE[dtype], opts);
  const bufs = shards.map((s) => s.tensor.dataSync().slice() as TypedArray);
  const res = run(pl, bufs, opts);
  const m = n / p;
  return { ...res, outputs: bufs.map((b, r) => out(b.slice(r * m, (r + 1) * m), outShape, dtype, devices[r], opts.category ?? shards[r].category)) };
}

/**
 * Concatenate the shards along dim 0 on every device.
 * @example const r = dist.allGather(paramShards);   // [k, …] each → [p·k, …] on every device
 */
export function allGather(shards: DeviceTensor[], opts: CollectiveOptions = {}): CollectiveOutput {
  const { devices, shape, dtype } = checkShards("dist.allGather", shards);
  const p = devices.length,
    m = size(shape);
  const pl = plan("allGather", devices, p * m, p * m, ITEM_SIZE[dtype], opts);
  const bufs = buffers(p, p * m, dtype);
  shards.forEach((s, r) => bufs[r].set(s.tensor.dataSync() as never, r * m));
  const res = run(pl, bufs, opts);
  const outShape = shape.length === 0 ? [p] : [p * shape[0], ...shape.slice(1)];
  return { ...res, outputs: bufs.map((b, r) => out(b, outShape, dtype, devices[r], opts.category ?? shards[r].category)) };
}

/**
 * Copy the root's tensor to every device in `devices` (the root is `t.device`, which must be among them).
 * @example const r = dist.broadcast(w, c.devices, { algorithm: "tree", chunks: 8 });
 */
export function broadcast(t: DeviceTensor, devices: SimDevice[], opts: CollectiveOptions = {}): CollectiveOutput {
  const { dtype, shape } = checkShards("dist.broadcast", [t]);
  const root = rootRank("dist.broadcast", devices, t.device, true);
  const n = size(shape),
    p = devices.length;
  const pl = plan("broadcast", devices, n, n, ITEM_SIZE[dtype], { ...opts, root });
  const bufs = buffers(p, n, dtype);
  bufs[root].set(t.tensor.dataSync() as never);
  const res = run(pl, bufs, opts);
  return { ...res, outputs: bufs.map((b, r) => out(b, shape, dtype, devices[r], opts.category ?? t.category)) };
}

/**
 * Sum the shards onto the root (a rank index or a device; default rank 0).
 * @example const r = dist.reduce(xs, { root: 2, algorithm: "binomial" }); r.outputs[0].device.name   // the root's
 */
export function reduce(shards: DeviceTensor[], opts: CollectiveOptions & { root?: number | SimDevice } = {}): CollectiveOutput {
  const { devices, shape, dtype } = checkShards("dist.reduce", shards);
  const root = rootRank("dist.reduce", devices, opts.root);
  const n = size(shape);
  const pl = plan("reduce", devices, n, n, ITEM_SIZE[dtype], { ...opts, root });
  const bufs = shards.map((s) => s.tensor.dataSync().slice() as TypedArray);
  const res = run(pl, bufs, opts);
  return { ...res, outputs: [out(bufs[root], shape, dtype, devices[root], opts.category ?? shards[root].category)] };
}

/**
 * Concatenate the shards along dim 0 on the root.
 * @example const r = dist.gather(xs, { root: 0 }); r.outputs[0].shape   // [p·k, …]
 */
export function gather(shards: DeviceTensor[], opts: CollectiveOptions & { root?: number | SimDevice } = {}): CollectiveOutput {
  const { devices, shape, dtype } = checkShards("dist.gather", shards);
  const root = rootRank("dist.gather", devices, opts.root);
  const p = devices.length,
    m = size(shape);
  const pl = plan("gather", devices, p * m, p * m, ITEM_SIZE[dtype], { ...opts, root });
  const bufs = buffers(p, p * m, dtype);
  // Slots are in relative-rank order: rank r's slot is (r − root) mod p.
  shards.forEach((s, r) => bufs[r].set(s.tensor.dataSync() as never, ((r - root + p) % p) * m));
  const res = run(pl, bufs, opts);
  const result = allocArray(dtype, p * m);
  for (let r = 0; r < p; r++) result.set(bufs[root].subarray(((r - root + p) % p) * m, (((r - root + p) % p) + 1) * m) as never, r * m);
  const outShape = shape.length === 0 ? [p] : [p * shape[0], ...shape.slice(1)];
  return { ...res, outputs: [out(result, outShape, dtype, devices[root], opts.category ?? shards[root].category)] };
}

/**
 * Split the root's tensor along dim 0 and send part r to device r (the root is `t.device`).
 * @example const r = dist.scatter(batch, c.devices);   // [p·k, …] → [k, …] on each device
 */
export function scatter(t: DeviceTensor, devices: SimDevice[], opts: CollectiveOptions = {}): CollectiveOutput {
  const { dtype, shape } = checkShards("dist.scatter", [t]);
  const root = rootRank("dist.scatter", devices, t.device, true);
  const p = devices.length,
    n = size(shape);
  const outShape = splitDim0("dist.scatter", shape, p);
  const m = n / p;
  const pl = plan("scatter", devices, n, n, ITEM_SIZE[dtype], { ...opts, root });
  const bufs = buffers(p, n, dtype);
  const src = t.tensor.dataSync();
  for (let r = 0; r < p; r++) bufs[root].set(src.subarray(r * m, (r + 1) * m) as never, ((r - root + p) % p) * m);
  const res = run(pl, bufs, opts);
  return {
    ...res,
    outputs: bufs.map((b, r) =>
      out(b.slice(((r - root + p) % p) * m, (((r - root + p) % p) + 1) * m), outShape, dtype, devices[r], opts.category ?? t.category),
    ),
  };
}

/**
 * Every rank splits its tensor along dim 0 into p parts and sends part j to rank j; rank j's
 * output stacks the parts it received, in rank order (expert parallelism's dispatch).
 * @example const r = dist.allToAll(tokens);   // [p·k, d] each → [p·k, d] each, transposed across ranks
 */
export function allToAll(shards: DeviceTensor[], opts: CollectiveOptions = {}): CollectiveOutput {
  const { devices, shape, dtype } = checkShards("dist.allToAll", shards);
  const p = devices.length,
    n = size(shape);
  splitDim0("dist.allToAll", shape, p);
  const m = n / p;
  const pl = plan("allToAll", devices, 2 * n, n, ITEM_SIZE[dtype], opts);
  const bufs = buffers(p, 2 * n, dtype);
  shards.forEach((s, r) => {
    const d = s.tensor.dataSync();
    bufs[r].set(d as never, 0);
    bufs[r].set(d.subarray(r * m, (r + 1) * m) as never, n + r * m); // the part a rank keeps
  });
  const res = run(pl, bufs, opts);
  return { ...res, outputs: bufs.map((b, r) => out(b.slice(n, 2 * n), shape, dtype, devices[r], opts.category ?? shards[r].category)) };
}

/**
 * Send a tensor to another device (send/recv): the copy lands there, the timeline shows the route.
 * @example const r = dist.send(x, c.devices[5], { chunks: 4 }); r.outputs[0].device.name   // "d5"
 */
export function send(t: DeviceTensor, to: SimDevice, opts: CollectiveOptions = {}): CollectiveOutput {
  const { dtype, shape } = checkShards("dist.send", [t]);
  if (to === t.device) throw new DistError("dist.send", `the tensor is already on ${to.name}`);
  const n = size(shape);
  const pl = plan("send", [t.device, to], n, n, ITEM_SIZE[dtype], opts);
  const bufs = buffers(2, n, dtype);
  bufs[0].set(t.tensor.dataSync() as never);
  const res = run(pl, bufs, opts);
  return { ...res, outputs: [out(bufs[1], shape, dtype, to, opts.category ?? t.category)] };
}

deviceTransfer.send = send;

/**
 * Options of `dist.simulate`.
 * @example dist.simulate("allToAll", { devices: c.devices, bytes: 2 ** 20, dtype: "bfloat16", algorithm: "pairwise" })
 */
export interface SimulateOptions extends CollectiveOptions {
  /** The ranks' devices. */
  devices: SimDevice[];
  /** The data size as nccl-tests counts it for this collective (bytes). */
  bytes: number;
  /** Element type on the wire (default float32). */
  dtype?: SimDType;
  /** Root rank of rooted collectives. */
  root?: number;
}

/**
 * The clock alone: a collective's timeline and time for `bytes` of data, without moving any data
 * (no per-device buffers), for large device counts and sweeps.
 * @example
 * const c = dist.cluster({ nodes: 128, devicesPerNode: 8 });
 * const r = dist.simulate("allReduce", { devices: c.devices, bytes: 2 ** 20, algorithm: "ring" });
 * r.time; r.busbw
 */
export function simulateCollective(collective: CollectiveName, opts: SimulateOptions): CollectiveResult {
  const eb = SIM_ITEM_SIZE[opts.dtype ?? "float32"];
  const count = Math.round(opts.bytes / eb);
  if (!(count >= 0)) throw new DistError("dist.simulate", `bytes must be ≥ 0, got ${opts.bytes}`);
  const buffer = collective === "allToAll" ? 2 * count : count;
  const pl = plan(collective, opts.devices, buffer, count, eb, opts, false);
  return clock(pl, opts);
}
