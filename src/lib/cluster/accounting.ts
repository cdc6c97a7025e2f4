/**
 * One memory accounting for every parallel strategy: a description of how training stores its
 * numbers (precision, optimizer state) gives the bytes per parameter of each memory category, so
 * the per-device bars of DDP, ZeRO, tensor, pipeline, hybrid and expert parallelism (and a
 * sharded tensor's model state) can be compared with each other. The default is the ZeRO paper's
 * mixed-precision training: fp16 parameters and gradients (2 + 2 bytes) and K bytes of fp32
 * optimizer state (a master copy of the parameters plus the optimizer's own values: K = 12 for
 * Adam). Activations are what autograd keeps for backward, measured on the real forward pass.
 * @module
 */
import type { TapeNode } from "../autodiff/tape";
import type { Optimizer } from "../optim/optimizer";
import { ITEM_SIZE } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import type { SimDevice } from "./device";
import { DistError } from "./errors";

/**
 * Numeric precision of training: "mixed" keeps fp16/bf16 parameters, gradients and activations
 * with an fp32 master copy of the parameters in the optimizer state; "fp32" keeps everything in
 * fp32 (what the simulation itself computes in).
 * @example const m: dist.MemoryModel = { precision: "fp32" satisfies dist.Precision, optimizerSlots: 2 };
 */
export type Precision = "mixed" | "fp32";

/**
 * How training stores its numbers: the precision, and how many fp32 values per parameter the
 * optimizer keeps (Adam 2: m and v; SGD with momentum 1; plain SGD 0).
 * @example new dist.DataParallel(make, c.devices, { optimizer: adam, memory: { precision: "fp32" } })
 */
export interface MemoryModel {
  precision: Precision;
  optimizerSlots: number;
}

/**
 * Bytes per element in each precision (a table: a new precision is one row). `master` is the fp32
 * copy of the parameters the optimizer updates in mixed precision.
 * @example dist.PRECISION_BYTES.mixed.parameters   // 2
 */
export const PRECISION_BYTES: Readonly<
  Record<Precision, { parameters: number; gradients: number; master: number; optimizerSlot: number; activations: number }>
> = {
  mixed: { parameters: 2, gradients: 2, master: 4, optimizerSlot: 4, activations: 2 },
  fp32: { parameters: 4, gradients: 4, master: 0, optimizerSlot: 4, activations: 4 },
};

/**
 * Bytes per parameter of the model state, by category.
 * @example dist.bytesPerParameter({ precision: "mixed", optimizerSlots: 2 })   // { parameters: 2, gradients: 2, optimizer: 12 }
 */
export interface StateBytes {
  parameters: number;
  gradients: number;
  /** K in the ZeRO paper. */
  optimizer: number;
}

/**
 * Bytes per parameter of a memory model (mixed-precision Adam: 2 + 2 + 12 = 16).
 * @example dist.bytesPerParameter({ precision: "fp32", optimizerSlots: 1 }).optimizer   // 4 (SGD momentum)
 */
export function bytesPerParameter(m: MemoryModel): StateBytes {
  const b = PRECISION_BYTES[m.precision];
  if (!b) throw new DistError("memory model", `unknown precision "${String(m.precision)}" (known: ${Object.keys(PRECISION_BYTES).join(", ")})`);
  if (!(m.optimizerSlots >= 0) || !Number.isFinite(m.optimizerSlots))
    throw new DistError("memory model", `optimizerSlots must be a finite number ≥ 0, got ${m.optimizerSlots}`);
  return { parameters: b.parameters, gradients: b.gradients, optimizer: b.master + b.optimizerSlot * m.optimizerSlots };
}

/**
 * How many ways each category is split across devices (1: every device holds all of it).
 * @example dist.modelState(psi, model, { optimizer: 64 })   // ZeRO-1 on 64 devices
 */
export interface StateSharding {
  parameters?: number;
  gradients?: number;
  optimizer?: number;
}

/**
 * Bytes one device holds for Ψ parameters under a memory model, each category divided by its
 * sharding.
 * @example dist.modelState(7.5e9, { precision: "mixed", optimizerSlots: 2 }).total   // 1.2e11 (16Ψ)
 */
export function modelState(psi: number, m: MemoryModel, shards: StateSharding = {}): StateBytes & { total: number } {
  const b = bytesPerParameter(m);
  const parameters = (b.parameters * psi) / (shards.parameters ?? 1);
  const gradients = (b.gradients * psi) / (shards.gradients ?? 1);
  const optimizer = (b.optimizer * psi) / (shards.optimizer ?? 1);
  return { parameters, gradients, optimizer, total: parameters + gradients + optimizer };
}

/**
 * fp32 values per parameter that an optimizer keeps, read from its real state (tensors the size
 * of their parameter; step counters do not count): Adam 2, AMSGrad 3, SGD with momentum 1, SGD 0.
 * @example dist.optimizerSlots(optim.adam(model.parameters()))   // 2
 */
