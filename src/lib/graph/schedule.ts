/**
 * Execution scheduling of a graph, as analysis the Graph panel draws (nothing here changes what
 * runs): two orders of the same nodes — Kahn's topological order (first ready, first run) and a
 * memory-aware greedy order (the ready node that leaves the least memory live) — with the bytes
 * live while each step runs; streams (chains of dependent nodes; independent chains could run
 * concurrently); dispatches per op vs one submit; and the memory plan (`passes/memory.ts`) of each
 * order as buffer lifetimes.
 *
 * Live bytes count intermediates only (graph inputs are the caller's memory): a value is live from
 * the step that makes it through its last use, and through the end when it is a graph output; a
 * view (reshape, transpose …) shares its input's memory and stretches its lifetime.
 */
import { nodeResults, type IRGraph, type IRNode } from "./ir";
import { planMemory } from "./passes/memory";
import { isViewOp, kernelCount, valueBytes } from "./passes/util";
import type { GraphScheduleInfo, ScheduleOrderInfo } from "../../schema/events";

/** Graphs above this many nodes get no schedule in the graph event (the analysis is quadratic). */
export const MAX_SCHEDULED_NODES = 400;

/** For each node (by position), the positions of the nodes it must wait for. */
export function dependencies(g: IRGraph): number[][] {
  const producer = new Map<number, number>();
  let lastRandom = -1;
  return g.nodes.map((n, i) => {
    const deps = new Set<number>();
    for (const v of n.inputs) {
      const p = producer.get(v.id);
      if (p !== undefined) deps.add(p);
    }
    // Random draws keep their order: each takes the next numbers from the generator.
    if (n.op === "random") {
      if (lastRandom >= 0) deps.add(lastRandom);
      lastRandom = i;
    }
    for (const v of nodeResults(n)) producer.set(v.id, i);
    return [...deps];
  });
}

/**
 * Kahn's algorithm: run a node once every node it waits for has run, taking ready nodes first in,
 * first out (ties by graph position). Breadth-first: independent branches advance side by side.
 */
export function topologicalOrder(g: IRGraph): IRNode[] {
  const deps = dependencies(g);
  const waiting = deps.map((d) => d.length);
  const users = g.nodes.map(() => [] as number[]);
  deps.forEach((d, i) => d.forEach((p) => users[p].push(i)));
  const queue = g.nodes.flatMap((_, i) => (waiting[i] === 0 ? [i] : []));
  const order: IRNode[] = [];
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head];
    order.push(g.nodes[i]);
    for (const u of users[i].sort((a, b) => a - b)) if (--waiting[u] === 0) queue.push(u);
  }
  return order;
}

/** Each node's memory effect: the root value (view chains resolved) it defines and the roots it reads. */
interface Footprint {
  /** Root value id → bytes, for the roots this node makes (none for a view). */
  makes: Map<number, number>;
  /** Root value ids it reads (deduplicated). */
  reads: number[];
}

/** Footprints of the nodes and, per root value, whether it outlives the graph (an output). */
function footprints(g: IRGraph): { prints: Footprint[]; keep: Set<number> } {
  const rootOf = new Map<number, number>(); // intermediate value id → root value id
  const prints = g.nodes.map((n) => {
    const reads = [...new Set(n.inputs.flatMap((v) => (rootOf.has(v.id) ? [rootOf.get(v.id)!] : [])))];
    const makes = new Map<number, number>();
    if (isViewOp(n)) {
      const base = rootOf.get(n.inputs[0].id);
      // A view of a graph input is the caller's memory: not an intermediate.
      if (base !== undefined) rootOf.set(n.output.id, base);
    } else
      for (const v of nodeResults(n)) {
        rootOf.set(v.id, v.id);
        makes.set(v.id, valueBytes(v));
      }
    return { makes, reads };
  });
  const keep = new Set(g.outputs.flatMap((o) => (o.value && rootOf.has(o.value.id) ? [rootOf.get(o.value.id)!] : [])));
  return { prints, keep };
}

/** Bytes of intermediates live while each node of `order` runs (its inputs and its results both resident). */
export function liveBytes(g: IRGraph, order: readonly IRNode[]): number[] {
  const { prints, keep } = footprints(g);
  const at = new Map(g.nodes.map((n, i) => [n, i]));
  const steps = order.map((n) => prints[at.get(n)!]);
  const bytes = new Map<number, number>();
  const last = new Map<number, number>();
  steps.forEach((p, s) => {
    p.makes.forEach((b, v) => (bytes.set(v, b), last.set(v, s)));
    for (const v of p.reads) last.set(v, s);
  });
  for (const v of keep) last.set(v, Infinity);
  let live = 0;
  return steps.map((p, s) => {
    p.makes.forEach((b) => (live += b));
    const now = live;
    for (const v of new Set([...p.reads, ...p.makes.keys()])) if (last.get(v) === s) live -= bytes.get(v)!;
    return now;
  });
}

/** The most bytes of intermediates live at once when the nodes run in `order`. */
export function peakLiveBytes(g: IRGraph, order: readonly IRNode[]): number {
  return Math.max(0, ...liveBytes(g, order));
}

/**
 * A memory-aware order: of the ready nodes, run the one after which the fewest bytes are live
 * (what it makes minus what dies at it); ties by graph position. Greedy, so not always optimal
 * (minimising the peak over all orders is NP-hard), but it finishes a branch before it opens the
 * next, which keeps one branch's activations live at a time instead of all of them.
 */
