/// <reference lib="webworker" />
/**
 * Lays a graph out with dagre off the main thread (a 2 000-node graph takes a second or more, which
 * would freeze the page). One request in, one {@link GraphLayout} out, tagged with the request id.
 * @module
 */
import { Graph, layout } from "@dagrejs/dagre";
import type { GraphLayout, LayoutClusterIn, LayoutEdgeIn, LayoutNodeIn, PlacedBox, PlacedEdge } from "./model";

declare const self: DedicatedWorkerGlobalScope;

/** What the page sends: the boxes (with their cluster) and edges to place; clusters parents first. */
export interface LayoutRequest {
  id: number;
  nodes: LayoutNodeIn[];
  edges: LayoutEdgeIn[];
  clusters: LayoutClusterIn[];
}

/** What the worker answers. */
export type LayoutResponse = { id: number; ok: true; layout: GraphLayout } | { id: number; ok: false; error: string };

/** Largest graph (in boxes) laid out with dagre. */
export const DAGRE_MAX_BOXES = 400;

/**
 * Lays one request out: dagre, or, when dagre gives up (its recursive ordering overflows the stack
 * on very deep graphs, thousands of ranks), a plain layered layout. Exported for a Node unit test.
 */
export function layoutGraph(req: Omit<LayoutRequest, "id">): GraphLayout {
  // dagre's cost grows faster than linearly: about 3 s for 300 boxes and 20 s for 1 000 on
  // these machines' shared CPUs. Big graphs get the layered layout at once.
  if (req.nodes.length > DAGRE_MAX_BOXES) return layeredLayout(req);
  try {
    return dagreLayout(req);
  } catch (error) {
    if (error instanceof RangeError) return layeredLayout(req);
    throw error;
  }
}

/**
 * Longest-path layers; within a layer, boxes ordered by the mean x of their inputs and placed as
 * near it as the boxes before them allow (one downward sweep), so chains run straight down and
 * few edges cross. Straight edges. Clusters enclose their boxes (nested ones first).
 */
export function layeredLayout(req: Omit<LayoutRequest, "id">): GraphLayout {
  const t0 = performance.now();
  const rank = new Map<string, number>();
  const preds = new Map<string, string[]>();
  for (const e of req.edges) {
    const list = preds.get(e.to);
    if (list) list.push(e.from);
    else preds.set(e.to, [e.from]);
  }
  // Boxes come in topological order (inputs, then nodes in graph order, then outputs).
  for (const n of req.nodes) {
    let r = 0;
    for (const p of preds.get(n.key) ?? []) r = Math.max(r, (rank.get(p) ?? -1) + 1);
    rank.set(n.key, r);
  }
  // Sources (inputs, constants) sit just above their first consumer, not all in the top row:
  // a long chain with a constant per op would otherwise draw thousands of edges across the graph.
  const firstUse = new Map<string, number>();
  for (const e of req.edges) firstUse.set(e.from, Math.min(firstUse.get(e.from) ?? Infinity, rank.get(e.to) ?? Infinity));
  for (const n of req.nodes) {
    const use = firstUse.get(n.key);
    if (!preds.has(n.key) && use !== undefined && Number.isFinite(use)) rank.set(n.key, Math.max(0, use - 1));
  }
  const rows: (typeof req.nodes)[] = [];
  for (const n of req.nodes) (rows[rank.get(n.key)!] ??= []).push(n);
  const gapX = 18,
    gapY = 34,
    margin = 12;
  const boxes: PlacedBox[] = [];
  const at = new Map<string, PlacedBox>();
  let y = margin,
    minX = Infinity,
    maxX = -Infinity;
  for (const row of rows) {
    if (!row) continue;
    const h = Math.max(...row.map((n) => n.height));
    const want = row.map((n, i) => {
      // Follow the inputs that are computed; sources (inputs, constants) hang beside them.
      const all = (preds.get(n.key) ?? []).filter((p) => at.has(p));
      const computed = all.filter((p) => preds.has(p));
      const ps = (computed.length ? computed : all).map((p) => at.get(p)!);
      return { n, i, x: ps.length ? ps.reduce((a, b) => a + b.x, 0) / ps.length : NaN };
    });
    // Boxes with no placed input keep their order, after the ones that follow an input.
    const anchored = want.filter((w) => !Number.isNaN(w.x)).sort((a, b) => a.x - b.x || a.i - b.i);
    const free = want.filter((w) => Number.isNaN(w.x));
    let right = -Infinity;
    const placed: PlacedBox[] = [];
    for (const w of anchored) {
      const left = Math.max(w.x - w.n.width / 2, right + gapX);
      placed.push({ key: w.n.key, x: left + w.n.width / 2, y: y + h / 2, width: w.n.width, height: w.n.height });
      right = left + w.n.width;
    }
    // Pushing right drifts the row: shift it back so it is centred on where its boxes wanted to be.
    if (anchored.length) {
      const drift = anchored.reduce((a, w, k) => a + (placed[k].x - w.x), 0) / anchored.length;
      for (const b of placed) b.x -= drift;
      right -= drift;
    }
    if (right === -Infinity) right = margin - gapX;
    for (const w of free) {
      const left = right + gapX;
      placed.push({ key: w.n.key, x: left + w.n.width / 2, y: y + h / 2, width: w.n.width, height: w.n.height });
      right = left + w.n.width;
    }
    for (const b of placed) {
      boxes.push(b);
      at.set(b.key, b);
      minX = Math.min(minX, b.x - b.width / 2);
      maxX = Math.max(maxX, b.x + b.width / 2);
    }
    y += h + gapY;
  }
  // Move everything right of the margin.
  const dx = Number.isFinite(minX) ? margin - minX : 0;
  for (const b of boxes) b.x += dx;
  const edges: PlacedEdge[] = req.edges.map((e) => {
    const a = at.get(e.from),
      b = at.get(e.to);
    const points =
      a && b
        ? [
            { x: a.x, y: a.y + a.height / 2 },
            { x: b.x, y: b.y - b.height / 2 },
          ]
        : [];
    return { from: e.from, to: e.to, label: e.label, points };
  });
  const clusters = clusterBounds(req, at);
  const width = Number.isFinite(maxX) ? maxX - minX + 2 * margin : 2 * margin;
  return { boxes, edges, clusters, width, height: y + margin, ms: performance.now() - t0, engine: "layered" };
}

