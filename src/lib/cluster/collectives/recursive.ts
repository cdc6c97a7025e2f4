/**
 * Recursive doubling and halving (p a power of two): lg p steps, partners r XOR 2ᵗ. Recursive
 * doubling exchanges whole buffers (latency-optimal); recursive halving reduce-scatter then
 * recursive doubling all-gather is Rabenseifner's algorithm (latency- and bandwidth-optimal).
 * @module
 */
import type { Schedule } from "../schedule";
import { addChunked, fromRel, newSchedule, type BuildContext } from "./context";
import { binomialGather } from "./tree";

const lgp = (p: number) => Math.round(Math.log2(p));

/** Recursive-halving reduce-scatter over p·c blocks: rank r ends owning blocks [r·c, (r+1)·c). */
function halvingReduceScatter(s: Schedule, p: number, c: number, step0: number, R: (r: number) => number = (r) => r): number {
  const lo = new Int32Array(p);
  for (let t = 0, d = p >> 1; d >= 1; t++, d >>= 1) {
    for (let r = 0; r < p; r++) {
      const keepUpper = (r & d) !== 0;
      const send = keepUpper ? lo[r] : lo[r] + d;
      addChunked(s, R(r), R(r ^ d), send * c, send * c, d * c, true, step0 + t, c);
    }
    for (let r = 0; r < p; r++) if (r & d) lo[r] += d;
  }
  return step0 + lgp(p);
}

/** Recursive-doubling all-gather: rank r starts owning blocks [r·c, (r+1)·c). */
function doublingAllGather(s: Schedule, p: number, c: number, step0: number): number {
  for (let t = 0, d = 1; d < p; t++, d <<= 1) {
    for (let r = 0; r < p; r++) {
      const base = r & ~(d - 1);
      addChunked(s, r, r ^ d, base * c, base * c, d * c, false, step0 + t, c);
    }
  }
  return step0 + lgp(p);
}

/** Recursive doubling schedules. */
export const RECURSIVE_DOUBLING = {
  /** Every step exchanges and adds the whole buffer. */
  allReduce(ctx: BuildContext): Schedule {
    const { p, chunks: c } = ctx;
    const s = newSchedule(ctx, c);
    for (let t = 0, d = 1; d < p; t++, d <<= 1) for (let r = 0; r < p; r++) addChunked(s, r, r ^ d, 0, 0, c, true, t, c);
    return s;
  },
  allGather(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    doublingAllGather(s, ctx.p, ctx.chunks, 0);
    return s;
  },
};

/** Recursive halving. */
export const RECURSIVE_HALVING = {
  reduceScatter(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    halvingReduceScatter(s, ctx.p, ctx.chunks, 0);
    return s;
  },
};

/** Rabenseifner: recursive-halving reduce-scatter, then recursive-doubling all-gather (allReduce) or a binomial gather (reduce). */
export const RABENSEIFNER = {
  allReduce(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    doublingAllGather(s, ctx.p, ctx.chunks, halvingReduceScatter(s, ctx.p, ctx.chunks, 0));
    return s;
  },
  /** Reduce-scatter among ranks relative to the root, then gather the reduced blocks to it. */
  reduce(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    const R = fromRel(ctx);
    const next = halvingReduceScatter(s, ctx.p, ctx.chunks, 0, R);
    binomialGather(s, R, ctx.p, ctx.chunks, ctx.chunks, next);
    return s;
  },
};
