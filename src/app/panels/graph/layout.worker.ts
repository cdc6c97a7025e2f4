/// <reference lib="webworker" />
/**
 * Lays a graph out with dagre off the main thread (a 2 000-node graph takes a second or more, which
 * would freeze the page). One request in, one {@link GraphLayout} out, tagged with the request id.
 * @module
 */
import { Graph, layout } from "@dagrejs/dagre";
import type { GraphLayout, LayoutEdgeIn, LayoutNodeIn, PlacedBox, PlacedEdge } from "./model";

declare const self: DedicatedWorkerGlobalScope;

/** What the page sends: the boxes (with their cluster) and edges to place. */
export interface LayoutRequest {
  id: number;
  nodes: LayoutNodeIn[];
  edges: LayoutEdgeIn[];
  clusters: string[];
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
 * Longest-path layers, boxes in input order within a layer, straight edges; clusters ignored
 * (their boxes are placed like the rest and the cluster box encloses them).
 */
export function layeredLayout(req: Omit<LayoutRequest, "id">): GraphLayout {
  const t0 = performance.now();
  const rank = new Map<string, number>();
  const preds = new Map<string, string[]>();
  for (const e of req.edges) preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
  // Boxes come in topological order (inputs, then nodes in graph order, then outputs).
  for (const n of req.nodes) rank.set(n.key, Math.max(-1, ...(preds.get(n.key) ?? []).map((p) => rank.get(p) ?? -1)) + 1);
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
  const gapX = 18, gapY = 34, margin = 12;
  const boxes: PlacedBox[] = [];
  let y = margin, width = 0;
  const rowRight = new Map<number, number>();
  for (const row of rows) {
    if (!row) continue;
    const h = Math.max(...row.map((n) => n.height));
    let x = margin;
    for (const n of row) {
      boxes.push({ key: n.key, x: x + n.width / 2, y: y + h / 2, width: n.width, height: n.height });
      x += n.width + gapX;
    }
    width = Math.max(width, x);
    for (const n of row.slice(-1)) rowRight.set(Math.round(y + h / 2), x);
    y += h + gapY;
  }
  const at = new Map(boxes.map((b) => [b.key, b]));
  const edges: PlacedEdge[] = req.edges.map((e) => {
    const a = at.get(e.from), b = at.get(e.to);
    const points = a && b ? [{ x: a.x, y: a.y + a.height / 2 }, { x: b.x, y: b.y - b.height / 2 }] : [];
    return { from: e.from, to: e.to, label: e.label, points };
  });
  const clusters: PlacedBox[] = req.clusters.map((c) => {
    const inside = req.nodes.filter((n) => n.parent === c).map((n) => at.get(n.key)!);
    const x0 = Math.min(...inside.map((b) => b.x - b.width / 2)), x1 = Math.max(...inside.map((b) => b.x + b.width / 2));
    const y0 = Math.min(...inside.map((b) => b.y - b.height / 2)), y1 = Math.max(...inside.map((b) => b.y + b.height / 2));
    return { key: c, x: (x0 + x1) / 2, y: (y0 + y1) / 2, width: x1 - x0 + 8, height: y1 - y0 + 8 };
  });
  // Centre each row under the widest one.
  for (const b of boxes) b.x += (width - (rowRight.get(Math.round(b.y)) ?? width)) / 2;
  for (const e of edges) {
    const a = at.get(e.from), b = at.get(e.to);
    if (a && b) e.points = [{ x: a.x, y: a.y + a.height / 2 }, { x: b.x, y: b.y - b.height / 2 }];
  }
  return { boxes, edges, clusters, width: width + margin, height: y + margin, ms: performance.now() - t0, engine: "layered" };
}

function dagreLayout(req: Omit<LayoutRequest, "id">): GraphLayout {
  const t0 = performance.now();
  const g = new Graph({ multigraph: true, compound: req.clusters.length > 0 });
  g.setGraph({ rankdir: "TB", nodesep: 18, ranksep: 34, edgesep: 8, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of req.clusters) g.setNode(c, { width: 0, height: 0 });
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
    const p = g.node(c) as { x: number; y: number; width: number; height: number };
    return { key: c, x: p.x, y: p.y, width: p.width, height: p.height };
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
