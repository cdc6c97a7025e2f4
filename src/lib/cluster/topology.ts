/**
 * Topologies: devices and switches joined by directed links (every physical link is full duplex,
 * so it appears once per direction), and routing: which links a src → dst transfer crosses.
 * Routes are shortest paths by the time of a 1 MiB message (α + bytes/bandwidth per hop), computed
 * on demand and cached, so a 1024-device cluster only pays for the pairs a collective uses.
 * @module
 */
import { DistError } from "./errors";
import type { LinkSpec } from "./presets";

/**
 * One direction of a link. Vertices below `deviceCount` are devices; the rest are switches.
 * @example c.topology.links.filter((l) => l.kind === "InfiniBand").length
 */
export interface Link {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  /** The preset or custom spec's name ("NVLink", "InfiniBand", …). */
  readonly kind: string;
  /** Bytes/s. */
  readonly bandwidth: number;
  /** Seconds: the spec's α on a direct link; through switches every hop carries α/2 (device → switch → device costs α, and each further hop adds to it). */
  readonly latency: number;
  /** "d0→d1", "d3→sw0". */
  readonly name: string;
}

/**
 * The links a transfer crosses, with its end-to-end latency (Σα) and bottleneck bandwidth.
 * @example const { links, latency, bandwidth, name } = c.route(0, 9);
 */
export interface Route {
  readonly links: Int32Array;
  readonly latency: number;
  readonly bandwidth: number;
  /** "d0→sw0→d5". */
  readonly name: string;
}

/**
 * Intra-group wiring patterns.
 * @example dist.cluster({ devicesPerNode: 16, topology: "torus2d", wiring: { dims: [4, 4] } })
 */
export type TopologyKind = "fully-connected" | "ring" | "mesh2d" | "torus2d" | "switch" | "fat-tree";

/**
 * Options of a wiring pattern.
 * @example dist.cluster({ devicesPerNode: 16, topology: "fat-tree", wiring: { leafSize: 4, oversubscription: 2 } })
 */
export interface WiringOptions {
  /** mesh2d / torus2d: [rows, cols] (default: the most square factoring). */
  dims?: [number, number];
  /** fat-tree: devices per leaf switch (default 4). */
  leafSize?: number;
  /** fat-tree: leaf uplink bandwidth = leafSize · link bandwidth / oversubscription (default 1). */
  oversubscription?: number;
}

/**
 * The most square factoring rows × cols = n (rows ≤ cols).
 * @example dist.squareFactors(12)   // [3, 4]
 */
export function squareFactors(n: number): [number, number] {
  let r = Math.floor(Math.sqrt(n));
  while (n % r !== 0) r--;
  return [r, n / r];
}

/**
 * A graph of devices, switches and directed links, with cached routing.
 * @example
 * const topo = dist.cluster({ nodes: 1, devicesPerNode: 4, topology: "ring" }).topology;
 * topo.route(0, 2).name   // "d0→d1→d2"
 */
export class Topology {
  readonly links: Link[] = [];
  /** Outgoing link ids per vertex. */
  private readonly out: number[][] = [];
  private readonly routes = new Map<number, Route>();
  private switchCount = 0;
  readonly switchNames: string[] = [];

  constructor(readonly deviceCount: number) {
    for (let i = 0; i < deviceCount; i++) this.out.push([]);
  }

  /** Number of vertices (devices + switches). */
  get vertexCount(): number {
    return this.deviceCount + this.switchCount;
  }

  vertexName(v: number): string {
    return v < this.deviceCount ? `d${v}` : this.switchNames[v - this.deviceCount];
  }

  /** Add a switch vertex; returns its vertex id. */
  addSwitch(name: string): number {
    this.out.push([]);
    this.switchNames.push(name);
    this.routes.clear();
    return this.deviceCount + this.switchCount++;
  }

