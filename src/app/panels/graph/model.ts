/**
 * Pure helpers of the Graph panel: the IR's JSON shape (the shared schema's), op categories (for
 * colours), the difference between two stages of the pass pipeline, and the flat node/edge lists
 * handed to the layout worker (fused kernels expanded into boxed clusters on request).
 * No DOM and no library imports: unit-tested in Node.
 * @module
 */
import type { IRGraphJSON, IRNodeJSON } from "../../../schema/ir-json";
import { categoryGroup, OP_CATEGORY_GROUP_LABELS, type OpCategoryGroup } from "../../../schema/op-category";

// The IR's JSON is the shared schema's (what the library's printer writes and the `graph` event carries).
export type { IRGraphJSON, IRNodeJSON };

/** What a drawn box is, for its colour and legend: an op category's legend group, or a graph input/output. */
export type DrawnCategory = OpCategoryGroup | "input" | "output";

/** Legend labels of the drawn categories. */
export const CATEGORY_LABELS: Record<DrawnCategory, string> = { ...OP_CATEGORY_GROUP_LABELS, input: "input", output: "output" };

/** The legend group of a node: from the category the library put in the IR JSON (never guessed from the op's name). */
export function opCategory(node: Pick<IRNodeJSON, "category">): OpCategoryGroup {
  return categoryGroup(node.category);
}

/** `[2, 3]` → `2×3`; a scalar is `scalar`. Dtype shown when not float32. */
export function shapeLabel(shape: readonly number[], dtype = "float32"): string {
  const s = shape.length ? shape.join("×") : "scalar";
  return dtype === "float32" ? s : `${dtype} ${s}`;
}

/** The ops inside a fused node, from its attrs or its region. */
export function fusedOps(node: IRNodeJSON): string[] {
  const ops = node.attrs.ops;
  if (Array.isArray(ops)) return ops.map(String);
  return node.region?.nodes.map((n) => n.op) ?? [];
}

/** The label drawn in a node's box. */
export function nodeLabel(node: IRNodeJSON): string {
  if (node.op === "fused") return `fused: ${fusedOps(node).join("+")}`;
  return node.op;
}

/** Nodes added, removed and changed from one stage's graph to the next (by node id). */
export interface GraphDiff {
  added: IRNodeJSON[];
  removed: IRNodeJSON[];
  /** Same id, different op, attrs or inputs (e.g. CSE rewired an input). */
  changed: IRNodeJSON[];
}

function nodeSignature(n: IRNodeJSON): string {
  return `${n.op}|${n.inputs.join(",")}|${JSON.stringify(n.attrs)}|${n.shape.join(",")}|${n.dtype}`;
}

/** What changed between two graphs (top level; a region counts as part of its node). */
export function diffGraphs(before: IRGraphJSON, after: IRGraphJSON): GraphDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const added = after.nodes.filter((n) => !old.has(n.id));
  const removed = before.nodes.filter((n) => !now.has(n.id));
  const changed = after.nodes.filter((n) => {
    const o = old.get(n.id);
    return o !== undefined && nodeSignature(o) !== nodeSignature(n);
  });
  return { added, removed, changed };
}

/** A box for the layout worker. `parent` names the cluster (an expanded region) it sits in. */
export interface LayoutNodeIn {
  key: string;
  width: number;
  height: number;
  parent?: string;
}

/** An edge for the layout worker; `label` is the value's shape. */
export interface LayoutEdgeIn {
  from: string;
  to: string;
  label: string;
}

/** A cluster for the layout worker: an expanded fused node, one region of a control-flow node, or an open module group. */
export interface LayoutClusterIn {
  key: string;
  /** The enclosing cluster, for regions nested in regions. */
  parent?: string;
}

