/**
 * Direct algorithms: every message goes straight to its destination (one-shot on an NVSwitch).
 * Messages are ordered by shift (step s: rank r → r + s), so in the single-port model every rank
 * sends and receives one message per step, and in the multi-port model all go at once.
 * @module
 */
import type { Schedule } from "../schedule";
import { addChunked, fromRel, newSchedule, type BuildContext } from "./context";

function directReduceScatter(s: Schedule, p: number, c: number, step0: number): number {
  for (let t = 1; t < p; t++) for (let r = 0; r < p; r++) addChunked(s, r, (r + t) % p, ((r + t) % p) * c, ((r + t) % p) * c, c, true, step0 + t - 1, c);
  return step0 + p - 1;
}

function directAllGather(s: Schedule, p: number, c: number, step0: number): number {
  for (let t = 1; t < p; t++) for (let r = 0; r < p; r++) addChunked(s, r, (r + t) % p, r * c, r * c, c, false, step0 + t - 1, c);
  return step0 + p - 1;
}

/** Direct schedules. */
export const DIRECT = {
  /** One point-to-point message from rank 0 to rank 1 (the only layout of send/recv). */
  send(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.chunks);
    addChunked(s, 0, 1, 0, 0, ctx.chunks, false, 0, ctx.chunks);
    return s;
  },
  broadcast(ctx: BuildContext): Schedule {
    const R = fromRel(ctx);
    const s = newSchedule(ctx, ctx.chunks);
    for (let t = 1; t < ctx.p; t++) addChunked(s, R(0), R(t), 0, 0, ctx.chunks, false, t - 1, ctx.chunks);
    return s;
  },
  reduce(ctx: BuildContext): Schedule {
    const R = fromRel(ctx);
    const s = newSchedule(ctx, ctx.chunks);
    for (let t = 1; t < ctx.p; t++) addChunked(s, R(t), R(0), 0, 0, ctx.chunks, true, t - 1, ctx.chunks);
    return s;
  },
  /** Direct reduce-scatter, then direct all-gather ("two-shot"). */
  allReduce(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    directAllGather(s, ctx.p, ctx.chunks, directReduceScatter(s, ctx.p, ctx.chunks, 0));
    return s;
  },
  reduceScatter(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    directReduceScatter(s, ctx.p, ctx.chunks, 0);
    return s;
  },
  allGather(ctx: BuildContext): Schedule {
    const s = newSchedule(ctx, ctx.p * ctx.chunks);
    directAllGather(s, ctx.p, ctx.chunks, 0);
    return s;
  },
  /** Slots in relative-rank order, as the binomial gather. */
  gather(ctx: BuildContext): Schedule {
    const R = fromRel(ctx),
      c = ctx.chunks;
    const s = newSchedule(ctx, ctx.p * c);
    for (let t = 1; t < ctx.p; t++) addChunked(s, R(t), R(0), t * c, t * c, c, false, t - 1, c);
    return s;
  },
  scatter(ctx: BuildContext): Schedule {
    const R = fromRel(ctx),
      c = ctx.chunks;
    const s = newSchedule(ctx, ctx.p * c);
    for (let t = 1; t < ctx.p; t++) addChunked(s, R(0), R(t), t * c, t * c, c, false, t - 1, c);
    return s;
  },
  /** Buffer: p send slots, then p receive slots (slot p + r receives from rank r). */
  allToAll(ctx: BuildContext): Schedule {
    return allToAllShifted(ctx, false);
  },
};

/** Pairwise exchange (MPICH's long-message all-to-all): the same shifts, one step each. */
export const PAIRWISE = {
  allToAll(ctx: BuildContext): Schedule {
    return allToAllShifted(ctx, true);
  },
};

function allToAllShifted(ctx: BuildContext, stepped: boolean): Schedule {
  const { p, chunks: c } = ctx;
  const s = newSchedule(ctx, 2 * p * c);
  for (let t = 1; t < p; t++) {
    for (let r = 0; r < p; r++) {
      const d = (r + t) % p;
      addChunked(s, r, d, d * c, (p + r) * c, c, false, stepped ? t - 1 : 0, c);
    }
  }
  return s;
}
