/**
 * Broadcast by scatter then all-gather (van de Geijn; Barnett et al. 1994; MPICH's long-message
 * broadcast, Thakur et al. 2005): the root scatters p parts down a binomial tree, then the ranks
 * all-gather them around a ring. Each rank receives about 2n bytes instead of the binomial tree's
 * n·log₂ p on the root's path: (log₂ p + p − 1)·α + 2·(p − 1)/p·n·β, bandwidth-optimal up to 2×.
 * @module
 */
import type { Schedule } from "../schedule";
import { fromRel, newSchedule, type BuildContext } from "./context";
import { ringAllGather } from "./ring";
import { binomialScatter } from "./tree";

/** Schedules of the scatter + all-gather algorithm. */
export const SCATTER_ALLGATHER = {
  /** Slot j of the buffer goes to relative rank j (binomial scatter), then a ring in relative-rank order gathers every slot on every rank. */
  broadcast(ctx: BuildContext): Schedule {
    const { p, chunks: c } = ctx;
    const R = fromRel(ctx);
    const s = newSchedule(ctx, p * c);
    const next = binomialScatter(s, R, p, c, c, 0);
    const ring = Array.from({ length: p }, (_, i) => R(i));
    ringAllGather(s, [ring], () => 0, c, c, next);
    return s;
  },
};
