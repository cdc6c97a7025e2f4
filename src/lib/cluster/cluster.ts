/**
 * `dist.cluster(...)`: nodes of simulated devices, wired inside a node by fast links (NVLink by
 * default, fully connected: a dedicated link per pair) and between nodes through a network (one NIC
 * per device into an InfiniBand switch by default). In the default single-port model a fully
 * connected node behaves like an NVSwitch; with `ports: "multi"` it gives every pair its own
 * bandwidth, so model an NVSwitch as `topology: "switch"` (one port's bandwidth per device, shared).
 * @module
 */
import { emit, hasListeners, type CommEvent } from "../events";
import { SimDevice } from "./device";
import { DistError } from "./errors";
import { deviceSpec, linkSpec, type DevicePresetName, type DeviceSpec, type LinkPresetName, type LinkSpec } from "./presets";
import { Topology, type TopologyKind, type WiringOptions } from "./topology";
import { useHostBackend } from "./host";

/**
 * Options of `dist.cluster`.
 * @example dist.cluster({ nodes: 2, devicesPerNode: 8, device: "H100", intra: "NVLink4", inter: "InfiniBandNDR", topology: "fully-connected" })
 */
export interface ClusterOptions {
  /** Number of nodes (hosts), default 1. */
  nodes?: number;
  /** Devices per node, default 8. */
  devicesPerNode?: number;
  /** A device preset name ("A100", "H100", "toy") or a custom spec; default "A100". */
  device?: DevicePresetName | DeviceSpec;
  /** Link inside a node: preset name or custom spec; default "NVLink". */
  intra?: LinkPresetName | LinkSpec;
  /** Link between nodes: preset name or custom spec; default "InfiniBand". */
  inter?: LinkPresetName | LinkSpec;
  /** Wiring inside a node (default "fully-connected"). */
  topology?: TopologyKind;
  /** Wiring between nodes: every device's NIC into one "switch" (default) or a "fat-tree". */
  interTopology?: "switch" | "fat-tree";
  /** Options of the intra-node wiring (mesh dims, fat-tree leaf size). */
  wiring?: WiringOptions;
  /** Options of the inter-node fat-tree. */
  interWiring?: WiringOptions;
}

/**
 * A simulated cluster: devices, nodes and the topology that joins them.
 * @example
 * const c = dist.cluster({ nodes: 2, devicesPerNode: 4, device: "A100", intra: "NVLink", inter: "InfiniBand" });
 * c.devices.length        // 8
 * c.route(0, 5).name      // "d0→sw→d5"
 */
export class Cluster {
  /** Which cluster of this program it is (1, 2, …): events name it, so the panel draws each collective on its own topology. */
  readonly id = ++clusterCount;
  readonly devices: SimDevice[];
  readonly topology: Topology;
  readonly intra: LinkSpec;
  readonly inter: LinkSpec;
  constructor(
    readonly nodes: number,
    readonly devicesPerNode: number,
    spec: DeviceSpec,
    opts: ClusterOptions,
  ) {
    this.intra = linkSpec(opts.intra ?? "NVLink");
    this.inter = linkSpec(opts.inter ?? "InfiniBand");
    this.devices = [];
    for (let n = 0; n < nodes; n++) for (let i = 0; i < devicesPerNode; i++) this.devices.push(new SimDevice(this.devices.length, n, i, spec));
    this.topology = new Topology(this.devices.length);
    for (let n = 0; n < nodes; n++) {
      const group = this.nodeDevices(n).map((d) => d.id);
      this.topology.wire(group, opts.topology ?? "fully-connected", this.intra, opts.wiring, nodes > 1 ? `.n${n}` : "");
    }
    if (nodes > 1)
      this.topology.wire(
        this.devices.map((d) => d.id),
        opts.interTopology ?? "switch",
        this.inter,
        opts.interWiring,
        "",
      );
    for (const d of this.devices) CLUSTER_OF.set(d, this);
    if (hasListeners()) emit(this.describe());
  }

  /** The topology as the Cluster panel draws it (the `comm` event of phase "cluster"). */
  describe(): Extract<CommEvent, { phase: "cluster" }> {
    return {
      type: "comm",
      phase: "cluster",
      cluster: this.id,
      devices: this.devices.map((d) => ({ id: d.id, node: d.node, name: d.name, spec: d.spec.name, memoryCapacity: d.spec.memoryCapacity })),
      links: this.topology.links.map((l) => ({ from: l.from, to: l.to, kind: l.kind, bandwidth: l.bandwidth, latency: l.latency })),
      switches: [...this.topology.switchNames],
    };
  }

  /** The devices of node `n`. */
  nodeDevices(n: number): SimDevice[] {
    return this.devices.slice(n * this.devicesPerNode, (n + 1) * this.devicesPerNode);
  }

  /** The device with id `id`. */
  device(id: number): SimDevice {
    const d = this.devices[id];
    if (!d) throw new DistError("cluster.device", `no device ${id}: this cluster has devices 0…${this.devices.length - 1}`);
    return d;
  }

  /** The route a src → dst transfer takes. */
  route(src: SimDevice | number, dst: SimDevice | number) {
    return this.topology.route(typeof src === "number" ? src : src.id, typeof dst === "number" ? dst : dst.id);
  }

  /**
   * Bytes/s that can cross between the first and the second half of the devices at once (one
   * direction): the bisection bandwidth of these symmetric wirings (an odd count puts the middle
   * device in the first half).
   * @example dist.cluster({ devicesPerNode: 8, topology: "ring" }).bisectionBandwidth()   // 2 links' worth
   */
  bisectionBandwidth(): number {
    const n = this.devices.length;
    if (n < 2) return 0;
    const half = Math.ceil(n / 2);
    return this.topology.cutBandwidth(
      this.devices.slice(0, half).map((d) => d.id),
      this.devices.slice(half).map((d) => d.id),
    );
  }

  /** Forget every device's memory accounting. */
  resetMemory(): void {
    for (const d of this.devices) d.resetMemory();
  }

  toString(): string {
    return `Cluster(${this.nodes} node(s) × ${this.devicesPerNode} ${this.devices[0]?.spec.name}, ${this.intra.name} inside, ${this.inter.name} between)`;
  }
}

const CLUSTER_OF = new WeakMap<SimDevice, Cluster>();
let clusterCount = 0;

/**
 * The cluster a simulated device belongs to.
 * @example dist.clusterOf(c.devices[0]) === c   // true
 */
export function clusterOf(d: SimDevice, op = "dist"): Cluster {
  const c = CLUSTER_OF.get(d);
  if (!c) throw new DistError(op, `expects devices of a dist.cluster(...), got ${String(d)}`);
  return c;
}

/**
 * Build a simulated cluster. Its devices are simulated and compute on the host, so this makes the
 * CPU backend the default for the tensors that follow (the status bar says so).
 * @example
 * const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });                     // A100s, NVLink, InfiniBand
 * const ring = dist.cluster({ devicesPerNode: 8, topology: "ring", intra: "PCIe" });
 */
export function cluster(opts: ClusterOptions = {}): Cluster {
  const nodes = opts.nodes ?? 1,
    per = opts.devicesPerNode ?? 8;
  for (const [k, v] of [
    ["nodes", nodes],
    ["devicesPerNode", per],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DistError("dist.cluster", `${k} must be a positive integer, got ${v}`);
  }
  useHostBackend();
  return new Cluster(nodes, per, deviceSpec(opts.device ?? "A100"), opts);
}
