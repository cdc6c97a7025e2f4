/**
 * The path a message takes from one GPU's memory to another's, hop by hop, with the α and β of
 * each hop from the topology model, and what the communication stack does on it: NCCL's P2P
 * transport over NVLink or PCIe inside a node, its NET transport with RDMA verbs across nodes. With
 * GPUDirect RDMA the NIC reads and writes GPU memory itself (no host copy), so the path is the
 * topology's route and its time is what `dist.send` reports; without it, the data is staged through
 * host memory over PCIe on both sides (cudaMemcpy, then the NIC's DMA), a store-and-forward path.
 *
 * Figures (the link presets, `presets.ts`): PCIe 4.0 x16 moves 16 GT/s × 16 lanes × 128/130 ≈ 31.5
 * GB/s per direction (PCI-SIG, PCIe 4.0 base specification); NVLink 3 on A100 600 GB/s in both
 * directions, 300 GB/s each (NVIDIA A100 datasheet); InfiniBand HDR 200 Gb/s = 25 GB/s per port
 * (NVIDIA ConnectX-6 datasheet); RoCE at 100 GbE = 12.5 GB/s. The α values are end-to-end software
 * latencies of the order nccl-tests reports for small messages (a few µs), not bare wire latencies
 * (an InfiniBand switch hop is ~0.1–0.2 µs).
 * @module
 */
import type { Cluster } from "./cluster";
import { DistError } from "./errors";
import { LINK_PRESETS, type LinkSpec } from "./presets";

/**
 * One hop of a communication path.
 * @example dist.commPath(c, 0, 5).hops[0]   // { from: "d0", to: "sw", medium: "InfiniBand", latency: 2.5e-6, bandwidth: 25e9, … }
 */
export interface PathHop {
  from: string;
  to: string;
  /** The link kind ("NVLink", "InfiniBand", "PCIe", …). */
  medium: string;
  /** α of this hop, seconds. */
  latency: number;
  /** β as bandwidth, bytes/s. */
  bandwidth: number;
  /** The stack on this hop: "NCCL P2P (NVLink)", "RDMA write (GPUDirect)", "cudaMemcpy D2H (PCIe)", … */
  layer: string;
  /** Whether this hop is a separate store-and-forward stage (a host copy) rather than part of one pipelined route. */
  staged: boolean;
}

/**
 * A path from one device's memory to another's.
 * @example const p = dist.commPath(c, 0, 5, { gpuDirect: false }); p.time(2 ** 20)
 */
export interface CommPath {
  hops: PathHop[];
  gpuDirect: boolean;
  /** Σα over the path. */
  latency: number;
  /** The time of an n-byte message: the route as one pipelined stage (Σα + n / min β), plus each staged host copy (α + n / β). */
  time(bytes: number): number;
  /** "d0 ─NVLink─▶ d1"-style one-liner. */
  toString(): string;
}

const NETWORK = new Set(["InfiniBand", "InfiniBandNDR", "RoCE", "Ethernet"]);

function layerOf(kind: string, intraNode: boolean): string {
  if (NETWORK.has(kind)) return kind === "Ethernet" ? "NCCL NET (TCP sockets)" : "NCCL NET (RDMA verbs)";
  if (kind.startsWith("NVLink")) return "NCCL P2P (NVLink)";
  if (kind === "PCIe") return intraNode ? "NCCL P2P (PCIe)" : "PCIe";
  return `${kind} link`;
}

/**
 * The path from `src`'s memory to `dst`'s (device ids or devices of `cluster`): each hop of the
 * topology's route with its α and β and stack layer. Across nodes, `gpuDirect: false` adds the host
 * staging copies over PCIe (a `pcie` spec, default the PCIe preset) on both ends.
 * @example
 * const c = dist.cluster({ nodes: 2, devicesPerNode: 4 });
 * const p = dist.commPath(c, 0, 5);                // d0 → sw → d5 over InfiniBand, GPUDirect RDMA
 * p.time(2 ** 20) === dist.send(x, c.devices[5]).time   // true for x of 1 MiB on d0
 */
export function commPath(
  cluster: Cluster,
  src: number | { id: number },
  dst: number | { id: number },
  opts: { gpuDirect?: boolean; pcie?: LinkSpec } = {},
): CommPath {
  const a = typeof src === "number" ? src : src.id,
    b = typeof dst === "number" ? dst : dst.id;
  const da = cluster.device(a),
    db = cluster.device(b);
  if (a === b) throw new DistError("dist.commPath", `source and destination are the same device ${da.name}`);
  const topo = cluster.topology;
  const route = topo.route(a, b);
  const crossesNodes = da.node !== db.node;
  const gpuDirect = opts.gpuDirect ?? true;
  const hops: PathHop[] = [];
  for (const id of route.links) {
    const l = topo.links[id];
    const net = NETWORK.has(l.kind);
    hops.push({
      from: topo.vertexName(l.from),
      to: topo.vertexName(l.to),
      medium: l.kind,
      latency: l.latency,
      bandwidth: l.bandwidth,
      layer: net && gpuDirect ? `${layerOf(l.kind, !crossesNodes)}, GPUDirect` : layerOf(l.kind, !crossesNodes),
      staged: false,
    });
  }
  if (crossesNodes && !gpuDirect) {
    const pcie = opts.pcie ?? LINK_PRESETS.PCIe;
    const stage = (from: string, to: string, what: string): PathHop => ({
      from,
      to,
      medium: pcie.name,
      latency: pcie.latency,
      bandwidth: pcie.bandwidth,
      layer: what,
      staged: true,
    });
    hops.unshift(stage(`${da.name}`, `host${da.node}`, "cudaMemcpy D2H"));
    hops[1] = { ...hops[1], from: `host${da.node}` };
    hops.push(stage(`host${db.node}`, `${db.name}`, "cudaMemcpy H2D"));
    hops[hops.length - 2] = { ...hops[hops.length - 2], to: `host${db.node}` };
  }
  const latency = hops.reduce((s, h) => s + h.latency, 0);
  return {
    hops,
    gpuDirect,
    latency,
    time(bytes: number) {
      let t = route.latency + bytes / route.bandwidth;
      for (const h of hops) if (h.staged) t += h.latency + bytes / h.bandwidth;
      return t;
    },
    toString() {
      return [hops[0].from, ...hops.map((h) => `─${h.medium}─▶ ${h.to}`)].join(" ");
    },
  };
}
