/**
 * Tree algorithms. Binomial trees (MPICH's classic short-message algorithms, whose closed forms
 * Thakur et al. give); binary trees pipelined chunk by chunk (NCCL's tree); and NCCL's double
 * binary tree: two complementary binary trees, each carrying half of the data, so that every rank
 * is a leaf in one of them and the trees' bandwidth adds up.
 * @module
 */
import type { Schedule } from "../schedule";
import { addChunked, fromRel, newSchedule, type BuildContext } from "./context";

const ceilLg = (p: number) => Math.ceil(Math.log2(Math.max(p, 1)));

/** Binomial broadcast from relative rank 0 over `nb` blocks starting at `b0`; returns the next step. */
function binomialBroadcast(s: Schedule, R: (r: number) => number, p: number, b0: number, nb: number, c: number, step0: number): number {
  const k = ceilLg(p);
  for (let t = 0; t < k; t++) {
    const d = 1 << t;
    for (let r = 0; r < d; r++) if (r + d < p) addChunked(s, R(r), R(r + d), b0, b0, nb, false, step0 + t, c);
  }
  return step0 + k;
}

/** Binomial reduce to relative rank 0. */
function binomialReduce(s: Schedule, R: (r: number) => number, p: number, b0: number, nb: number, c: number, step0: number): number {
  const k = ceilLg(p);
  for (let t = 0; t < k; t++) {
    const d = 1 << t;
    for (let r = d; r < p; r += 2 * d) addChunked(s, R(r), R(r - d), b0, b0, nb, true, step0 + t, c);
  }
  return step0 + k;
}

/** Binomial gather to relative rank 0 of slots (slot j = relative rank j's `per` blocks). */
export function binomialGather(s: Schedule, R: (r: number) => number, p: number, per: number, c: number, step0: number): number {
  const k = ceilLg(p);
  for (let t = 0; t < k; t++) {
    const d = 1 << t;
    for (let r = d; r < p; r += 2 * d) {
      const n = Math.min(d, p - r) * per;
      addChunked(s, R(r), R(r - d), r * per, r * per, n, false, step0 + t, c);
    }
  }
  return step0 + k;
}

/** Binomial scatter from relative rank 0 of slots (slot j = relative rank j's `per` blocks): each step halves the span a sender covers. */
export function binomialScatter(s: Schedule, R: (r: number) => number, p: number, per: number, c: number, step0: number): number {
  const k = ceilLg(p);
  for (let t = 0; t < k; t++) {
    const d = 1 << (k - 1 - t);
    for (let r = 0; r < p; r += 2 * d) {
      if (r + d < p) addChunked(s, R(r), R(r + d), (r + d) * per, (r + d) * per, Math.min(d, p - r - d) * per, false, step0 + t, c);
    }
  }
  return step0 + k;
}

/** Heap-ordered binary tree: parent of position j is (j − 1) >> 1. Pending transfers, sorted by step later. */
type Pending = [step: number, src: number, dst: number, block: number, nBlocks: number, reduce: boolean, chunk: number];

function depth(j: number): number {
  return Math.floor(Math.log2(j + 1));
}

/** Pipelined reduce up a binary tree laid over `order` (root = order[0]) of blocks [b0, b0 + c). */
function binaryReduce(out: Pending[], order: number[], b0: number, c: number, step0: number): number {
  const p = order.length;
  const D = depth(p - 1);
  for (let j = p - 1; j >= 1; j--) {
    const l = depth(j);
    for (let k = 0; k < c; k++) out.push([step0 + k + D - l, order[j], order[(j - 1) >> 1], b0 + k, 1, true, k]);
  }
  return step0 + (p > 1 ? D + c - 1 : 0);
}

/** Pipelined broadcast down a binary tree. */
function binaryBroadcast(out: Pending[], order: number[], b0: number, c: number, step0: number): number {
  const p = order.length;
  const D = depth(p - 1);
  for (let j = 0; j < p; j++) {
    const l = depth(j);
    for (const ch of [2 * j + 1, 2 * j + 2]) {
      if (ch < p) for (let k = 0; k < c; k++) out.push([step0 + k + l, order[j], order[ch], b0 + k, 1, false, k]);
    }
  }
  return step0 + (p > 1 ? D + c - 1 : 0);
}

function flush(s: Schedule, pending: Pending[]): Schedule {
  pending.sort((a, b) => a[0] - b[0]);
  for (const [step, src, dst, block, n, red, chunk] of pending) s.add(src, dst, block, block, n, red, step, chunk);
  return s;
}

const relOrder = (ctx: BuildContext) => Array.from({ length: ctx.p }, (_, r) => fromRel(ctx)(r));

/** Binomial-tree schedules. */
export const BINOMIAL = {
  broadcast(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.chunks);
    binomialBroadcast(s, fromRel(ctx), ctx.p, 0, ctx.chunks, ctx.chunks, 0);
    return s;
  },
  reduce(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.chunks);
    binomialReduce(s, fromRel(ctx), ctx.p, 0, ctx.chunks, ctx.chunks, 0);
    return s;
  },
  /** Reduce to rank 0, then broadcast from it. */
  allReduce(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.chunks);
    const id = (r: number) => r;
    const next = binomialReduce(s, id, ctx.p, 0, ctx.chunks, ctx.chunks, 0);
    binomialBroadcast(s, id, ctx.p, 0, ctx.chunks, ctx.chunks, next);
    return s;
  },
  /** Slots are in relative-rank order (the root's slot first): execute.ts permutes. */
  gather(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    binomialGather(s, fromRel(ctx), ctx.p, ctx.chunks, ctx.chunks, 0);
    return s;
  },
  scatter(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    binomialScatter(s, fromRel(ctx), ctx.p, ctx.chunks, ctx.chunks, 0);
    return s;
  },
};

/** Binary-tree schedules, pipelined by chunks. */
export const BINARY_TREE = {
  broadcast(ctx: BuildContext): Schedule {
    const pending: Pending[] = [];
    binaryBroadcast(pending, relOrder(ctx), 0, ctx.chunks, 0);
    return flush(newSchedule(ctx, ctx.chunks), pending);
  },
  reduce(ctx: BuildContext): Schedule {
    const pending: Pending[] = [];
    binaryReduce(pending, relOrder(ctx), 0, ctx.chunks, 0);
    return flush(newSchedule(ctx, ctx.chunks), pending);
  },
  /** Reduce up and broadcast down; chunk k starts down as soon as the root has it. */
  allReduce(ctx: BuildContext): Schedule {
    const pending: Pending[] = [];
    const order = Array.from({ length: ctx.p }, (_, r) => r);
    const next = binaryReduce(pending, order, 0, ctx.chunks, 0);
    binaryBroadcast(pending, order, 0, ctx.chunks, next);
    return flush(newSchedule(ctx, ctx.chunks), pending);
  },
};

/** The double binary tree: tree A over ranks 0…p−1, tree B over p−1…0 (mirrored), half the data each. */
export const DOUBLE_BINARY_TREE = {
  allReduce(ctx: BuildContext): Schedule {
    const { p, chunks: c } = ctx;
    const pending: Pending[] = [];
    const a = Array.from({ length: p }, (_, r) => r);
    const b = [...a].reverse();
    const nextA = binaryReduce(pending, a, 0, c, 0);
    const nextB = binaryReduce(pending, b, c, c, 0);
    binaryBroadcast(pending, a, 0, c, nextA);
    binaryBroadcast(pending, b, c, c, nextB);
    return flush(newSchedule(ctx, 2 * c), pending);
  },
};