  /** Add a full-duplex link a ↔ b (two directed links). */
  connect(a: number, b: number, spec: LinkSpec, opts: { latency?: number; bandwidth?: number } = {}): void {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ]) {
      const id = this.links.length;
      this.links.push({
        id,
        from,
        to,
        kind: spec.name,
        bandwidth: opts.bandwidth ?? spec.bandwidth,
        latency: opts.latency ?? spec.latency,
        name: `${this.vertexName(from)}→${this.vertexName(to)}`,
      });
      this.out[from].push(id);
    }
    this.routes.clear();
  }

  /** Wire `group` (device vertex ids) in a pattern with links of `spec`. */
  wire(group: readonly number[], kind: TopologyKind, spec: LinkSpec, opts: WiringOptions = {}, label = ""): void {
    const wiring = WIRINGS[kind];
    if (!wiring) throw new DistError("dist.cluster", `unknown topology "${kind}" (known: ${Object.keys(WIRINGS).join(", ")})`);
    wiring(this, group, spec, opts, label);
  }

  /**
   * The route from device `src` to device `dst` (shortest by the time of a 1 MiB message).
   * @example topo.route(0, 5).links   // link ids, in order
   */
  route(src: number, dst: number): Route {
    const key = src * this.deviceCount + dst;
    let r = this.routes.get(key);
    if (r === undefined) {
      r = this.shortestPath(src, dst);
      this.routes.set(key, r);
    }
    return r;
  }

  /**
   * The most links any device-to-device route crosses (devices 0…deviceCount−1).
   * @example dist.cluster({ devicesPerNode: 8, topology: "ring" }).topology.diameter()   // 4
   */
  diameter(): number {
    let d = 0;
    for (let a = 0; a < this.deviceCount; a++) for (let b = 0; b < this.deviceCount; b++) if (a !== b) d = Math.max(d, this.route(a, b).links.length);
    return d;
  }

  /**
   * The most bytes/s that can flow from the devices in `from` to those in `to` at once: the
   * maximum flow over the links (each direction its own capacity), equal to the smallest cut
   * between the two sets. With the halves of a symmetric wiring it is the bisection bandwidth.
   * @example topo.cutBandwidth([0, 1, 2, 3], [4, 5, 6, 7])
   */
  cutBandwidth(from: readonly number[], to: readonly number[]): number {
    for (const v of [...from, ...to])
      if (!(Number.isInteger(v) && v >= 0 && v < this.deviceCount))
        throw new DistError("cutBandwidth", `${v} is not a device of this topology (0…${this.deviceCount - 1})`);
    const inTo = new Set(to);
    if (from.some((v) => inTo.has(v))) throw new DistError("cutBandwidth", "the two sets of devices must not overlap");
    // Edmonds–Karp on the residual graph of the directed links (reverse residuals per link).
    const n = this.vertexCount,
      m = this.links.length;
    const flow = new Float64Array(m);
    const sources = new Set(from);
    let total = 0;
    for (;;) {
      const via = new Int32Array(n).fill(-1); // link id + 1 (forward) or −(id + 1) (reverse)
      const seen = new Uint8Array(n);
      const queue: number[] = [];
      for (const v of sources) {
        seen[v] = 1;
        queue.push(v);
      }
      let sink = -1;
      for (let q = 0; q < queue.length && sink < 0; q++) {
        const v = queue[q];
        for (const id of this.out[v]) {
          const l = this.links[id];
          if (!seen[l.to] && l.bandwidth - flow[id] > 1e-6 * l.bandwidth) {
            seen[l.to] = 1;
            via[l.to] = id + 1;
            queue.push(l.to);
            if (inTo.has(l.to)) {
              sink = l.to;
              break;
            }
          }
        }
        if (sink >= 0) break;
        for (let id = 0; id < m; id++) {
          const l = this.links[id];
          if (l.to === v && !seen[l.from] && flow[id] > 0) {
            seen[l.from] = 1;
            via[l.from] = -(id + 1);
            queue.push(l.from);
            if (inTo.has(l.from)) {
              sink = l.from;
              break;
            }
          }
        }
      }
      if (sink < 0) return total;
      let push = Infinity;
      for (let v = sink; !sources.has(v);) {
        const e = via[v];
        if (e > 0) {
          const l = this.links[e - 1];
          push = Math.min(push, l.bandwidth - flow[e - 1]);
          v = l.from;
        } else {
          const l = this.links[-e - 1];
          push = Math.min(push, flow[-e - 1]);
          v = l.to;
        }
      }
      for (let v = sink; !sources.has(v);) {
        const e = via[v];
        if (e > 0) {
          flow[e - 1] += push;
          v = this.links[e - 1].from;
        } else {
          flow[-e - 1] -= push;
          v = this.links[-e - 1].to;
        }
      }
      total += push;
    }
  }

  private shortestPath(src: number, dst: number): Route {
    if (src === dst) return { links: new Int32Array(0), latency: 0, bandwidth: Infinity, name: this.vertexName(src) };
    const n = this.vertexCount;
    const dist = new Float64Array(n).fill(Infinity);
    const via = new Int32Array(n).fill(-1);
    const heap = new MinHeap();
    dist[src] = 0;
    heap.push(0, src);
    const MSG = 2 ** 20;
    while (heap.size > 0) {
      const [d, v] = heap.pop();
      if (d > dist[v]) continue;
      if (v === dst) break;
      // Devices do not forward traffic for others unless wired as a ring/mesh (then they must).
      for (const id of this.out[v]) {
        const l = this.links[id];
        const nd = d + l.latency + MSG / l.bandwidth;
        if (nd < dist[l.to]) {
          dist[l.to] = nd;
          via[l.to] = id;
          heap.push(nd, l.to);
        }
      }
    }
    if (via[dst] < 0) throw new DistError("route", `no path from ${this.vertexName(src)} to ${this.vertexName(dst)} in this topology`);
    const ids: number[] = [];
    for (let v = dst; v !== src; v = this.links[via[v]].from) ids.push(via[v]);
    ids.reverse();
    let latency = 0,
      bandwidth = Infinity;
    const names = [this.vertexName(src)];
    for (const id of ids) {
      const l = this.links[id];
      latency += l.latency;
      bandwidth = Math.min(bandwidth, l.bandwidth);
      names.push(this.vertexName(l.to));
    }
    return { links: Int32Array.from(ids), latency, bandwidth, name: names.join("→") };
  }
}

