/**
 * Multi-output fusion: elementwise kernels of one shape that feed one another become one kernel
 * that computes them all per element and stores every value read outside it — what vertical
 * fusion leaves apart because a value has several readers: an optimizer's moments, each written
 * back and read by the parameter's update. The 0-d math that only they read (Adam's bias
 * corrections from the step count) is computed inline by every thread. Adam's update of one
 * parameter: three or four kernels become one that overwrites the moments and the parameter.
 *
 * A group is a connected set of same-shape edges between elementwise kernels (fused chains or lone
 * ops), kept when it is convex (no path leaves it and comes back, so it can run as one step) and
 * its storage bindings fit (WebGPU guarantees 8: its inputs that are neither literals nor updated
 * in place, and its outputs). It becomes a `fused` node of kind "multi" whose outputs all share
 * one index space (kernels/fused-multi.ts runs them as one member).
 */
import { shapeEqual } from "../../tensor/shape";
import { newValue, nodeResults, type IRGraph, type IRNode, type IRValue } from "../ir";
import { flattenKernels, fusedNode, isElementwise, regionInputs } from "./fusion";
import type { Pass } from "./pass";
import { literalInputs } from "./util";

/** Storage buffers one kernel may bind (WebGPU guarantees 8 per stage). */
const MAX_BINDINGS = 8;

/** An elementwise kernel: a fused elementwise chain (one output) or a lone elementwise op (a lone gradient stop is a view, not a kernel). */
function isCandidate(n: IRNode): boolean {
  if (n.results) return false;
  if (n.op === "fused") return n.attrs.kind === "elementwise";
  return isElementwise(n) && n.op !== "stopGradient";
}

/** Whether no path runs from `group` through a node outside it and back in (graph order is a topological order). */
function convex(g: IRGraph, group: ReadonlySet<IRNode>): boolean {
  const inside = new Set<number>(); // values the group yields
  const tainted = new Set<number>(); // values of outside nodes that depend on the group
  for (const n of g.nodes) {
    const fromGroup = n.inputs.some((v) => inside.has(v.id) || tainted.has(v.id));
    if (group.has(n)) {
      if (n.inputs.some((v) => tainted.has(v.id))) return false;
      for (const v of nodeResults(n)) inside.add(v.id);
    } else if (fromGroup) for (const v of nodeResults(n)) tainted.add(v.id);
  }
  return true;
}

/** Build the multi-output node for `members` (graph order) yielding the outer values `outputs`. */
function fuseGroup(members: readonly IRNode[], outputs: readonly IRValue[], literals: ReadonlyMap<number, number>): IRNode {
  const { nodes, external, params, yields } = flattenKernels(members);
  const inner = new Map(members.map((m, i) => [m.output.id, yields[i]]));
  const results = outputs.map((v) => newValue(v.shape, v.dtype));
  const region: IRGraph = {
    name: members.map((m) => (m.op === "fused" ? (m.attrs.ops as string[]).join("+") : m.op)).join("+"),
    inputs: regionInputs(external, params, literals),
    nodes,
    outputs: outputs.map((v, i) => ({ value: inner.get(v.id)!, sink: { kind: "result", index: i }, name: `out${i}` })),
  };
  return fusedNode(region, external, { kind: "multi", ops: nodes.map((n) => n.op), members: 1 }, results[0], results, nodes);
}

