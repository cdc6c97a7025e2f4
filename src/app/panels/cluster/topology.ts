/**
 * Pure layout of a simulated cluster's topology for the Cluster panel: each node a box with its
 * devices on a circle (so a ring walks around it and all-to-all links show as chords), switches
 * of one node at its centre, shared switches in rows below (spines lowest), and links merged per
 * vertex pair. Also parses transfer route names ("d3→sw→d9") into vertex paths for the animation.
 * @module
 */

/** The topology shape of a `comm` event of phase "cluster". */
export interface TopologyLike {
  devices: { id: number; node: number; name: string; spec: string; memoryCapacity: number }[];
  links: { from: number; to: number; kind: string; bandwidth: number; latency: number }[];
  switches: string[];
}

/** A placed device or switch. Vertex ids: devices first, then switches (as in the event). */
export interface PlacedVertex {
  id: number;
  /** "d3" or the switch's name. */
  name: string;
  kind: "device" | "switch";
  /** The node it belongs to (-1: shared switch). */
  node: number;
  x: number;
  y: number;
}

/** One drawn link: both directions of a vertex pair merged. */
export interface PlacedLink {
  a: number;
  b: number;
  kind: string;
  bandwidth: number;
  latency: number;
  /** Directions present (1 or 2). */
  directions: number;
}

/** The whole drawing, in SVG user units. */
export interface TopologyLayout {
  width: number;
  height: number;
  vertices: PlacedVertex[];
  nodes: { node: number; x: number; y: number; w: number; h: number }[];
  links: PlacedLink[];
  /** Link kinds present, fastest first (for the legend). */
  kinds: string[];
}

/** A chunk in flight, at its current position (what the animation draws). */
export interface ChunkDot {
  /** Transfer index (stable key). */
  key: number;
  x: number;
  y: number;
  /** Chunk index: picks the hue. */
  chunk: number;
  title: string;
}

/** Radius of a device glyph. */
export const DEVICE_R = 15;