/** What a drawn box stands for. `end` marks the box where an expanded control-flow node's results leave. */
export type DrawnItem =
  | { kind: "node"; node: IRNodeJSON; category: OpCategoryGroup; label: string; sub: string; backward: boolean; insideOf?: number; end?: boolean }
  | { kind: "input"; name: string; shape: number[]; dtype: string; sourceKind: string; region?: RegionRef }
  | { kind: "output"; name: string; sinkKind: string; region?: RegionRef }
  | { kind: "group"; group: GroupInfo };

/** The control-flow region a parameter or `yield` box belongs to (`sourceKind` / `sinkKind` is then "region"). */
export interface RegionRef {
  op: string;
  name: string;
}

/** A module scope's nodes (forward or generated backward), drawn as one box while collapsed. */
export interface GroupInfo {
  /** Its key in the set of open groups: `scopeKey(path, backward)`. */
  key: string;
  /** The scope path (`["TinyGPT", "blocks", "0"]`). */
  path: string[];
  backward: boolean;
  /** Nodes inside it at every depth (top-level nodes of the graph). */
  count: number;
  /** The most frequent ops inside, most frequent first (for its box and its label). */
  topOps: string[];
}

/**
 * What a cluster boxes: a fused node's region (`region` absent), region k of a control-flow node,
 * or an open module group (`group`).
 */
export type ClusterInfo =
  | { kind: "fused"; node: IRNodeJSON; parent?: string }
  | { kind: "region"; node: IRNodeJSON; region: number; regionName: string; graphName: string; parent?: string }
  | { kind: "group"; group: GroupInfo; parent?: string };

/** The key of a scope group: its path, and whether it holds the generated backward of that scope. */
export const scopeKey = (path: readonly string[], backward: boolean): string => `${backward ? "∂" : ""}${path.join("/")}`;

/** The dotted name of a scope path as a learner reads it (`TinyGPT.blocks.0.attn`). */
export const scopeName = (path: readonly string[]): string => path.join(".");

/** Graphs with more top-level nodes than this start folded into their module scopes. */
export const GROUP_ABOVE_NODES = 150;

/** True when some top-level node carries a module scope (the graph can be folded by module). */
export function hasScopes(g: IRGraphJSON): boolean {
  return g.nodes.some((n) => n.scope !== undefined && n.scope.length > 0);
}

/** Every scope group of the graph's top-level nodes at every depth, with its node count and most frequent ops. */
export function scopeGroups(g: IRGraphJSON): Map<string, GroupInfo> {
  const groups = new Map<string, GroupInfo>();
  const ops = new Map<string, Map<string, number>>();
  for (const n of g.nodes) {
    const path = n.scope ?? [];
    const backward = n.phase === "backward";
    for (let d = 1; d <= path.length; d++) {
      const sub = path.slice(0, d);
      const key = scopeKey(sub, backward);
      let info = groups.get(key);
      if (!info) groups.set(key, (info = { key, path: sub, backward, count: 0, topOps: [] }));
      info.count++;
      const m = ops.get(key) ?? ops.set(key, new Map()).get(key)!;
      m.set(n.op, (m.get(n.op) ?? 0) + 1);
    }
  }
  for (const [key, info] of groups)
    info.topOps = [...ops.get(key)!]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([op]) => op);
  return groups;
}

/** The layout worker's input, and what each key stands for. */
export interface LayoutInput {
  nodes: LayoutNodeIn[];
  edges: LayoutEdgeIn[];
  /** Cluster key → what it boxes (in order: a parent before the clusters inside it). */
  clusters: Map<string, ClusterInfo>;
  items: Map<string, DrawnItem>;
}

/** Box height and the width of one character of the node font (px). */
export const BOX_H = 34;
const CHAR_W = 6.6;

function boxWidth(...texts: string[]): number {
  return Math.round(Math.min(260, Math.max(64, Math.max(...texts.map((t) => t.length)) * CHAR_W + 20)));
}

/** The key of a node's box (nodes inside an expanded fused node: `n:<fused id>/<inner id>`). */
export const nodeKey = (id: number, inside?: number): string => (inside === undefined ? `n:${id}` : `n:${inside}/${id}`);