export function memoryAwareOrder(g: IRGraph): IRNode[] {
  const deps = dependencies(g);
  const { prints, keep } = footprints(g);
  const remainingUses = new Map<number, number>();
  prints.forEach((p) => p.reads.forEach((v) => remainingUses.set(v, (remainingUses.get(v) ?? 0) + 1)));
  const waiting = deps.map((d) => d.length);
  const users = g.nodes.map(() => [] as number[]);
  deps.forEach((d, i) => d.forEach((p) => users[p].push(i)));
  const ready = new Set(g.nodes.flatMap((_, i) => (waiting[i] === 0 ? [i] : [])));
  const delta = (i: number) => {
    const p = prints[i];
    let d = 0;
    p.makes.forEach((b, v) => (d += keep.has(v) || remainingUses.has(v) ? b : 0));
    for (const v of p.reads) if (!keep.has(v) && remainingUses.get(v) === 1) d -= valueBytesOf(g, v);
    return d;
  };
  const order: IRNode[] = [];
  while (ready.size) {
    let best = -1,
      bestDelta = Infinity;
    for (const i of [...ready].sort((a, b) => a - b)) {
      const d = delta(i);
      if (d < bestDelta) [best, bestDelta] = [i, d];
    }
    ready.delete(best);
    order.push(g.nodes[best]);
    for (const v of prints[best].reads) remainingUses.set(v, remainingUses.get(v)! - 1);
    for (const u of users[best]) if (--waiting[u] === 0) ready.add(u);
  }
  return order;
}

/** Bytes of the value with id `id` made by a node of `g`. */
function valueBytesOf(g: IRGraph, id: number): number {
  for (const n of g.nodes) for (const v of nodeResults(n)) if (v.id === id) return valueBytes(v);
  return 0;
}

/** Stage of each node (by position): its longest path of nodes from the graph's inputs. */
export function nodeDepths(g: IRGraph): number[] {
  const deps = dependencies(g);
  const depth: number[] = [];
  for (let i = 0; i < g.nodes.length; i++) depth[i] = Math.max(-1, ...deps[i].map((p) => depth[p])) + 1;
  return depth;
}

/**
 * Streams: each node joins the stream of the first node it waits for whose stream it can extend
 * (that node is the stream's latest), else opens a new one. Nodes in different streams with no
 * path between them could run concurrently (CUDA streams, TensorFlow's inter-op thread pool); an
 * edge across streams is a synchronisation (an event the later stream waits on).
 */
export function streamLanes(g: IRGraph): number[] {
  const deps = dependencies(g);
  const lane: number[] = [];
  const tail: number[] = []; // lane → position of its latest node
  for (const i of topologicalOrder(g).map((n) => g.nodes.indexOf(n))) {
    const extend = deps[i].map((p) => lane[p]).find((l) => deps[i].includes(tail[l]));
    lane[i] = extend ?? tail.length;
    tail[lane[i]] = i;
  }
  return lane;
}

/** One order's figures: node ids, live bytes per step, peak, and its memory plan as buffer lifetimes. */
export function orderInfo(name: ScheduleOrderInfo["name"], g: IRGraph, order: readonly IRNode[]): ScheduleOrderInfo {
  const live = liveBytes(g, order);
  const plan = planMemory({ ...g, nodes: [...order] });
  const start = new Map<number, number>();
  order.forEach((n, s) => nodeResults(n).forEach((v) => start.set(v.id, s)));
  const rows = plan.bufferBytes.map((bytes) => ({ bytes, values: [] as ScheduleOrderInfo["buffers"][number]["values"] }));
  order.forEach((n, s) => {
    if (isViewOp(n)) return; // a view shares its input's buffer: drawn as part of it
    for (const v of nodeResults(n)) {
      const b = plan.bufferOf.get(v.id);
      if (b === undefined) continue;
      const end = plan.lastUse.get(v.id);
      rows[b].values.push({ value: v.id, node: n.id, op: n.op, start: s, end: end === undefined ? s : end === Infinity ? order.length : end });
    }
  });
  return {
    name,
    order: order.map((n) => n.id),
    live,
    peak: Math.max(0, ...live),
    buffers: rows,
    arenaBytes: plan.bufferBytes.reduce((a, b) => a + b, 0),
    unplannedBytes: plan.peakBefore,
  };
}

/**
 * The schedule of a graph for the Graph panel: its nodes with stage and stream, the topological
 * and the memory-aware order with their live bytes and memory plans, and the dispatch counts
 * (eager: one per op of `traced`; graph: one per kernel of `g`, in one submit).
 */
export function scheduleOf(g: IRGraph, traced: IRGraph = g): GraphScheduleInfo {
  const deps = dependencies(g);
  const depth = nodeDepths(g);
  const lanes = streamLanes(g);
  return {
    nodes: g.nodes.map((n, i) => ({
      id: n.id,
      op: n.op,
      bytes: isViewOp(n) ? 0 : nodeResults(n).reduce((a, v) => a + valueBytes(v), 0),
      stage: depth[i],
      lane: lanes[i],
      deps: deps[i].map((p) => g.nodes[p].id),
    })),
    orders: [orderInfo("topological", g, topologicalOrder(g)), orderInfo("memory-aware", g, memoryAwareOrder(g))],
    streams: g.nodes.length ? Math.max(...lanes) + 1 : 0,
    stages: g.nodes.length ? Math.max(...depth) + 1 : 0,
    dispatches: { eager: kernelCount(traced), graph: kernelCount(g), submits: 1 },
  };
}