/** Each cluster's box around its boxes and the clusters inside it (innermost first). */
function clusterBounds(req: Omit<LayoutRequest, "id">, at: ReadonlyMap<string, PlacedBox>): PlacedBox[] {
  const pad = 8;
  const inside = new Map<string, PlacedBox[]>();
  for (const n of req.nodes) if (n.parent) (inside.get(n.parent) ?? inside.set(n.parent, []).get(n.parent)!).push(at.get(n.key)!);
  const out = new Map<string, PlacedBox>();
  for (const c of [...req.clusters].reverse()) {
    const members = (inside.get(c.key) ?? []).filter(Boolean);
    if (members.length === 0) continue;
    const x0 = Math.min(...members.map((b) => b.x - b.width / 2)) - pad,
      x1 = Math.max(...members.map((b) => b.x + b.width / 2)) + pad;
    const y0 = Math.min(...members.map((b) => b.y - b.height / 2)) - pad,
      y1 = Math.max(...members.map((b) => b.y + b.height / 2)) + pad;
    const box = { key: c.key, x: (x0 + x1) / 2, y: (y0 + y1) / 2, width: x1 - x0, height: y1 - y0 };
    out.set(c.key, box);
    // The parent encloses this cluster (with room for its title).
    if (c.parent) (inside.get(c.parent) ?? inside.set(c.parent, []).get(c.parent)!).push({ ...box, y: box.y - 9, height: box.height + 18 });
  }
  return req.clusters.flatMap((c) => out.get(c.key) ?? []);
}

function dagreLayout(req: Omit<LayoutRequest, "id">): GraphLayout {
  const t0 = performance.now();
  const g = new Graph({ multigraph: true, compound: req.clusters.length > 0 });
  g.setGraph({ rankdir: "TB", nodesep: 18, ranksep: 34, edgesep: 8, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of req.clusters) g.setNode(c.key, { width: 0, height: 0 });
  for (const c of req.clusters) if (c.parent) g.setParent(c.key, c.parent);
  for (const n of req.nodes) {
    g.setNode(n.key, { width: n.width, height: n.height });
    if (n.parent) g.setParent(n.key, n.parent);
  }
  req.edges.forEach((e, k) => g.setEdge(e.from, e.to, {}, String(k)));
  layout(g);
  const boxes: PlacedBox[] = req.nodes.map((n) => {
    const p = g.node(n.key) as { x: number; y: number };
    return { key: n.key, x: p.x, y: p.y, width: n.width, height: n.height };
  });
  const clusters: PlacedBox[] = req.clusters.map((c) => {
    const p = g.node(c.key) as { x: number; y: number; width: number; height: number };
    return { key: c.key, x: p.x, y: p.y, width: p.width, height: p.height };
  });
  const edges: PlacedEdge[] = req.edges.map((e, k) => {
    const label = g.edge(e.from, e.to, String(k)) as { points?: { x: number; y: number }[] };
    return { from: e.from, to: e.to, label: e.label, points: (label?.points ?? []).map((p) => ({ x: p.x, y: p.y })) };
  });
  const info = g.graph() as { width?: number; height?: number };
  return { boxes, edges, clusters, width: info.width ?? 0, height: info.height ?? 0, ms: performance.now() - t0, engine: "dagre" };
}

if (typeof self !== "undefined" && typeof self.postMessage === "function" && typeof window === "undefined") {
  self.onmessage = (event: MessageEvent<LayoutRequest>) => {
    const { id, ...req } = event.data;
    let reply: LayoutResponse;
    try {
      reply = { id, ok: true, layout: layoutGraph(req) };
    } catch (error) {
      reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    self.postMessage(reply);
  };
}
