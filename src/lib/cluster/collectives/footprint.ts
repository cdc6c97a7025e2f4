/**
 * How much host memory a real-data collective would take before it is built: its schedule and clock
 * keep about `BYTES_PER_TRANSFER` per transfer (the schedule's eight columns, growing by doubling; the
 * clock's start, end, done, bytes and route; the timeline's device ids), the clock a ready time per
 * rank and block, and the data path one buffer per rank. A ring allReduce over p ranks has
 * 2·p·(p − 1) transfers: 4096 ranks would need about 3 GiB, which a browser tab does not have, so
 * `dist.*` collectives refuse with this estimate instead (and point to `dist.plan`, closed form at any scale).
 * @module
 */
import type { AlgorithmName } from "./registry";
import type { CollectiveName } from "./context";

/**
 * Host bytes per scheduled transfer (schedule, clock and timeline columns, with the schedule's growth slack).
 * @example dist.BYTES_PER_TRANSFER   // 100
 */
export const BYTES_PER_TRANSFER = 100;

/**
 * Default ceiling on a collective's host memory (1 GiB); `memoryLimit` in the options raises or lowers it.
 * @example dist.allReduce(xs, { memoryLimit: 4 * 2 ** 30 })
 */
export const DEFAULT_COLLECTIVE_MEMORY_LIMIT = 2 ** 30;

const lg = (p: number) => Math.ceil(Math.log2(Math.max(p, 2)));

/**
 * An upper bound on the transfers of a collective's schedule (never below the real count; within a
 * few × of it), from the algorithm's structure: rings and direct exchanges send p·(p − 1) messages per
 * phase, trees and recursive halving/doubling p·log₂ p, hierarchical ones a ring inside and across nodes.
 * @example dist.transferBound("allReduce", "ring", 4096, 1)   // 2·4096·4095
 */
export function transferBound(collective: CollectiveName, algorithm: AlgorithmName, p: number, chunks: number): number {
  if (p <= 1) return 0;
  const all = p * (p - 1) * chunks;
  const phases = collective === "allReduce" ? 2 : 1;
  switch (algorithm) {
    case "ring":
      return collective === "allReduce" || collective === "reduceScatter" || collective === "allGather" ? phases * all : (p + chunks) * chunks;
    case "direct":
    case "pairwise":
      return phases * all + p * chunks;
    case "scatter-allgather":
      return all + p * chunks;
    case "hierarchical":
      return 4 * all;
    default:
      // Trees, binomial, recursive doubling/halving, Rabenseifner: log₂ p rounds of at most p messages per phase.
      return 2 * phases * p * (lg(p) + chunks) * chunks;
  }
}

/**
 * Estimated host bytes of a collective: its transfers, the clock's per-block ready times, and (for
 * the real-data path) one buffer per rank.
 * @example dist.collectiveFootprint("allReduce", "ring", 4096, 1, 4096, 0)   // ≈ 3.5e9 bytes
 */
export function collectiveFootprint(
  collective: CollectiveName,
  algorithm: AlgorithmName,
  p: number,
  chunks: number,
  blocks: number,
  dataBytes: number,
): number {
  return transferBound(collective, algorithm, p, chunks) * BYTES_PER_TRANSFER + p * blocks * 8 + dataBytes;
}
