/**
 * Automatic strategy search for operator sharding, in the way of MindSpore's auto-parallel: each
 * matmul of a chain `[rows × inner]·[inner × cols]` (an MLP's layers) picks one of four shardings
 * over a 1-D group of D devices — "data" (rows split, weight replicated), "column" (weight split by
 * columns), "row" (weight split by rows, a partial sum out) or "replicated" — and a cost model prices
 * each choice: its compute (split D ways unless replicated), the allReduce of a data-parallel
 * weight's gradient, and the redistribution of activations between what one op produces and what
 * the next needs (forward) and of their gradients (backward), with the ring collectives' α–β times.
 * `searchShardings` finds the cheapest assignment by dynamic programming over the chain (one state per
 * op and sharding, as MindSpore's graph search does on a chain); `enumerateShardings` tries every
 * assignment, which is what the search must agree with. `shardingSpecs` turns a choice into the
 * `dist.shard` specs that run it on real data.
 * @module
 */
import { DistError } from "../errors";
import type { ShardingSpec } from "./sharding";

/**
 * How one matmul is cut over the devices.
 * @example const s: dist.OpSharding = "column";
 */
export type OpSharding = "data" | "column" | "row" | "replicated";

/**
 * Where an activation (or its gradient) lives: whole on every device, split by rows (the batch) or
 * by columns, or a partial sum each device holds a term of.
 * @example const l: dist.ActivationLayout = "rows";
 */
export type ActivationLayout = "replicated" | "rows" | "cols" | "partial";

/**
 * One matmul of the chain: input `[rows × inner]` times weight `[inner × cols]`.
 * @example const op: dist.MatmulOp = { name: "fc1", rows: 8192, inner: 4096, cols: 16384 };
 */
export interface MatmulOp {
  name: string;
  rows: number;
  inner: number;
  cols: number;
}

/**
 * What the cost model knows about the devices and their link.
 * @example const m: dist.ShardingCostModel = { devices: 4, peakFlops: 312e12, bandwidth: 300e9, latency: 2e-6 };
 */
export interface ShardingCostModel {
  /** Devices in the group (D). */
  devices: number;
  /** FLOP/s one device computes. */
  peakFlops: number;
  /** Bytes/s each device sends on the link. */
  bandwidth: number;
  /** Seconds per message α. */
  latency: number;
  /** Bytes per element of activations and gradients (default 2: 16-bit). */
  itemBytes?: number;
  /** Price backward too (default true): compute ×3, gradients redistributed, data-parallel weights' gradients all-reduced. */
  training?: boolean;
}

/**
 * A redistribution of one activation or gradient: the collective it takes and its seconds.
 * @example plan.steps[0].forward.collective   // "allGather"
 */
export interface Redistribution {
  from: ActivationLayout;
  to: ActivationLayout;
  collective: "none" | "slice" | "allGather" | "reduceScatter" | "allReduce" | "allToAll";
  seconds: number;
}

/**
 * One op's part of a costed assignment.
 * @example plan.steps.map((s) => `${s.op}: ${s.sharding}`)
 */
export interface ShardingStep {
  op: string;
  sharding: OpSharding;
  /** Getting its input into the layout the sharding needs. */
  forward: Redistribution;
  /** Getting the gradient of its output into the layout its backward needs (training). */
  backward: Redistribution;
  /** Seconds of its matmuls (forward, and backward when training). */
  compute: number;
  /** Seconds of the allReduce of its weight's gradient ("data" only). */
  weightSync: number;
}

/**
 * A costed assignment: one sharding per op, and what each costs. The output's redistribution to
 * the layout the loss wants is `final`.
 * @example dist.searchShardings(ops, model).best.cost
 */
export interface ShardingPlan {
  shardings: OpSharding[];
  steps: ShardingStep[];
  final: { forward: Redistribution; backward: Redistribution };
  compute: number;
  communication: number;
  /** compute + communication, seconds. */
  cost: number;
}

/**
 * Where the chain's input arrives and where its output must go (default: both split by rows, as a
 * data loader hands each device its part of the batch and the loss is taken per part).
 * @example { input: "replicated", output: "replicated" } satisfies dist.ShardingEnds
 */
export interface ShardingEnds {
  input?: ActivationLayout;
  output?: ActivationLayout;
}

