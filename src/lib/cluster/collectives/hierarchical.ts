/**
 * Hierarchical (2D) algorithms for multi-node clusters: rings inside each node over the fast
 * links, and rings across nodes between devices with the same local index ("rails"), so the slow
 * network carries only 1/k of the data (allReduce). Ranks must come node by node, k per node.
 * @module
 */
import type { Schedule } from "../schedule";
import { newSchedule, type BuildContext } from "./context";
import { ringAllGather, ringReduceScatter } from "./ring";

function rails(nodes: number[][]): number[][] {
  const k = nodes[0].length;
  return Array.from({ length: k }, (_, i) => nodes.map((n) => n[i]));
}

/** Hierarchical schedules. */
export const HIERARCHICAL = {
  /** Intra-node reduce-scatter, inter-node ring allReduce of each part along its rail, intra-node all-gather. */
  allReduce(ctx: BuildContext): Schedule {
    const { nodes, chunks: c } = ctx;
    const g = nodes.length,
      k = nodes[0].length;
    const s = newSchedule(ctx, k * g * c);
    let t = ringReduceScatter(s, nodes, () => 0, g * c, c, 0);
    const r = rails(nodes);
    t = ringReduceScatter(s, r, (i) => i * g * c, c, c, t);
    t = ringAllGather(s, r, (i) => i * g * c, c, c, t);
    ringAllGather(s, nodes, () => 0, g * c, c, t);
    return s;
  },
  /** Intra-node all-gather of the node's shards, then inter-node all-gather of whole node regions along every rail. */
  allGather(ctx: BuildContext): Schedule {
    const { nodes, chunks: c } = ctx;
    const k = nodes[0].length;
    const s = newSchedule(ctx, ctx.p * c);
    const t = ringAllGather(s, nodes, (a) => a * k * c, c, c, 0);
    ringAllGather(s, rails(nodes), () => 0, k * c, c, t);
    return s;
  },
  /** Inter-node reduce-scatter of node regions along every rail, then intra-node reduce-scatter. */
  reduceScatter(ctx: BuildContext): Schedule {
    const { nodes, chunks: c } = ctx;
    const k = nodes[0].length;
    const s = newSchedule(ctx, ctx.p * c);
    const t = ringReduceScatter(s, rails(nodes), () => 0, k * c, c, 0);
    ringReduceScatter(s, nodes, (a) => a * k * c, c, c, t);
    return s;
  },
};