/** A node's regions (the JSON keeps a single region in `region`). */
export function regionsOf(n: IRNodeJSON): IRGraphJSON[] {
  return n.regions ?? (n.region ? [n.region] : []);
}

/** Region names of a control-flow op (from the JSON, else by position). */
export function regionName(n: IRNodeJSON, k: number): string {
  return n.regionNames?.[k] ?? `region ${k}`;
}

/** True for nodes the drawing can open: fused kernels and control flow. */
export const isExpandable = (n: IRNodeJSON): boolean => regionsOf(n).length > 0;

/** Ids of every expandable node, at every depth. */
export function expandableIds(g: IRGraphJSON, out: number[] = []): number[] {
  for (const n of g.nodes) {
    if (!isExpandable(n)) continue;
    out.push(n.id);
    if (n.op !== "fused") regionsOf(n).forEach((r) => expandableIds(r, out));
  }
  return out;
}

/**
 * The boxes and edges of a graph: inputs, nodes, outputs. A fused node whose id is in `expanded`
 * becomes a cluster holding its region's nodes, wired to the outside as its params and result
 * are. An expanded control-flow node (cond, while, scan) keeps its box as the entry, then one
 * cluster per region — the region's params, its nodes (expanded in turn), a `yield` — and an
 * `end` box where its results leave; nested control flow nests clusters.
 */
