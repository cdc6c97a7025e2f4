/**
 * Process groups as frameworks expose them (`torch.distributed.new_group(ranks)`, MindSpore's
 * `create_group`): a named subset of the ranks with a communication backend, on which collectives
 * run. A group only restricts who takes part; the backend picks each collective's algorithm, as
 * NCCL, MPI and Gloo each do their own way (simplified here to one choice per collective).
 * @module
 */
import type { Cluster } from "../cluster";
import type { SimDevice } from "../device";
import { DistError } from "../errors";
import type { DeviceTensor } from "../placement";
import { allGather, allReduce, allToAll, broadcast, reduceScatter, type CollectiveOptions, type CollectiveOutput } from "./api";
import type { CollectiveName } from "./context";
import type { AlgorithmName } from "./registry";

/**
 * Communication backends: NCCL (GPUs; rings and trees over NVLink and InfiniBand), MPI (the HPC
 * library; recursive doubling / Rabenseifner for power-of-two groups), Gloo (CPUs over TCP; rings).
 * @example dist.newGroup(c, [0, 1, 2, 3], { backend: "mpi" })
 */
export type Backend = "nccl" | "mpi" | "gloo";

/** Default algorithm per backend and collective: NCCL's ring, MPICH's power-of-two algorithms, Gloo's ring. */
const BACKEND_ALGORITHMS: Record<Backend, (c: CollectiveName, p: number) => AlgorithmName | undefined> = {
  nccl: (c) => (c === "allToAll" ? "pairwise" : "ring"),
  mpi: (c, p) => {
    const pow2 = p > 0 && (p & (p - 1)) === 0;
    if (c === "allReduce") return pow2 ? "rabenseifner" : "ring";
    if (c === "allGather") return pow2 ? "recursive-doubling" : "ring";
    if (c === "reduceScatter") return pow2 ? "recursive-halving" : "ring";
    if (c === "broadcast") return "binomial";
    return undefined;
  },
  gloo: (c) => (c === "allToAll" ? "pairwise" : c === "broadcast" ? "binomial" : "ring"),
};

/**
 * A group of ranks of one cluster with a backend. Its collectives take one tensor per member, in
 * the group's rank order, each on its member's device.
 * @example
 * const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
 * const node0 = dist.newGroup(c, [0, 1, 2, 3]);             // NCCL by default
 * const r = node0.allReduce(xs.slice(0, 4));                   // only d0…d3 take part
 * node0.rankOf(c.devices[2])                                   // 2: the group's own rank numbers
 */
export class ProcessGroup {
  readonly devices: SimDevice[];
  constructor(
    readonly cluster: Cluster,
    /** Global ranks (device ids) of the members, in group rank order. */
    readonly ranks: readonly number[],
    readonly backend: Backend = "nccl",
  ) {
    if (!(backend in BACKEND_ALGORITHMS))
      throw new DistError("dist.newGroup", `unknown backend "${backend}" (known: ${Object.keys(BACKEND_ALGORITHMS).join(", ")})`);
    if (ranks.length === 0) throw new DistError("dist.newGroup", "a group needs at least one rank");
    if (new Set(ranks).size !== ranks.length) throw new DistError("dist.newGroup", `ranks appear twice in [${ranks.join(", ")}]`);
    this.devices = ranks.map((r) => cluster.device(r));
  }

  /** Members. */
  get size(): number {
    return this.ranks.length;
  }

  /** A device's rank inside this group, or −1 when it is not a member. */
  rankOf(d: SimDevice): number {
    return this.devices.indexOf(d);
  }

  /** The algorithm this group's backend uses for a collective (undefined: the collective's own default). */
  algorithmFor(collective: CollectiveName): AlgorithmName | undefined {
    return BACKEND_ALGORITHMS[this.backend](collective, this.size);
  }

  private check(op: string, xs: readonly DeviceTensor[]): DeviceTensor[] {
    if (!Array.isArray(xs) || xs.length !== this.size)
      throw new DistError(
        `group.${op}`,
        `needs one tensor per member of the group [${this.ranks.join(", ")}], got ${Array.isArray(xs) ? xs.length : typeof xs}`,
      );
    xs.forEach((x, i) => {
      if (x?.device !== this.devices[i])
        throw new DistError(
          `group.${op}`,
          `tensor ${i} must be on the group's rank ${i}, device ${this.devices[i].name}; it is on ${x?.device?.name ?? "no simulated device"}`,
        );
    });
    return [...xs];
  }

  private opts(c: CollectiveName, o: CollectiveOptions): CollectiveOptions {
    return { ...o, algorithm: o.algorithm ?? this.algorithmFor(c) };
  }

  /** Sum over the group's members; every member receives it. */
  allReduce(xs: readonly DeviceTensor[], o: CollectiveOptions = {}): CollectiveOutput {
    return allReduce(this.check("allReduce", xs), this.opts("allReduce", o));
  }
  /** Sum over the members, member i keeping part i. */
  reduceScatter(xs: readonly DeviceTensor[], o: CollectiveOptions = {}): CollectiveOutput {
    return reduceScatter(this.check("reduceScatter", xs), this.opts("reduceScatter", o));
  }
  /** Concatenate the members' tensors on every member. */
  allGather(xs: readonly DeviceTensor[], o: CollectiveOptions = {}): CollectiveOutput {
    return allGather(this.check("allGather", xs), this.opts("allGather", o));
  }
  /** Member i's part j goes to member j. */
  allToAll(xs: readonly DeviceTensor[], o: CollectiveOptions = {}): CollectiveOutput {
    return allToAll(this.check("allToAll", xs), this.opts("allToAll", o));
  }
  /** Copy the tensor (on a member) to every member. */
  broadcast(x: DeviceTensor, o: CollectiveOptions = {}): CollectiveOutput {
    if (this.rankOf(x.device) < 0)
      throw new DistError("group.broadcast", `the tensor is on ${x.device.name}, not a member of the group [${this.ranks.join(", ")}]`);
    return broadcast(x, this.devices, this.opts("broadcast", o));
  }

  toString(): string {
    return `ProcessGroup(${this.backend}, ranks [${this.ranks.join(", ")}])`;
  }
}

/**
 * A process group of `ranks` (device ids of `cluster`), like `torch.distributed.new_group`.
 * @example
 * const tp = dist.newGroup(c, [0, 1, 2, 3]);                  // inside node 0: NVLink
 * const dp = dist.newGroup(c, [0, 4], { backend: "nccl" });   // across nodes: InfiniBand
 */
export function newGroup(cluster: Cluster, ranks: readonly number[], opts: { backend?: Backend } = {}): ProcessGroup {
  return new ProcessGroup(cluster, ranks, opts.backend ?? "nccl");
}