export const multiOutputFusion: Pass = {
  name: "mfusion",
  title: "Multi-output fusion",
  description:
    "Merges elementwise kernels of one shape that feed one another (and the scalar math only they read) into one kernel that stores several results: an optimizer's whole update of a parameter.",
  run(g: IRGraph) {
    const literals = literalInputs(g);
    const producer = new Map<number, IRNode>();
    for (const n of g.nodes) for (const v of nodeResults(n)) producer.set(v.id, n);
    const consumers = new Map<number, IRNode[]>();
    for (const n of g.nodes) for (const v of n.inputs) consumers.set(v.id, [...(consumers.get(v.id) ?? []), n]);
    const outputIds = new Set(g.outputs.flatMap((o) => (o.value ? [o.value.id] : [])));

    // Connected components over same-shape edges between candidates of rank ≥ 1 (union-find).
    const parent = new Map<IRNode, IRNode>();
    const find = (n: IRNode): IRNode => {
      let r = n;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(n, r);
      return r;
    };
    for (const n of g.nodes) if (isCandidate(n) && n.output.shape.length > 0) parent.set(n, n);
    for (const n of parent.keys()) {
      for (const v of n.inputs) {
        const p = producer.get(v.id);
        if (p && parent.has(p) && shapeEqual(p.output.shape, n.output.shape)) parent.set(find(n), find(p));
      }
    }
    const groups = new Map<IRNode, Set<IRNode>>();
    for (const n of parent.keys()) {
      const r = find(n);
      if (!groups.has(r)) groups.set(r, new Set());
      groups.get(r)!.add(n);
    }
    // 0-d candidates read only inside one group (and not a graph output) are computed there, inline.
    const groupOf = new Map<IRNode, Set<IRNode>>();
    for (const s of groups.values()) for (const n of s) groupOf.set(n, s);
    // In reverse graph order every reader is decided first, so a chain of 0-d ops joins in one sweep.
    for (const n of [...g.nodes].reverse()) {
      if (groupOf.has(n) || !isCandidate(n) || n.output.shape.length > 0 || outputIds.has(n.output.id)) continue;
      const readers = consumers.get(n.output.id) ?? [];
      const s = readers.length ? groupOf.get(readers[0]) : undefined;
      if (s && readers.every((c) => groupOf.get(c) === s)) {
        s.add(n);
        groupOf.set(n, s);
      }
    }

    // Captured tensors each output writes back into: a member that updates one in place binds it once.
    const writes = new Map<number, unknown>();
    for (const o of g.outputs) if (o.value && o.sink.kind === "mutation") writes.set(o.value.id, o.sink.tensor);
    const captured = new Map<number, unknown>();
    for (const inp of g.inputs) if (inp.source.kind === "capture") captured.set(inp.value.id, inp.source.tensor);

    const fusedAt = new Map<IRNode, IRNode>(); // a group's last member → its node
    const members = new Set<IRNode>();
    const map = new Map<number, IRValue>(); // a member's outer value → the multi node's result
    const changes: string[] = [];
    for (const s of new Set(groupOf.values())) {
      if (s.size < 2 || !convex(g, s)) continue;
      const ordered = g.nodes.filter((n) => s.has(n));
      const outs = ordered.map((n) => n.output).filter((v) => outputIds.has(v.id) || (consumers.get(v.id) ?? []).some((c) => !s.has(c)));
      if (outs.length === 0) continue;
      const yields = new Set(ordered.map((n) => n.output.id));
      const targets = new Set<unknown>(outs.map((v) => writes.get(v.id)).filter((t) => t !== undefined));
      const bound = new Set<number>();
      for (const n of ordered) for (const v of n.inputs) if (!yields.has(v.id) && !literals.has(v.id) && !targets.has(captured.get(v.id))) bound.add(v.id);
      if (bound.size + outs.length > MAX_BINDINGS) continue;
      const fused = fuseGroup(ordered, outs, literals);
      outs.forEach((v, i) => map.set(v.id, fused.results![i]));
      fusedAt.set(ordered[ordered.length - 1], fused);
      ordered.forEach((n) => members.add(n));
      changes.push(
        `ran ${ordered.map((n) => (n.op === "fused" ? `fused[${(n.attrs.ops as string[]).join("+")}]` : n.op)).join(", ")} (nodes ${ordered.map((n) => n.id).join(", ")}) as one kernel storing ${outs.length} result${outs.length === 1 ? "" : "s"}`,
      );
    }
    if (changes.length === 0) return { graph: g, changes };

    // Each group runs where its last member was; a node between its members that reads one of its
    // results waits until it has run (a convex group never needs such a node first).
    const available = new Set<number>(g.inputs.map((i) => i.value.id));
    const rename = (n: IRNode): IRNode => (n.inputs.some((v) => map.has(v.id)) ? { ...n, inputs: n.inputs.map((v) => map.get(v.id) ?? v) } : n);
    const ready = (n: IRNode) => n.inputs.every((v) => available.has(v.id));
    const out: IRNode[] = [];
    const waiting: IRNode[] = [];
    const place = (n: IRNode) => {
      out.push(n);
      for (const v of nodeResults(n)) available.add(v.id);
    };
    for (const n of g.nodes) {
      const node = fusedAt.get(n) ?? (members.has(n) ? undefined : rename(n));
      if (!node) continue;
      if (!ready(node)) {
        waiting.push(node);
        continue;
      }
      place(node);
      // Placing it may let waiting nodes run, in their order.
      for (let i = 0; i < waiting.length;) {
        if (ready(waiting[i])) {
          place(waiting.splice(i, 1)[0]);
          i = 0;
        } else i++;
      }
    }
    if (waiting.length) return { graph: g, changes: [] }; // cannot happen for convex groups; leave the graph as it was
    const outputs = g.outputs.map((o) => (o.value && map.has(o.value.id) ? { ...o, value: map.get(o.value.id)! } : o));
    return { graph: { ...g, nodes: out, outputs }, changes };
  },
};
