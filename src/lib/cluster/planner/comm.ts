/**
 * Communication of a plan in closed form: where each parallel group sits on the cluster (Megatron-LM's
 * rank order, tensor-parallel ranks adjacent, then data-parallel, then pipeline stages), and the time
 * of a collective over such a group from the α–β–γ closed forms of `cost.ts` (Thakur et al. 2005).
 * A group inside a node runs a ring over the node's links; a group across nodes takes the faster of a
 * ring limited by the per-device network link and the hierarchical form (inside the node, then across
 * nodes on every device's NIC at once), as NCCL picks between ring and tree. On a torus, rings run in
 * both directions. Cost does not grow with the device count: 16 384 devices cost as much as 8.
 * @module
 */
import { CLOSED_FORMS, reduceSecondsPerByte } from "../cost";
import type { LinkSpec } from "../presets";
import type { PlannerCluster } from "./presets";

/**
 * A group of ranks on the cluster: `size` ranks, `perNode` of them in each node they span.
 * @example const tpGroup: dist.GroupShape = { size: 8, perNode: 8 };
 */
export interface GroupShape {
  size: number;
  perNode: number;
}

/**
 * The group of `size` ranks whose members are `stride` ranks apart (rank order: tp fastest, then dp, then pp).
 * @example dist.groupShape(dist.dgxA100(4), 4, 8)   // a dp group of 4 with tp = 8: one rank per node
 */
export function groupShape(c: PlannerCluster, size: number, stride: number): GroupShape {
  const perNode = stride >= c.devicesPerNode ? 1 : Math.max(1, Math.min(size, Math.floor(c.devicesPerNode / stride)));
  return { size, perNode };
}

/**
 * Collectives the planner times.
 * @example const k: dist.PlannerCollective = "reduceScatter";
 */
export type PlannerCollective = "allReduce" | "allGather" | "reduceScatter" | "allToAll";

const ab = (l: LinkSpec, bidirectional: boolean) => ({ alpha: l.latency, beta: 1 / (l.bandwidth * (bidirectional ? 2 : 1)) });

/**
 * Seconds of a collective over a group. `bytes` as `dist.CLOSED_FORMS` counts it: each rank's buffer
 * for allReduce, the whole gathered (or scattered) size for allGather and reduceScatter, each rank's
 * total send for allToAll. `elemBytes` sets γ (the cost of the additions a reduction makes).
 * @example dist.collectiveTime(dist.dgxA100(1), "allReduce", { size: 8, perNode: 8 }, 2 ** 30, 2)
 */
export function collectiveTime(c: PlannerCluster, kind: PlannerCollective, g: GroupShape, bytes: number, elemBytes: number): number {
  const p = g.size;
  if (p <= 1 || bytes <= 0) return 0;
  const gamma = kind === "allReduce" || kind === "reduceScatter" ? reduceSecondsPerByte(c.device, elemBytes) : 0;
  const torus = c.topology === "torus";
  const form = (name: string, a: { alpha: number; beta: number }, extra: Partial<{ k: number; alpha2: number; beta2: number }> = {}) =>
    CLOSED_FORMS[name]({ p, n: bytes, gamma, ...a, ...extra });
  const ringName = kind === "allToAll" ? "allToAll:pairwise" : `${kind}:ring`;
  if (torus) return form(ringName, ab(c.intra, kind !== "allToAll"));
  if (g.perNode >= p) return form(ringName, ab(c.intra, false));
  const flat = form(ringName, ab(c.inter, false));
  if (g.perNode <= 1 || kind === "allToAll") return flat;
  const intra = ab(c.intra, false),
    inter = ab(c.inter, false);
  const two = { k: g.perNode, alpha2: inter.alpha, beta2: inter.beta };
  const hier =
    kind === "allReduce"
      ? form("allReduce:hierarchical", intra, two)
      : form("allGather:hierarchical", intra, two) + (kind === "reduceScatter" ? ((p - 1) / p) * bytes * gamma : 0);
  return Math.min(flat, hier);
}

/**
 * Seconds to send `bytes` from a device to the next pipeline stage: over the node's link when both
 * sit in one node, else over the network.
 * @example dist.p2pTime(dist.dgxA100(2), 2 ** 24, true)
 */
export function p2pTime(c: PlannerCluster, bytes: number, acrossNodes: boolean): number {
  const l = acrossNodes && c.topology !== "torus" ? c.inter : c.intra;
  return l.latency + bytes / l.bandwidth;
}
