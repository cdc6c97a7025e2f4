/**
 * Ring algorithms (Patarasuk & Yuan; NCCL): reduce-scatter then all-gather around a ring, each
 * rank sending one part to its successor per step; bandwidth-optimal, p − 1 latencies per phase.
 * Chain versions of broadcast/reduce pipeline chunks along the ring.
 * @module
 */
import type { Schedule } from "../schedule";
import { addChunked, fromRel, mod, newSchedule, type BuildContext } from "./context";

/**
 * Reduce-scatter around each ring in `rings` (rank lists): the region starting at block `lo(g)`
 * is cut into ring-length parts of `partLen` blocks; member i ends owning part i, fully reduced.
 * Returns the next free step.
 */
export function ringReduceScatter(s: Schedule, rings: number[][], lo: (g: number) => number, partLen: number, chunks: number, step0: number): number {
  const q = rings[0]?.length ?? 1;
  const los = rings.map((_, g) => lo(g));
  for (let t = 0; t < q - 1; t++) {
    for (let g = 0; g < rings.length; g++) {
      const ring = rings[g];
      for (let i = 0; i < q; i++) {
        const b = los[g] + mod(i - t - 1, q) * partLen;
        addChunked(s, ring[i], ring[i + 1 === q ? 0 : i + 1], b, b, partLen, true, step0 + t, chunks);
      }
    }
  }
  return step0 + Math.max(q - 1, 0);
}

/** All-gather around each ring: member i starts with part i of its region and ends with all parts. */
export function ringAllGather(s: Schedule, rings: number[][], lo: (g: number) => number, partLen: number, chunks: number, step0: number): number {
  const q = rings[0]?.length ?? 1;
  const los = rings.map((_, g) => lo(g));
  for (let t = 0; t < q - 1; t++) {
    for (let g = 0; g < rings.length; g++) {
      const ring = rings[g];
      for (let i = 0; i < q; i++) {
        const b = los[g] + mod(i - t, q) * partLen;
        addChunked(s, ring[i], ring[i + 1 === q ? 0 : i + 1], b, b, partLen, false, step0 + t, chunks);
      }
    }
  }
  return step0 + Math.max(q - 1, 0);
}

const all = (p: number) => Array.from({ length: p }, (_, i) => i);

/** Schedules of the ring algorithm, by collective. */
export const RING = {
  allReduce(ctx: BuildContext): Schedule {
    const { p, chunks: c } = ctx;
    const s = newSchedule(ctx, p * c, 2 * (p - 1) * p * c);
    const next = ringReduceScatter(s, [all(p)], () => 0, c, c, 0);
    ringAllGather(s, [all(p)], () => 0, c, c, next);
    return s;
  },
  reduceScatter(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    ringReduceScatter(s, [all(ctx.p)], () => 0, ctx.chunks, ctx.chunks, 0);
    return s;
  },
  allGather(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    ringAllGather(s, [all(ctx.p)], () => 0, ctx.chunks, ctx.chunks, 0);
    return s;
  },
  /** A pipelined chain from the root: chunk k leaves rank i at step i + k. */
  broadcast(ctx: BuildContext): Schedule {
    const { p, chunks: c } = ctx;
    const R = fromRel(ctx);
    const s = newSchedule(ctx, c);
    for (let t = 0; t < p - 1 + c - 1; t++) {
      for (let i = 0; i < p - 1; i++) {
        const k = t - i;
        if (k >= 0 && k < c) s.add(R(i), R(i + 1), k, k, 1, false, t, k);
      }
    }
    return s;
  },
  /** A pipelined chain towards the root: partial sums flow from relative rank p − 1 down to 0. */
  reduce(ctx: BuildContext): Schedule {
    const { p, chunks: c } = ctx;
    const R = fromRel(ctx);
    const s = newSchedule(ctx, c);
    for (let t = 0; t < p - 1 + c - 1; t++) {
      for (let h = 0; h < p - 1; h++) {
        const k = t - h;
        if (k >= 0 && k < c) s.add(R(p - 1 - h), R(p - 2 - h), k, k, 1, true, t, k);
      }
    }
    return s;
  },
};