export function buildLayoutInput(
  g: IRGraphJSON,
  expanded: ReadonlySet<number> = new Set(),
  /** Fold the top-level nodes into their module scopes, all but these open groups (by {@link scopeKey}); null draws every node. */
  openGroups: ReadonlySet<string> | null = null,
): LayoutInput {
  const nodes: LayoutNodeIn[] = [];
  const edges: LayoutEdgeIn[] = [];
  const items = new Map<string, DrawnItem>();
  const clusters = new Map<string, ClusterInfo>();
  /** Value id → the box that produces it, with its shape. */
  const producer = new Map<number, { key: string; shape: number[]; dtype: string }>();

  /** Edges drawn, by `from>to`: a collapsed group takes many values in and out, drawn as one edge each way. */
  const edgeIndex = new Map<string, number>();
  /** Values read before the node that makes them (a dataflow loop's back edge, NextIteration → Merge): drawn once every node is placed. */
  const later: [number, string][] = [];
  const edgeFrom = (valueId: number, to: string, retry = true) => {
    const p = producer.get(valueId);
    if (!p && retry) later.push([valueId, to]);
    if (!p || p.key === to) return;
    const grouped = items.get(p.key)?.kind === "group" || items.get(to)?.kind === "group";
    if (!grouped) {
      edges.push({ from: p.key, to, label: shapeLabel(p.shape, p.dtype) });
      return;
    }
    const id = `${p.key}>${to}`;
    const k = edgeIndex.get(id);
    if (k === undefined) {
      edgeIndex.set(id, edges.length);
      edges.push({ from: p.key, to, label: shapeLabel(p.shape, p.dtype) });
    } else if (edges[k].label !== shapeLabel(p.shape, p.dtype)) edges[k] = { ...edges[k], label: "" };
  };
  const groups = openGroups ? scopeGroups(g) : null;
  /** The cluster of an open group (its enclosing open groups' clusters made first). */
  const groupCluster = (path: string[], backward: boolean): string | undefined => {
    if (!path.length) return undefined;
    const key = scopeKey(path, backward);
    const cluster = `gc:${key}`;
    if (!clusters.has(cluster)) {
      const parent = groupCluster(path.slice(0, -1), backward);
      clusters.set(cluster, { kind: "group", group: groups!.get(key)!, parent });
    }
    return cluster;
  };
  /** Where a top-level node goes when folding: into a collapsed group's box, or into the cluster of its innermost open group. */
  const placeInGroups = (n: IRNodeJSON): { box: string } | { parent: string | undefined } => {
    const path = n.scope ?? [];
    const backward = n.phase === "backward";
    for (let d = 1; d <= path.length; d++) {
      const info = groups!.get(scopeKey(path.slice(0, d), backward))!;
      if (openGroups!.has(info.key)) continue;
      const box = `g:${info.key}`;
      if (!items.has(box)) {
        const label = scopeName(info.path);
        addBox(box, { kind: "group", group: info }, [label, `${info.count} nodes`], groupCluster(path.slice(0, d - 1), backward));
      }
      return { box };
    }
    return { parent: groupCluster(path, backward) };
  };
  const addBox = (key: string, item: DrawnItem, texts: string[], parent?: string, height = BOX_H) => {
    nodes.push({ key, width: boxWidth(...texts), height, parent });
    items.set(key, item);
  };
  const addNode = (n: IRNodeJSON, parent: string | undefined, inside: number | undefined, end = false) => {
    const key = end ? `e:${n.id}` : nodeKey(n.id, inside);
    const label = end ? `end ${n.op}` : nodeLabel(n);
    const sub = shapeLabel(n.shape, n.dtype);
    addBox(key, { kind: "node", node: n, category: opCategory(n), label, sub, backward: n.phase === "backward", insideOf: inside, end }, [label, sub], parent);
    return key;
  };

  const addNodes = (graph: IRGraphJSON, outerParent: string | undefined) => {
    for (const n of graph.nodes) {
      let parent = outerParent;
      if (groups && graph === g) {
        const at = placeInGroups(n);
        if ("box" in at) {
          for (const v of n.inputs) edgeFrom(v, at.box);
          producer.set(n.output, { key: at.box, shape: n.shape, dtype: n.dtype });
          for (const r of n.results ?? []) producer.set(r.id, { key: at.box, shape: r.shape, dtype: r.dtype });
          continue;
        }
        parent = at.parent;
      }
      const regions = regionsOf(n);
      if (n.op === "fused" && n.region && expanded.has(n.id)) {
        const cluster = `c:${n.id}`;
        clusters.set(cluster, { kind: "fused", node: n, parent });
        // The cluster itself stands for the fused node (clicking its frame selects it).
        items.set(cluster, {
          kind: "node",
          node: n,
          category: "fused",
          label: nodeLabel(n),
          sub: shapeLabel(n.shape, n.dtype),
          backward: n.phase === "backward",
        });
        // Region params stand for the fused node's inputs, in order.
        n.region.inputs.forEach((p, k) => {
          const outer = n.inputs[k];
          const src = outer === undefined ? undefined : producer.get(outer);
          if (src) producer.set(p.id, src);
        });
        for (const m of n.region.nodes) {
          const key = addNode(m, cluster, n.id);
          for (const v of m.inputs) edgeFrom(v, key);
          producer.set(m.output, { key, shape: m.shape, dtype: m.dtype });
        }
        const out = n.region.outputs[0]?.id;
        const last = out === undefined || out === null ? undefined : producer.get(out);
        if (last) producer.set(n.output, { ...last, shape: n.shape, dtype: n.dtype });
        continue;
      }
      const key = addNode(n, parent, undefined);
      for (const v of n.inputs) edgeFrom(v, key);
      let exit = key;
      if (n.op !== "fused" && regions.length && expanded.has(n.id)) {
        const end = addNode(n, parent, undefined, true);
        regions.forEach((r, k) => {
          const cluster = `r:${n.id}/${k}`;
          clusters.set(cluster, { kind: "region", node: n, region: k, regionName: regionName(n, k), graphName: r.name, parent });
          for (const p of r.inputs) {
            const pk = `p:${n.id}/${k}/${p.id}`;
            addBox(
              pk,
              { kind: "input", name: p.name, shape: p.shape, dtype: p.dtype, sourceKind: "region", region: { op: n.op, name: regionName(n, k) } },
              [p.name, shapeLabel(p.shape, p.dtype)],
              cluster,
            );
            edges.push({ from: key, to: pk, label: shapeLabel(p.shape, p.dtype) });
            producer.set(p.id, { key: pk, shape: p.shape, dtype: p.dtype });
          }
          addNodes(r, cluster);
          const yk = `y:${n.id}/${k}`;
          addBox(yk, { kind: "output", name: "yield", sinkKind: "region", region: { op: n.op, name: regionName(n, k) } }, ["yield"], cluster, 26);
          for (const o of r.outputs) if (o.id !== null) edgeFrom(o.id, yk);
          edges.push({ from: yk, to: end, label: "" });
        });
        exit = end;
      }
      producer.set(n.output, { key: exit, shape: n.shape, dtype: n.dtype });
      for (const r of n.results ?? []) producer.set(r.id, { key: exit, shape: r.shape, dtype: r.dtype });
    }
  };

  // Folded, a graph's captured tensors (parameters, optimizer state) and write-backs are drawn only
  // where a node drawn on its own reads or writes them: a model's hundreds of them stay inside its boxes.
  // Arguments and results are always drawn.
  const folded = (n: IRNodeJSON): boolean => {
    const path = n.scope ?? [];
    const backward = n.phase === "backward";
    for (let d = 1; d <= path.length; d++) if (!openGroups!.has(scopeKey(path.slice(0, d), backward))) return true;
    return false;
  };
  const readUnfolded = new Set<number>();
  const writtenFolded = new Set<number>();
  if (groups)
    for (const n of g.nodes) {
      if (folded(n)) {
        writtenFolded.add(n.output);
        for (const r of n.results ?? []) writtenFolded.add(r.id);
      } else for (const v of n.inputs) readUnfolded.add(v);
    }
  for (const i of g.inputs) {
    if (groups && i.kind !== "arg" && !readUnfolded.has(i.id)) continue;
    const key = `in:${i.id}`;
    addBox(key, { kind: "input", name: i.name, shape: i.shape, dtype: i.dtype, sourceKind: i.kind }, [i.name, shapeLabel(i.shape, i.dtype)]);
    producer.set(i.id, { key, shape: i.shape, dtype: i.dtype });
  }
  addNodes(g, undefined);
  for (const [v, to] of later) edgeFrom(v, to, false);
  g.outputs.forEach((o, k) => {
    if (o.id === null) return;
    if (groups && o.kind !== "result" && writtenFolded.has(o.id)) return;
    const key = `out:${k}`;
    addBox(key, { kind: "output", name: o.name, sinkKind: o.kind }, [o.name, o.kind], undefined, 26);
    edgeFrom(o.id, key);
  });
  return { nodes, edges, clusters, items };
}

