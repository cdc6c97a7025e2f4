/** What every schedule builder receives. */
import { Schedule } from "../schedule";

/**
 * The collectives.
 * @example const name: dist.CollectiveName = "reduceScatter";
 */
export type CollectiveName = "send" | "broadcast" | "reduce" | "allReduce" | "reduceScatter" | "allGather" | "gather" | "scatter" | "allToAll";

/** Inputs of a schedule builder. */
export interface BuildContext {
  /** Ranks. */
  p: number;
  /** Elements of each rank's buffer (the collective's layout: see layout.ts). */
  elements: number;
  /** Pipelining: every message is cut into this many chunks. */
  chunks: number;
  /** Root rank of rooted collectives. */
  root: number;
  /** Ranks grouped by node (hierarchical algorithms). */
  nodes: number[][];
}

/** A new schedule of `blocksPerRank · p`-style layouts. */
export function newSchedule(ctx: BuildContext, blocks: number, capacity?: number): Schedule {
  return new Schedule(ctx.p, blocks, ctx.elements, capacity);
}

/** x mod m, non-negative. */
export const mod = (x: number, m: number): number => ((x % m) + m) % m;

/** Relative rank → rank, for rooted collectives (the root is relative rank 0). */
export const fromRel =
  (ctx: BuildContext) =>
  (r: number): number =>
    (r + ctx.root) % ctx.p;

/** Add a message as `chunks` transfers (chunk k covers the k-th slice of the block range). */
export function addChunked(
  s: Schedule,
  src: number,
  dst: number,
  srcBlock: number,
  dstBlock: number,
  nBlocks: number,
  reduce: boolean,
  step: number,
  chunks: number,
): void {
  if (chunks === 1) return s.add(src, dst, srcBlock, dstBlock, nBlocks, reduce, step, 0);
  const per = nBlocks / chunks;
  for (let k = 0; k < chunks; k++) s.add(src, dst, srcBlock + k * per, dstBlock + k * per, per, reduce, step, k);
}

/** Power of two? */
export const isPow2 = (p: number): boolean => p > 0 && (p & (p - 1)) === 0;