type Wiring = (t: Topology, group: readonly number[], spec: LinkSpec, opts: WiringOptions, label: string) => void;

function gridWiring(wrap: boolean): Wiring {
  return (t, g, spec, opts) => {
    const [rows, cols] = opts.dims ?? squareFactors(g.length);
    if (rows * cols !== g.length) throw new DistError("dist.cluster", `mesh dims ${rows}×${cols} do not cover ${g.length} devices`);
    const at = (r: number, c: number) => g[r * cols + c];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (c + 1 < cols) t.connect(at(r, c), at(r, c + 1), spec);
        else if (wrap && cols > 2) t.connect(at(r, c), at(r, 0), spec);
        if (r + 1 < rows) t.connect(at(r, c), at(r + 1, c), spec);
        else if (wrap && rows > 2) t.connect(at(r, c), at(0, c), spec);
      }
    }
  };
}

/** Wiring patterns by name (a table: adding a topology is one entry). */
const WIRINGS: Record<TopologyKind, Wiring> = {
  "fully-connected": (t, g, spec) => {
    if (g.length > 256)
      throw new DistError(
        "dist.cluster",
        `a fully connected group of ${g.length} devices needs ${g.length * (g.length - 1)} links: use "switch" or "fat-tree" beyond 256 devices`,
      );
    for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) t.connect(g[i], g[j], spec);
  },
  ring: (t, g, spec) => {
    if (g.length === 2) t.connect(g[0], g[1], spec);
    else if (g.length > 2) for (let i = 0; i < g.length; i++) t.connect(g[i], g[(i + 1) % g.length], spec);
  },
  mesh2d: gridWiring(false),
  torus2d: gridWiring(true),
  switch: (t, g, spec, _o, label) => {
    if (g.length < 2) return;
    const sw = t.addSwitch(`sw${label}`);
    for (const d of g) t.connect(d, sw, spec, { latency: spec.latency / 2 });
  },
  "fat-tree": (t, g, spec, opts, label) => {
    if (g.length < 2) return;
    const leafSize = opts.leafSize ?? 4;
    const spine = t.addSwitch(`spine${label}`);
    for (let i = 0, leaf = 0; i < g.length; i += leafSize, leaf++) {
      const members = g.slice(i, i + leafSize);
      const sw = t.addSwitch(`leaf${label}.${leaf}`);
      // α/2 per hop, as through a single switch: within a leaf (device, leaf, device) a message
      // costs the spec's α, like NVSwitch; between leaves (device, leaf, spine, leaf, device) 2α.
      // Latency grows with the hops, so a multi-hop path is never cheaper than a one-switch path.
      for (const d of members) t.connect(d, sw, spec, { latency: spec.latency / 2 });
      t.connect(sw, spine, spec, { latency: spec.latency / 2, bandwidth: (spec.bandwidth * members.length) / (opts.oversubscription ?? 1) });
    }
  },
};

/** A small binary min-heap of (key, value) pairs. */
class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(k: number, v: number): void {
    const ks = this.keys,
      vs = this.vals;
    let i = ks.length;
    ks.push(k);
    vs.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ks[p] <= k) break;
      ks[i] = ks[p];
      vs[i] = vs[p];
      i = p;
    }
    ks[i] = k;
    vs[i] = v;
  }
  pop(): [number, number] {
    const ks = this.keys,
      vs = this.vals;
    const top: [number, number] = [ks[0], vs[0]];
    const k = ks.pop()!,
      v = vs.pop()!;
    const n = ks.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && ks[l + 1] < ks[l] ? l + 1 : l;
        if (ks[c] >= k) break;
        ks[i] = ks[c];
        vs[i] = vs[c];
        i = c;
      }
      ks[i] = k;
      vs[i] = v;
    }
    return top;
  }
}
