/**
 * The algorithm registry: for each collective, its algorithms (a schedule builder each, with the
 * device counts it can take), its buffer layout, and nccl-tests' bus-bandwidth factor. Adding an
 * algorithm is one entry.
 * @module
 */
import type { Schedule } from "../schedule";
import { isPow2, type BuildContext, type CollectiveName } from "./context";
import { DIRECT, PAIRWISE } from "./direct";
import { HIERARCHICAL } from "./hierarchical";
import { RABENSEIFNER, RECURSIVE_DOUBLING, RECURSIVE_HALVING } from "./recursive";
import { RING } from "./ring";
import { SCATTER_ALLGATHER } from "./scatter-allgather";
import { BINARY_TREE, BINOMIAL, DOUBLE_BINARY_TREE } from "./tree";

/**
 * Algorithm names.
 * @example dist.allReduce(xs, { algorithm: "rabenseifner" satisfies dist.AlgorithmName })
 */
export type AlgorithmName =
  | "ring"
  | "tree"
  | "double-binary-tree"
  | "binomial"
  | "recursive-doubling"
  | "recursive-halving"
  | "rabenseifner"
  | "hierarchical"
  | "direct"
  | "pairwise"
  | "scatter-allgather";

/** What an algorithm needs of the device count. */
export type Requirement = "any" | "pow2" | "nodes";

/** One registered algorithm. */
export interface AlgorithmEntry {
  build(ctx: BuildContext): Schedule;
  needs: Requirement;
}

/** One collective: algorithms, default, layout and bus-bandwidth factor. */
export interface CollectiveEntry {
  algorithms: Partial<Record<AlgorithmName, AlgorithmEntry>>;
  defaultAlgorithm: AlgorithmName;
  /** Rooted (broadcast, reduce, gather, scatter). */
  rooted: boolean;
  /** nccl-tests: busbw = algbw · factor(p). */
  busFactor(p: number): number;
}

const any = (build: (ctx: BuildContext) => Schedule): AlgorithmEntry => ({ build, needs: "any" });
const pow2 = (build: (ctx: BuildContext) => Schedule): AlgorithmEntry => ({ build, needs: "pow2" });
const nodes = (build: (ctx: BuildContext) => Schedule): AlgorithmEntry => ({ build, needs: "nodes" });
const one = () => 1;
const frac = (p: number) => (p - 1) / p;

/**
 * Every collective and its algorithms.
 * @example dist.COLLECTIVES.allReduce.algorithms["recursive-doubling"]?.needs   // "pow2"
 */
export const COLLECTIVES: Record<CollectiveName, CollectiveEntry> = {
  send: { algorithms: { direct: any(DIRECT.send) }, defaultAlgorithm: "direct", rooted: false, busFactor: one },
  broadcast: {
    algorithms: {
      binomial: any(BINOMIAL.broadcast),
      tree: any(BINARY_TREE.broadcast),
      ring: any(RING.broadcast),
      direct: any(DIRECT.broadcast),
      "scatter-allgather": any(SCATTER_ALLGATHER.broadcast),
    },
    defaultAlgorithm: "binomial",
    rooted: true,
    busFactor: one,
  },
  reduce: {
    algorithms: {
      binomial: any(BINOMIAL.reduce),
      tree: any(BINARY_TREE.reduce),
      ring: any(RING.reduce),
      rabenseifner: pow2(RABENSEIFNER.reduce),
      direct: any(DIRECT.reduce),
    },
    defaultAlgorithm: "binomial",
    rooted: true,
    busFactor: one,
  },
  allReduce: {
    algorithms: {
      ring: any(RING.allReduce),
      tree: any(BINARY_TREE.allReduce),
      "double-binary-tree": any(DOUBLE_BINARY_TREE.allReduce),
      binomial: any(BINOMIAL.allReduce),
      "recursive-doubling": pow2(RECURSIVE_DOUBLING.allReduce),
      rabenseifner: pow2(RABENSEIFNER.allReduce),
      hierarchical: nodes(HIERARCHICAL.allReduce),
      direct: any(DIRECT.allReduce),
    },
    defaultAlgorithm: "ring",
    rooted: false,
    busFactor: (p) => (2 * (p - 1)) / p,
  },
  reduceScatter: {
    algorithms: {
      ring: any(RING.reduceScatter),
      "recursive-halving": pow2(RECURSIVE_HALVING.reduceScatter),
      hierarchical: nodes(HIERARCHICAL.reduceScatter),
      direct: any(DIRECT.reduceScatter),
    },
    defaultAlgorithm: "ring",
    rooted: false,
    busFactor: frac,
  },
  allGather: {
    algorithms: {
      ring: any(RING.allGather),
      "recursive-doubling": pow2(RECURSIVE_DOUBLING.allGather),
      hierarchical: nodes(HIERARCHICAL.allGather),
      direct: any(DIRECT.allGather),
    },
    defaultAlgorithm: "ring",
    rooted: false,
    busFactor: frac,
  },
  gather: { algorithms: { binomial: any(BINOMIAL.gather), direct: any(DIRECT.gather) }, defaultAlgorithm: "binomial", rooted: true, busFactor: frac },
  scatter: { algorithms: { binomial: any(BINOMIAL.scatter), direct: any(DIRECT.scatter) }, defaultAlgorithm: "binomial", rooted: true, busFactor: frac },
  allToAll: { algorithms: { pairwise: any(PAIRWISE.allToAll), direct: any(DIRECT.allToAll) }, defaultAlgorithm: "pairwise", rooted: false, busFactor: frac },
};

/**
 * The algorithms a collective offers.
 * @example dist.algorithmsOf("allGather")   // ["ring", "recursive-doubling", "hierarchical", "direct"]
 */
export function algorithmsOf(collective: CollectiveName): AlgorithmName[] {
  return Object.keys(COLLECTIVES[collective].algorithms) as AlgorithmName[];
}

export { isPow2 };