/** The four shardings, in the order tables list them. */
export const OP_SHARDINGS: readonly OpSharding[] = ["data", "column", "row", "replicated"];

/** Input layout a sharding needs, output layout it produces, gradient layouts of its input and the output gradient it needs. */
const LAYOUTS: Record<OpSharding, { input: ActivationLayout; output: ActivationLayout; inputGrad: ActivationLayout; outputGrad: ActivationLayout }> = {
  data: { input: "rows", output: "rows", inputGrad: "rows", outputGrad: "rows" },
  // X·W[:, cols]: the input whole, the output split by columns; dX = dY_cols·W_colsᵀ is a partial sum.
  column: { input: "replicated", output: "cols", inputGrad: "partial", outputGrad: "cols" },
  // X[:, k]·W[k, :]: the input split by columns, each device a partial sum; dY is needed whole.
  row: { input: "cols", output: "partial", inputGrad: "cols", outputGrad: "replicated" },
  replicated: { input: "replicated", output: "replicated", inputGrad: "replicated", outputGrad: "replicated" },
};

/**
 * Seconds to move a `[rows × width]` tensor from one layout to another with ring collectives
 * (Thakur et al.: (D − 1) steps of α + V/(Dβ); allReduce twice that; an allToAll sends 1/D of each part).
 * A partial sum is never a destination: an op never needs one.
 * @example dist.redistributionCost("partial", "replicated", 8192 * 4096, { devices: 4, peakFlops: 312e12, bandwidth: 300e9, latency: 2e-6 })
 */
export function redistributionCost(from: ActivationLayout, to: ActivationLayout, elements: number, m: ShardingCostModel): Redistribution {
  if (to === "partial") throw new DistError("dist.redistributionCost", `no op needs a partial sum as its input (from ${from})`);
  const D = m.devices,
    V = elements * (m.itemBytes ?? 2);
  const ring = (bytes: number) => (D - 1) * (m.latency + bytes / (D * m.bandwidth));
  if (from === to || D === 1) return { from, to, collective: "none", seconds: 0 };
  if (from === "replicated") return { from, to, collective: "slice", seconds: 0 };
  if (from === "partial")
    return to === "replicated" ? { from, to, collective: "allReduce", seconds: 2 * ring(V) } : { from, to, collective: "reduceScatter", seconds: ring(V) };
  if (to === "replicated") return { from, to, collective: "allGather", seconds: ring(V) };
  return { from, to, collective: "allToAll", seconds: ring(V / D) };
}

/** Whether a sharding divides the op's dims evenly over D devices. */
export function shardingFits(op: MatmulOp, s: OpSharding, devices: number): boolean {
  if (s === "data") return op.rows % devices === 0;
  if (s === "column") return op.cols % devices === 0;
  if (s === "row") return op.inner % devices === 0;
  return true;
}

function checkChain(ops: readonly MatmulOp[], m: ShardingCostModel, where: string): void {
  if (ops.length === 0) throw new DistError(where, "needs at least one op");
  if (!(Number.isInteger(m.devices) && m.devices >= 1)) throw new DistError(where, `devices must be a positive integer, got ${m.devices}`);
  ops.forEach((op, i) => {
    if (i > 0 && op.rows !== ops[i - 1].rows) throw new DistError(where, `op ${op.name} has ${op.rows} rows, the op before it ${ops[i - 1].rows}`);
    if (i > 0 && op.inner !== ops[i - 1].cols) throw new DistError(where, `op ${op.name} takes ${op.inner} columns, the op before it makes ${ops[i - 1].cols}`);
  });
}

/** The op's own cost under a sharding: compute and the gradient allReduce of a data-parallel weight. */
function opCost(op: MatmulOp, s: OpSharding, m: ShardingCostModel): { compute: number; weightSync: number } {
  const training = m.training ?? true;
  const split = s === "replicated" ? 1 : m.devices;
  const compute = ((training ? 3 : 1) * 2 * op.rows * op.inner * op.cols) / split / m.peakFlops;
  const weightSync = training && s === "data" ? redistributionCost("partial", "replicated", op.inner * op.cols, m).seconds : 0;
  return { compute, weightSync };
}