export function optimizerSlots(opt: Optimizer): number {
  let params = 0,
    state = 0;
  for (const g of opt.paramGroups) {
    for (const p of g.params) {
      params += p.size;
      for (const [k, t] of Object.entries(opt.state.get(p) ?? {})) if (k !== "step" && t.size === p.size) state += t.size;
    }
  }
  return params === 0 ? 0 : state / params;
}

/**
 * The memory model of a strategy: the user's choice where given, else mixed precision with the
 * optimizer's own slot count (or `slots` when the strategy has no optimizer object).
 */
export function resolveMemoryModel(given: Partial<MemoryModel> | undefined, optimizer: Optimizer | number): MemoryModel {
  return {
    precision: given?.precision ?? "mixed",
    optimizerSlots: given?.optimizerSlots ?? (typeof optimizer === "number" ? optimizer : optimizerSlots(optimizer)),
  };
}

/** Account the model state of `numel` parameters on a device (`what` names it in an out-of-memory error). */
export function allocateState(d: SimDevice, numel: number, m: MemoryModel, what: string, shards: StateSharding = {}): void {
  const s = modelState(numel, m, shards);
  d.allocate(s.parameters, "parameters", `${what} parameters`);
  d.allocate(s.gradients, "gradients", `${what} gradients`);
  d.allocate(s.optimizer, "optimizer", `${what} optimizer state`);
}

/**
 * Bytes of the activations autograd keeps for backward of everything that `roots` were computed
 * from: every tensor saved by the tape nodes reachable from them, except parameters (storages of
 * `exclude`). Views of one storage that overlap (a reshape, a transpose, the tensor itself) count
 * once, at the largest size saved from them; views that do not overlap (the slices a device cuts
 * from a received buffer) each count: together they keep that much of the storage alive. Floating tensors count
 * at the model's activation precision, others at their own size. Call it between forward and
 * backward (backward frees what it saved).
 * @example dist.activationBytes([loss], model.parameters(), { precision: "fp32", optimizerSlots: 0 })
 */
export function activationBytes(roots: readonly Tensor[], exclude: Iterable<Tensor>, m: MemoryModel): number {
  const skip = new Set<unknown>();
  for (const p of exclude) skip.add(storageOf(p));
  const saved = new Map<unknown, { lo: number; hi: number; bytes: number }[]>();
  const seen = new Set<TapeNode>();
  const stack: TapeNode[] = [];
  for (const r of roots) if (r._node) stack.push(r._node);
  const itemSize = PRECISION_BYTES[m.precision].activations;
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const t of n.saved ? [...n.saved.inputs, n.saved.output] : []) {
      if (!t || t.size === 0) continue;
      const key = storageOf(t);
      if (skip.has(key)) continue;
      const bytes = t.size * (t.dtype.startsWith("float") ? itemSize : ITEM_SIZE[t.dtype]);
      const views = saved.get(key) ?? [];
      views.push({ ...extentOf(t), bytes });
      saved.set(key, views);
    }
    for (const e of n.edges) if (e?.node) stack.push(e.node);
  }
  let total = 0;
  for (const views of saved.values()) {
    // Overlapping views form one group, counted at its largest view; disjoint groups add.
    views.sort((a, b) => a.lo - b.lo);
    let hi = -Infinity,
      group = 0;
    for (const v of views) {
      if (v.lo >= hi) {
        total += group;
        group = 0;
      }
      hi = Math.max(hi, v.hi);
      group = Math.max(group, v.bytes);
    }
    total += group;
  }
  return total;
}

/** The element range [lo, hi) of its storage a tensor's view spans (the whole tensor when it has no view). */
function extentOf(t: Tensor): { lo: number; hi: number } {
  const v = t._view;
  if (!v) return { lo: 0, hi: t.size };
  let lo = v.offset,
    hi = v.offset + 1;
  v.shape.forEach((n, i) => {
    const reach = (n - 1) * v.strides[i];
    if (reach < 0) lo += reach;
    else hi += reach;
  });
  return { lo, hi };
}

/** A tensor's storage (views share it), or the tensor itself when it has none (tracers). */
function storageOf(t: Tensor): unknown {
  return t._view?.storage ?? t;
}

/**
 * Account each device's activations while `during` runs (the run event's memory then shows them),
 * then give them back: they live from forward to backward, not between steps. Running out of
 * memory is an error naming the device.
 */
export function withActivations<T>(devices: readonly SimDevice[], bytes: readonly number[], what: string, during: () => T): T {
  let done = 0;
  try {
    for (; done < devices.length; done++) devices[done].allocate(bytes[done], "activations", what);
    return during();
  } finally {
    for (let i = 0; i < done; i++) devices[i].free(bytes[i], "activations");
  }
}
