/**
 * The cost model: a roofline for compute on a device preset, γ (seconds per byte) for the
 * additions a reduction makes, and the closed-form α–β(–γ) costs of the collective algorithms
 * (Thakur, Rabenseifner & Gropp 2005; Hockney's model), which the simulator reproduces exactly for
 * p a power of two on contention-free links.
 * @module
 */
import { getOp, type AbstractValue, type Attrs } from "../ops/registry";
import type { IRGraph } from "../graph/ir";
import type { DeviceSpec, SimDType } from "./presets";

/**
 * Work of a piece of compute.
 * @example dist.roofline(spec, { flops: 2e9, bytes: 1e6 } satisfies dist.Work)
 */
export interface Work {
  flops: number;
  bytes: number;
}

/**
 * Roofline time: max(flops / peak, bytes / memory bandwidth).
 * @example dist.roofline(dist.DEVICE_PRESETS.A100, { flops: 2 * 1024 ** 3, bytes: 3 * 4 * 1024 ** 2 }, "bfloat16")
 */
export function roofline(spec: DeviceSpec, work: Work, dtype: SimDType = "float32"): number {
  const peak = spec.peakFlops[dtype] ?? spec.peakFlops.float32;
  return Math.max(work.flops / peak, work.bytes / spec.memoryBandwidth);
}

/**
 * Roofline time of one primitive from the op table's `cost()`.
 * @example dist.opTime(spec, "matmul", [{ shape: [64, 128], dtype: "float32" }, { shape: [128, 32], dtype: "float32" }])
 */
export function opTime(spec: DeviceSpec, op: string, inputs: readonly AbstractValue[], attrs: Attrs = {}, dtype: SimDType = "float32"): number {
  const def = getOp(op);
  const out = def.infer(inputs, attrs);
  const w = def.cost ? def.cost(inputs, out, attrs) : { flops: 0, bytes: 0 };
  return roofline(spec, w, dtype);
}

/**
 * The work of a traced graph (`jit(f).lower(...).graph`): the sum of every primitive's `cost()`
 * from the op table, with the FLOPs per primitive. Nodes with regions (fused kernels, control
 * flow) count their regions once (a loop body's trip count is not known here).
 * @example
 * const g = jit((x: Tensor) => block.forward(x)).lower(x).graph;
 * dist.graphWork(g).flops   // forward FLOPs of the block
 */
export function graphWork(graph: IRGraph): Work & { byOp: Record<string, number> } {
  const total = { flops: 0, bytes: 0, byOp: {} as Record<string, number> };
  const visit = (g: IRGraph): void => {
    for (const n of g.nodes) {
      if (n.regions) {
        n.regions.forEach(visit);
        continue;
      }
      const def = getOp(n.op);
      if (!def.cost) continue;
      const w = def.cost(n.inputs, n.output, n.attrs as never);
      total.flops += w.flops;
      total.bytes += w.bytes;
      total.byOp[n.op] = (total.byOp[n.op] ?? 0) + w.flops;
    }
  };
  visit(graph);
  return total;
}

/**
 * γ: seconds per byte to add a received buffer into a local one (read two, write one, one flop per
 * element): the roofline of that elementwise add.
 * @example dist.reduceSecondsPerByte(dist.DEVICE_PRESETS.A100, 4)
 */
export function reduceSecondsPerByte(spec: DeviceSpec, elemBytes: number, dtype: SimDType = "float32"): number {
  return roofline(spec, { flops: 1 / elemBytes, bytes: 3 }, dtype);
}

/**
 * Parameters of a closed form: p ranks, n bytes (as each collective defines it), α, β (s/byte), γ (s/byte), c chunks.
 * @example dist.CLOSED_FORMS["allGather:ring"]({ p: 8, n: 2 ** 20, alpha: 2e-6, beta: 1 / 300e9, gamma: 0 })
 */
export interface AlphaBeta {
  p: number;
  n: number;
  alpha: number;
  beta: number;
  gamma: number;
  chunks?: number;
  /** hierarchical: ranks per node k and the inter-node α, β. */
  k?: number;
  alpha2?: number;
  beta2?: number;
}

const lg = Math.log2;

/**
 * Closed-form times in the single-port α–β–γ model, keyed "collective:algorithm". n is the bytes of
 * each rank's buffer for allReduce/broadcast/reduce/send, the full gathered (or scattered, or
 * reduce-scattered input) size for allGather/gather/scatter/reduceScatter, and each rank's total
 * send size for allToAll.
 * @example dist.CLOSED_FORMS["allReduce:ring"]({ p: 8, n: 2 ** 20, alpha: 2e-6, beta: 1 / 300e9, gamma: 0 })
 */