/** Lays out `t`. Deterministic: the same topology always gives the same picture. */
export function layoutTopology(t: TopologyLike): TopologyLayout {
  const nd = t.devices.length;
  const byNode = new Map<number, number[]>();
  for (const d of t.devices) byNode.set(d.node, [...(byNode.get(d.node) ?? []), d.id]);
  const nodeIds = [...byNode.keys()].sort((a, b) => a - b);
  const perNode = Math.max(1, ...[...byNode.values()].map((v) => v.length));
  // Circle radius: devices about 2.6 glyph radii apart along the circle.
  const r = perNode === 1 ? 0 : Math.max(30, (perNode * DEVICE_R * 2.6) / (2 * Math.PI));
  const box = 2 * r + 2 * DEVICE_R + 36;
  const gap = 24;
  const cols = Math.max(1, Math.min(nodeIds.length, Math.ceil(Math.sqrt(nodeIds.length * 2))));
  const rows = Math.ceil(nodeIds.length / cols);
  const pad = 12;

  // Which vertices each switch touches decides where it goes.
  const neighbours = new Map<number, Set<number>>();
  for (const l of t.links) {
    if (!neighbours.has(l.from)) neighbours.set(l.from, new Set());
    if (!neighbours.has(l.to)) neighbours.set(l.to, new Set());
    neighbours.get(l.from)!.add(l.to);
    neighbours.get(l.to)!.add(l.from);
  }
  const nodeOf = new Map(t.devices.map((d) => [d.id, d.node]));
  const localSwitch = new Map<number, number>(); // switch vertex → node
  const sharedLevel: number[][] = [[], []]; // [touching devices, switches only]
  t.switches.forEach((_, k) => {
    const v = nd + k;
    const ns = [...(neighbours.get(v) ?? [])];
    const nodesTouched = new Set(ns.filter((u) => u < nd).map((u) => nodeOf.get(u)));
    if (ns.length && ns.every((u) => u < nd) && nodesTouched.size === 1) localSwitch.set(v, [...nodesTouched][0]!);
    else sharedLevel[ns.some((u) => u < nd) ? 0 : 1].push(v);
  });

  const width = Math.max(cols * box + (cols - 1) * gap + 2 * pad, 200);
  const nodes: TopologyLayout["nodes"] = [];
  const vertices: PlacedVertex[] = [];
  const centre = new Map<number, [number, number]>();
  nodeIds.forEach((n, i) => {
    const c = i % cols,
      rr = Math.floor(i / cols);
    const x = pad + c * (box + gap),
      y = pad + rr * (box + gap);
    nodes.push({ node: n, x, y, w: box, h: box });
    const cx = x + box / 2,
      cy = y + box / 2 + 6;
    centre.set(n, [cx, cy]);
    const ids = byNode.get(n)!;
    ids.forEach((id, k) => {
      // Start at the top, clockwise: rank order reads like a clock.
      const a = -Math.PI / 2 + (2 * Math.PI * k) / ids.length;
      vertices[id] = { id, name: `d${id}`, kind: "device", node: n, x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
    });
  });
  let height = pad + rows * box + (rows - 1) * gap;
  for (const [v, n] of localSwitch) {
    const [cx, cy] = centre.get(n)!;
    vertices[v] = { id: v, name: t.switches[v - nd], kind: "switch", node: n, x: cx, y: cy };
  }
  for (const level of sharedLevel) {
    if (!level.length) continue;
    height += 56;
    level.forEach((v, k) => {
      vertices[v] = { id: v, name: t.switches[v - nd], kind: "switch", node: -1, x: (width * (k + 1)) / (level.length + 1), y: height - 16 };
    });
  }
  height += pad;

  const merged = new Map<string, PlacedLink>();
  for (const l of t.links) {
    const a = Math.min(l.from, l.to),
      b = Math.max(l.from, l.to);
    const key = `${a}-${b}-${l.kind}`;
    const m = merged.get(key);
    if (m) m.directions = 2;
    else merged.set(key, { a, b, kind: l.kind, bandwidth: l.bandwidth, latency: l.latency, directions: 1 });
  }
  const bw = new Map<string, number>();
  for (const l of t.links) bw.set(l.kind, Math.max(bw.get(l.kind) ?? 0, l.bandwidth));
  const kinds = [...bw.keys()].sort((a, b) => bw.get(b)! - bw.get(a)! || a.localeCompare(b));
  return { width, height, vertices, nodes, links: [...merged.values()], kinds };
}

/** The vertex ids along a route name ("d3→sw→d9" → [3, sw, 9]); null when a name is unknown. */
export function parseRoute(route: string, deviceCount: number, switches: readonly string[]): number[] | null {
  const path: number[] = [];
  for (const name of route.split("→")) {
    const m = /^d(\d+)$/.exec(name);
    if (m && Number(m[1]) < deviceCount) path.push(Number(m[1]));
    else {
      const k = switches.indexOf(name);
      if (k < 0) return null;
      path.push(deviceCount + k);
    }
  }
  return path;
}

/** Colour class of a link kind: NVLink-like, PCIe, InfiniBand-like, Ethernet-like, other. */
export function linkClass(kind: string): "nvlink" | "pcie" | "ib" | "eth" | "other" {
  const k = kind.toLowerCase();
  if (k.startsWith("nvlink")) return "nvlink";
  if (k.startsWith("pcie")) return "pcie";
  if (k.startsWith("infiniband") || k === "ib") return "ib";
  if (k.includes("ethernet") || k.includes("roce")) return "eth";
  return "other";
}

/** The point a fraction `f` (0..1) of the way along a polyline through `points`. */
export function alongPath(points: readonly { x: number; y: number }[], f: number): { x: number; y: number } {
  if (points.length === 1) return { x: points[0].x, y: points[0].y };
  const seg: number[] = [];
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const d = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    seg.push(d);
    total += d;
  }
  let want = Math.max(0, Math.min(1, f)) * total;
  for (let i = 0; i < seg.length; i++) {
    if (want <= seg[i] || i === seg.length - 1) {
      const u = seg[i] > 0 ? Math.min(1, want / seg[i]) : 1;
      return { x: points[i].x + (points[i + 1].x - points[i].x) * u, y: points[i].y + (points[i + 1].y - points[i].y) * u };
    }
    want -= seg[i];
  }
  return { x: points[points.length - 1].x, y: points[points.length - 1].y };
}