/** Forward and backward redistribution at the edge between a producer (or the input) and a consumer (or the loss). */
function edge(
  produced: ActivationLayout,
  needed: ActivationLayout,
  gradGiven: ActivationLayout,
  gradNeeded: ActivationLayout | undefined,
  elements: number,
  m: ShardingCostModel,
): { forward: Redistribution; backward: Redistribution } {
  const forward = redistributionCost(produced, needed, elements, m);
  // The chain's input needs no gradient; otherwise the consumer's input gradient goes where the producer's backward wants it.
  const backward =
    (m.training ?? true) && gradNeeded !== undefined
      ? redistributionCost(gradGiven, gradNeeded, elements, m)
      : { from: gradGiven, to: gradGiven, collective: "none" as const, seconds: 0 };
  return { forward, backward };
}

/**
 * Cost one assignment of shardings to the chain's ops.
 * @example dist.costShardings(ops, ["column", "row"], { devices: 4, peakFlops: 312e12, bandwidth: 300e9, latency: 2e-6 })
 */
export function costShardings(ops: readonly MatmulOp[], shardings: readonly OpSharding[], m: ShardingCostModel, ends: ShardingEnds = {}): ShardingPlan {
  checkChain(ops, m, "dist.costShardings");
  if (shardings.length !== ops.length) throw new DistError("dist.costShardings", `${ops.length} ops need ${ops.length} shardings, got ${shardings.length}`);
  const input = ends.input ?? "rows",
    output = ends.output ?? "rows";
  const steps: ShardingStep[] = ops.map((op, i) => {
    const s = shardings[i];
    if (!shardingFits(op, s, m.devices))
      throw new DistError(
        "dist.costShardings",
        `op ${op.name} [${op.rows}×${op.inner}]·[${op.inner}×${op.cols}] cannot be cut "${s}" over ${m.devices} devices`,
      );
    const prev = i > 0 ? LAYOUTS[shardings[i - 1]] : undefined;
    const e = edge(prev?.output ?? input, LAYOUTS[s].input, LAYOUTS[s].inputGrad, prev?.outputGrad, op.rows * op.inner, m);
    return { op: op.name, sharding: s, ...e, ...opCost(op, s, m) };
  });
  const last = ops[ops.length - 1],
    lastLayout = LAYOUTS[shardings[shardings.length - 1]];
  // The loss's gradient arrives in the layout the loss was taken in.
  const final = edge(lastLayout.output, output, output === "partial" ? "replicated" : output, lastLayout.outputGrad, last.rows * last.cols, m);
  const compute = steps.reduce((a, s) => a + s.compute, 0);
  const communication = steps.reduce((a, s) => a + s.forward.seconds + s.backward.seconds + s.weightSync, 0) + final.forward.seconds + final.backward.seconds;
  return { shardings: [...shardings], steps, final, compute, communication, cost: compute + communication };
}

/**
 * Every assignment that divides evenly (4ⁿ for n ops at most), costed and sorted cheapest first:
 * the brute force the search must agree with, and the candidate list a lesson shows.
 * @example dist.enumerateShardings(ops, model).slice(0, 3).map((p) => p.shardings.join(" → "))
 */
export function enumerateShardings(ops: readonly MatmulOp[], m: ShardingCostModel, ends: ShardingEnds = {}): ShardingPlan[] {
  checkChain(ops, m, "dist.enumerateShardings");
  if (ops.length > 8) throw new DistError("dist.enumerateShardings", `4^${ops.length} assignments are too many to list; use dist.searchShardings`);
  let partial: OpSharding[][] = [[]];
  for (const op of ops) partial = partial.flatMap((p) => OP_SHARDINGS.filter((s) => shardingFits(op, s, m.devices)).map((s) => [...p, s]));
  return partial.map((s) => costShardings(ops, s, m, ends)).sort((a, b) => a.cost - b.cost);
}

/**
 * What the search found: the cheapest assignment, and for each op and sharding the cheapest cost of
 * the chain up to and including that op (the dynamic program's table; Infinity where the sharding
 * does not divide the op).
 * @example const { best, table } = dist.searchShardings(ops, model);
 */
export interface ShardingSearch {
  best: ShardingPlan;
  table: { op: string; cost: Record<OpSharding, number> }[];
  /** (op, sharding, predecessor) triples the search priced: n·16 at most, against 4ⁿ assignments. */
  evaluated: number;
}

