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

/** A cluster for the layout worker: an expanded fused node or one region of a control-flow node. */
export interface LayoutClusterIn {
  key: string;
  /** The enclosing cluster, for regions nested in regions. */
  parent?: string;
}

/** What a drawn box stands for. `end` marks the box where an expanded control-flow node's results leave. */
export type DrawnItem =
  | { kind: "node"; node: IRNodeJSON; category: OpCategoryGroup; label: string; sub: string; backward: boolean; insideOf?: number; end?: boolean }
  | { kind: "input"; name: string; shape: number[]; dtype: string; sourceKind: string }
  | { kind: "output"; name: string; sinkKind: string };

/** What a cluster boxes: a fused node's region, or region k of a control-flow node. */
export interface ClusterInfo {
  node: IRNodeJSON;
  /** "fused kernel", or the control op and its region's name ("cond: then"). */
  title: string;
  parent?: string;
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
export function buildLayoutInput(g: IRGraphJSON, expanded: ReadonlySet<number> = new Set()): LayoutInput {
  const nodes: LayoutNodeIn[] = [];
  const edges: LayoutEdgeIn[] = [];
  const items = new Map<string, DrawnItem>();
  const clusters = new Map<string, ClusterInfo>();
  /** Value id → the box that produces it, with its shape. */
  const producer = new Map<number, { key: string; shape: number[]; dtype: string }>();

  const edgeFrom = (valueId: number, to: string) => {
    const p = producer.get(valueId);
    if (p) edges.push({ from: p.key, to, label: shapeLabel(p.shape, p.dtype) });
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

  const addNodes = (graph: IRGraphJSON, parent: string | undefined) => {
    for (const n of graph.nodes) {
      const regions = regionsOf(n);
      if (n.op === "fused" && n.region && expanded.has(n.id)) {
        const cluster = `c:${n.id}`;
        clusters.set(cluster, { node: n, title: `fused kernel (node ${n.id})`, parent });
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
          clusters.set(cluster, { node: n, title: `${n.op} node ${n.id}: ${regionName(n, k)}`, parent });
          for (const p of r.inputs) {
            const pk = `p:${n.id}/${k}/${p.id}`;
            addBox(
              pk,
              { kind: "input", name: p.name, shape: p.shape, dtype: p.dtype, sourceKind: `a parameter of ${n.op}'s ${regionName(n, k)} region` },
              [p.name, shapeLabel(p.shape, p.dtype)],
              cluster,
            );
            edges.push({ from: key, to: pk, label: shapeLabel(p.shape, p.dtype) });
            producer.set(p.id, { key: pk, shape: p.shape, dtype: p.dtype });
          }
          addNodes(r, cluster);
          const yk = `y:${n.id}/${k}`;
          addBox(yk, { kind: "output", name: "yield", sinkKind: `the ${regionName(n, k)} region's results` }, ["yield"], cluster, 26);
          for (const o of r.outputs) if (o.id !== null) edgeFrom(o.id, yk);
          edges.push({ from: yk, to: end, label: "" });
        });
        exit = end;
      }
      producer.set(n.output, { key: exit, shape: n.shape, dtype: n.dtype });
      for (const r of n.results ?? []) producer.set(r.id, { key: exit, shape: r.shape, dtype: r.dtype });
    }
  };

  for (const i of g.inputs) {
    const key = `in:${i.id}`;
    addBox(key, { kind: "input", name: i.name, shape: i.shape, dtype: i.dtype, sourceKind: i.kind }, [i.name, shapeLabel(i.shape, i.dtype)]);
    producer.set(i.id, { key, shape: i.shape, dtype: i.dtype });
  }
  addNodes(g, undefined);
  g.outputs.forEach((o, k) => {
    if (o.id === null) return;
    const key = `out:${k}`;
    addBox(key, { kind: "output", name: o.name, sinkKind: o.kind }, [o.name, o.kind], undefined, 26);
    edgeFrom(o.id, key);
  });
  return { nodes, edges, clusters, items };
}

/** How many boxes `g` draws with `expanded` open (to decide whether to open everything at first). */
export function boxCount(g: IRGraphJSON, expanded: ReadonlySet<number>): number {
  return buildLayoutInput(g, expanded).nodes.length;
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