export const CLOSED_FORMS: Record<string, (a: AlphaBeta) => number> = {
  "allReduce:ring": ({ p, n, alpha, beta, gamma }) => 2 * (p - 1) * alpha + ((2 * (p - 1)) / p) * n * beta + ((p - 1) / p) * n * gamma,
  "allReduce:recursive-doubling": ({ p, n, alpha, beta, gamma }) => lg(p) * (alpha + n * beta + n * gamma),
  "allReduce:rabenseifner": ({ p, n, alpha, beta, gamma }) => 2 * lg(p) * alpha + ((2 * (p - 1)) / p) * n * beta + ((p - 1) / p) * n * gamma,
  "allReduce:binomial": ({ p, n, alpha, beta, gamma }) => 2 * lg(p) * (alpha + n * beta) + lg(p) * n * gamma,
  "allReduce:direct": ({ p, n, alpha, beta, gamma }) => 2 * (p - 1) * (alpha + (n / p) * beta) + (n / p) * gamma,
  "allReduce:hierarchical": ({ p, n, alpha, beta, gamma, k = p, alpha2 = alpha, beta2 = beta }) => {
    const g = p / k;
    return 2 * (k - 1) * (alpha + (n / k) * beta) + ((k - 1) / k) * n * gamma + 2 * (g - 1) * (alpha2 + (n / p) * beta2) + ((g - 1) / g) * (n / k) * gamma;
  },
  "reduceScatter:ring": ({ p, n, alpha, beta, gamma }) => (p - 1) * alpha + ((p - 1) / p) * n * (beta + gamma),
  "reduceScatter:recursive-halving": ({ p, n, alpha, beta, gamma }) => lg(p) * alpha + ((p - 1) / p) * n * (beta + gamma),
  "reduceScatter:direct": ({ p, n, alpha, beta, gamma }) => (p - 1) * (alpha + (n / p) * beta) + (n / p) * gamma,
  "allGather:ring": ({ p, n, alpha, beta }) => (p - 1) * alpha + ((p - 1) / p) * n * beta,
  "allGather:recursive-doubling": ({ p, n, alpha, beta }) => lg(p) * alpha + ((p - 1) / p) * n * beta,
  "allGather:direct": ({ p, n, alpha, beta }) => (p - 1) * (alpha + (n / p) * beta),
  "allGather:hierarchical": ({ p, n, alpha, beta, k = p, alpha2 = alpha, beta2 = beta }) =>
    (k - 1) * (alpha + (n / p) * beta) + (p / k - 1) * (alpha2 + ((k * n) / p) * beta2),
  "broadcast:binomial": ({ p, n, alpha, beta }) => lg(p) * (alpha + n * beta),
  "broadcast:ring": ({ p, n, alpha, beta, chunks = 1 }) => (p - 1 + chunks - 1) * (alpha + (n / chunks) * beta),
  "broadcast:direct": ({ p, n, alpha, beta }) => (p - 1) * (alpha + n * beta),
  "broadcast:scatter-allgather": ({ p, n, alpha, beta }) => (lg(p) + p - 1) * alpha + ((2 * (p - 1)) / p) * n * beta,
  "reduce:binomial": ({ p, n, alpha, beta, gamma }) => lg(p) * (alpha + n * beta + n * gamma),
  "reduce:rabenseifner": ({ p, n, alpha, beta, gamma }) => 2 * lg(p) * alpha + ((2 * (p - 1)) / p) * n * beta + ((p - 1) / p) * n * gamma,
  "reduce:ring": ({ p, n, alpha, beta, gamma }) => (p - 1) * (alpha + n * beta + n * gamma),
  "reduce:direct": ({ p, n, alpha, beta, gamma }) => (p - 1) * (alpha + n * beta) + n * gamma,
  "gather:binomial": ({ p, n, alpha, beta }) => lg(p) * alpha + ((p - 1) / p) * n * beta,
  "gather:direct": ({ p, n, alpha, beta }) => (p - 1) * (alpha + (n / p) * beta),
  "scatter:binomial": ({ p, n, alpha, beta }) => lg(p) * alpha + ((p - 1) / p) * n * beta,
  "scatter:direct": ({ p, n, alpha, beta }) => (p - 1) * (alpha + (n / p) * beta),
  "allToAll:pairwise": ({ p, n, alpha, beta }) => (p - 1) * (alpha + (n / p) * beta),
  "allToAll:direct": ({ p, n, alpha, beta }) => (p - 1) * (alpha + (n / p) * beta),
  "send:direct": ({ n, alpha, beta, chunks = 1 }) => chunks * alpha + n * beta,
};

/**
 * Closed forms in the multi-port model (a device drives all its links at once), for the pipelined
 * trees whose single-port form has no tidy expression. D = ⌊log₂ p⌋ is the binary tree's depth.
 * @example dist.MULTI_PORT_CLOSED_FORMS["broadcast:tree"]({ p: 8, n: 2 ** 20, alpha: 2e-6, beta: 1 / 300e9, gamma: 0, chunks: 4 })
 */
export const MULTI_PORT_CLOSED_FORMS: Record<string, (a: AlphaBeta) => number> = {
  "broadcast:tree": ({ p, n, alpha, beta, chunks = 1 }) => (Math.floor(lg(p)) + chunks - 1) * (alpha + (n / chunks) * beta),
  "broadcast:direct": ({ n, alpha, beta }) => alpha + n * beta,
  "allGather:direct": ({ p, n, alpha, beta }) => alpha + (n / p) * beta,
  "allToAll:direct": ({ p, n, alpha, beta }) => alpha + (n / p) * beta,
};