/**
 * Find the cheapest sharding of each op by dynamic programming over the chain: the cost of a
 * prefix ending in sharding s is its op's own cost plus the cheapest prefix before it plus the
 * redistribution between the two (forward and backward), so each op needs only the previous op's
 * four best costs.
 * @example
 * const ops = [{ name: "fc1", rows: 8192, inner: 4096, cols: 16384 }, { name: "fc2", rows: 8192, inner: 16384, cols: 4096 }];
 * dist.searchShardings(ops, { devices: 4, peakFlops: 312e12, bandwidth: 300e9, latency: 2e-6 }).best.shardings   // ["column", "row"]
 */
export function searchShardings(ops: readonly MatmulOp[], m: ShardingCostModel, ends: ShardingEnds = {}): ShardingSearch {
  checkChain(ops, m, "dist.searchShardings");
  const input = ends.input ?? "rows",
    output = ends.output ?? "rows";
  let evaluated = 0;
  const table: ShardingSearch["table"] = [];
  const from: Record<OpSharding, OpSharding | undefined>[] = [];
  let prev: Record<OpSharding, number> | undefined;
  ops.forEach((op) => {
    const cost = {} as Record<OpSharding, number>;
    const back = {} as Record<OpSharding, OpSharding | undefined>;
    for (const s of OP_SHARDINGS) {
      cost[s] = Infinity;
      if (!shardingFits(op, s, m.devices)) continue;
      const own = opCost(op, s, m);
      const base = own.compute + own.weightSync;
      if (!prev) {
        evaluated++;
        const e = edge(input, LAYOUTS[s].input, LAYOUTS[s].inputGrad, undefined, op.rows * op.inner, m);
        cost[s] = base + e.forward.seconds + e.backward.seconds;
        continue;
      }
      for (const p of OP_SHARDINGS) {
        if (prev[p] === Infinity) continue;
        evaluated++;
        const e = edge(LAYOUTS[p].output, LAYOUTS[s].input, LAYOUTS[s].inputGrad, LAYOUTS[p].outputGrad, op.rows * op.inner, m);
        const c = prev[p] + base + e.forward.seconds + e.backward.seconds;
        if (c < cost[s]) {
          cost[s] = c;
          back[s] = p;
        }
      }
    }
    table.push({ op: op.name, cost });
    from.push(back);
    prev = cost;
  });
  // Close the chain with the redistribution to the loss's layout, then walk the choices back.
  const last = ops[ops.length - 1];
  let end: OpSharding | undefined,
    endCost = Infinity;
  for (const s of OP_SHARDINGS) {
    if (prev![s] === Infinity) continue;
    const e = edge(LAYOUTS[s].output, output, output === "partial" ? "replicated" : output, LAYOUTS[s].outputGrad, last.rows * last.cols, m);
    const c = prev![s] + e.forward.seconds + e.backward.seconds;
    if (c < endCost) [end, endCost] = [s, c];
  }
  if (end === undefined) throw new DistError("dist.searchShardings", "no sharding divides every op over the devices");
  const chosen: OpSharding[] = [end];
  for (let i = ops.length - 1; i > 0; i--) chosen.unshift(from[i][chosen[0]]!);
  return { best: costShardings(ops, chosen, m, ends), table, evaluated };
}

/**
 * The `dist.shard` specs that run a sharding on a 1-D mesh axis: the layout its input needs and
 * its weight's spec (layouts: rows → [axis, null], cols → [null, axis], replicated → [null, null]).
 * @example const { input, weight } = dist.shardingSpecs("column", "d");   // [null, null], [null, "d"]
 */
export function shardingSpecs(s: OpSharding, axis: string): { input: ShardingSpec; weight: ShardingSpec } {
  const weight: Record<OpSharding, ShardingSpec> = { data: [null, null], column: [null, axis], row: [axis, null], replicated: [null, null] };
  return { input: layoutSpec(LAYOUTS[s].input, axis), weight: weight[s] };
}

/**
 * The spec of an activation layout on a 1-D mesh axis (a partial sum has none: it is resolved first).
 * @example dist.layoutSpec("rows", "d")   // ["d", null]
 */
export function layoutSpec(l: ActivationLayout, axis: string): ShardingSpec {
  if (l === "partial") throw new DistError("dist.layoutSpec", "a partial sum is not a layout a tensor is sharded into");
  return l === "rows" ? [axis, null] : l === "cols" ? [null, axis] : [null, null];
}