/** How many boxes `g` draws with `expanded` open (to decide whether to open everything at first). */
export function boxCount(g: IRGraphJSON, expanded: ReadonlySet<number>, openGroups: ReadonlySet<string> | null = null): number {
  return buildLayoutInput(g, expanded, openGroups).nodes.length;
}

/** Fused nodes of a graph at every depth (for the WGSL list). */
export function fusedNodes(g: IRGraphJSON, out: IRNodeJSON[] = []): IRNodeJSON[] {
  for (const n of g.nodes) {
    if (n.op === "fused") out.push(n);
    else regionsOf(n).forEach((r) => fusedNodes(r, out));
  }
  return out;
}

/** A laid-out box (centre x/y as dagre gives them). */
export interface PlacedBox {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A laid-out edge: its polyline and where its label goes. */
export interface PlacedEdge {
  from: string;
  to: string;
  label: string;
  points: { x: number; y: number }[];
}

/** The layout worker's answer. */
export interface GraphLayout {
  boxes: PlacedBox[];
  edges: PlacedEdge[];
  clusters: PlacedBox[];
  width: number;
  height: number;
  /** Milliseconds the layout took (in the worker). */
  ms: number;
  /** dagre, or the plain layered layout used for big graphs. */
  engine: "dagre" | "layered";
}

/** Node ids of a graph at every depth (for mapping a cursor line to nodes). */
export function nodesOnLine(g: IRGraphJSON, line: number): number[] {
  return g.nodes.filter((n) => n.line === line).map((n) => n.id);
}

/** Bytes as B / KiB / MiB. */
export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1 << 20) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / (1 << 20)).toFixed(2)} MiB`;
}

/** Height of a cluster's title band above its boxes, and the frame's margin around them (px). */
export const TITLE_BAND = 18;
const FRAME_PAD = 6;
/** Width of one character of a cluster title (10.5 px sans). */
export const TITLE_CHAR_W = 5.6;

/** A cluster as drawn: its frame, its title's band (inside the frame, at its top) and how many title characters fit. */
export interface ClusterFrame {
  key: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  title: { x0: number; y0: number; x1: number; y1: number; maxChars: number };
}

/**
 * The frames of laid-out clusters, with room for a title band at the top of each. A cluster
 * inside another (a region in a region, a module in a module) makes its parent's frame reach
 * above its own title band, so nested titles stack instead of overlapping; each title is cut to
 * its frame's width, so side-by-side regions (cond's then / else) keep to their own frame.
 * `parents` maps a cluster key to its enclosing cluster's key.
 */
export function clusterFrames(clusters: readonly PlacedBox[], parents: ReadonlyMap<string, string | undefined>): Map<string, ClusterFrame> {
  const frames = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
  for (const c of clusters)
    frames.set(c.key, {
      x0: c.x - c.width / 2 - FRAME_PAD,
      y0: c.y - c.height / 2 - TITLE_BAND,
      x1: c.x + c.width / 2 + FRAME_PAD,
      y1: c.y + c.height / 2 + FRAME_PAD,
    });
  // Children before parents: grow each parent around its children's frames and title bands.
  const depth = (k: string): number => {
    let d = 0;
    for (let p = parents.get(k); p !== undefined && d < 64; p = parents.get(p)) d++;
    return d;
  };
  const order = [...frames.keys()].sort((a, b) => depth(b) - depth(a));
  for (const k of order) {
    const p = parents.get(k);
    const f = frames.get(k)!,
      pf = p === undefined ? undefined : frames.get(p);
    if (!pf) continue;
    pf.x0 = Math.min(pf.x0, f.x0 - FRAME_PAD);
    pf.x1 = Math.max(pf.x1, f.x1 + FRAME_PAD);
    pf.y0 = Math.min(pf.y0, f.y0 - TITLE_BAND);
    pf.y1 = Math.max(pf.y1, f.y1 + FRAME_PAD);
  }
  const out = new Map<string, ClusterFrame>();
  for (const [key, f] of frames) {
    const tx0 = f.x0 + FRAME_PAD,
      tx1 = f.x1 - FRAME_PAD;
    out.set(key, {
      key,
      ...f,
      title: { x0: tx0, y0: f.y0 + 2, x1: tx1, y1: f.y0 + TITLE_BAND - 2, maxChars: Math.max(1, Math.floor((tx1 - tx0) / TITLE_CHAR_W)) },
    });
  }
  return out;
}

/** Width units of a string in title characters: CJK characters count two. */
export function textUnits(text: string): number {
  let u = 0;
  for (const ch of text) u += ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return u;
}

/** `text` cut to `max` width units ({@link textUnits}) with an ellipsis. */
export function clip(text: string, max: number): string {
  if (textUnits(text) <= max) return text;
  let out = "",
    u = 0;
  for (const ch of text) {
    const w = ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
    if (u + w > max - 1) break;
    out += ch;
    u += w;
  }
  return `${out}…`;
}

/** The text of a cluster's title line, cut so that it and its action link (" — collapse") fit `maxChars` units. */
export function titleLine(title: string, action: string, maxChars: number): string {
  return clip(title, Math.max(1, maxChars - textUnits(action) - 3));
}
