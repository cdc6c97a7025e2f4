/**
 * Horizontal fusion: independent small kernels that each read a few tensors and write one —
 * elementwise groups (after vertical fusion), single elementwise ops, short `sum` reductions —
 * run as one multi-output kernel (a `fused` node of kind "multi" with several `results`): the
 * parameter updates of an optimizer step, the bias-gradient column sums of a backward pass. The
 * kernel walks the concatenated index spaces of its members, so each member costs what it did,
 * minus a dispatch.
 *
 * Grouping is list scheduling in graph order: a member joins the open group when it does not
 * depend on one of the group's members and the group's storage bindings stay within what WebGPU
 * guarantees; nodes that depend on the group wait until it is emitted; a member that depends on
 * the group closes it and opens the next.
 */
import { shapeSize } from "../../tensor/shape";
import { newValue, type IRGraph, type IRNode, type IRValue } from "../ir";
import { flattenKernels, fusedNode, isElementwise, regionInputs } from "./fusion";
import { literalInputs } from "./util";
import type { Pass } from "./pass";

/** Storage buffers one kernel may bind (WebGPU guarantees 8 per stage): members' distinct inputs (literals bind none) + their outputs. */
const HORIZONTAL_MAX_BINDINGS = 8;
/** Members one kernel takes (each costs a few parameter-block slots). */
const HORIZONTAL_MAX_MEMBERS = 6;
/** Longest reduction a member may be: one thread loops over it per output element. */
const HORIZONTAL_MAX_REDUCE = 4096;

/** A node that can be one member of a horizontal group. */
function isMember(n: IRNode): boolean {
  if (n.results) return false;
  if (n.op === "fused") return n.attrs.kind === "elementwise";
  if (n.op === "sum") {
    const axes = (n.attrs.axes as number[] | undefined) ?? n.inputs[0].shape.map((_, i) => i);
    const reduced = axes.reduce((p, a) => p * n.inputs[0].shape[a < 0 ? a + n.inputs[0].shape.length : a], 1);
    return reduced <= HORIZONTAL_MAX_REDUCE && shapeSize(n.output.shape) > 0;
  }
  // A lone gradient stop is a view: as a member it would become a copy.
  return isElementwise(n) && n.op !== "stopGradient";
}

/** Build the multi-output fused node for `members` (independent, in graph order). */
function fuseHorizontal(members: IRNode[], literals: ReadonlyMap<number, number>): IRNode {
  const { nodes, external, params, yields } = flattenKernels(members);
  const results = members.map((m) => newValue(m.output.shape, m.output.dtype));
  const region: IRGraph = {
    name: members.map((m) => (m.op === "fused" ? (m.attrs.ops as string[]).join("+") : m.op)).join(" | "),
    inputs: regionInputs(external, params, literals),
    nodes,
    outputs: yields.map((v, i) => ({ value: v, sink: { kind: "result", index: i }, name: `out${i}` })),
  };
  return fusedNode(region, external, { kind: "multi", ops: nodes.map((n) => n.op), members: members.length }, results[0], results, nodes);
}

export const horizontalFusion: Pass = {
  name: "hfusion",
  title: "Horizontal fusion",
  description: "Runs independent small kernels (parameter updates, bias-gradient sums) as one multi-output kernel.",
  run(g: IRGraph) {
    // Captured tensors each output writes back into: a member that updates its input in place binds it once.
    const writes = new Map<number, unknown>();
    for (const o of g.outputs) if (o.value && o.sink.kind === "mutation") writes.set(o.value.id, o.sink.tensor);
    const captured = new Map<number, unknown>();
    for (const inp of g.inputs) if (inp.source.kind === "capture") captured.set(inp.value.id, inp.source.tensor);

    const literals = literalInputs(g);

    const out: IRNode[] = [];
    const changes: string[] = [];
    const map = new Map<number, IRValue>(); // a member's old value → the multi node's result
    let group: IRNode[] = [];
    let deferred: IRNode[] = [];
    let waiting = new Set<number>(); // values not emitted yet: the group's and the deferred nodes'
    const bindingsOf = (members: IRNode[]) => {
      const ins = new Set<number>();
      for (const m of members) {
        const target = writes.get(m.output.id);
        for (const v of m.inputs) if (!(target !== undefined && captured.get(v.id) === target) && !literals.has(v.id)) ins.add(v.id);
      }
      return ins.size + members.length;
    };
    const rename = (n: IRNode): IRNode => (n.inputs.some((v) => map.has(v.id)) ? { ...n, inputs: n.inputs.map((v) => map.get(v.id) ?? v) } : n);
    const close = () => {
      if (group.length === 1) out.push(rename(group[0]));
      else if (group.length > 1) {
        const fused = fuseHorizontal(group.map(rename), literals);
        group.forEach((m, i) => map.set(m.output.id, fused.results![i]));
        out.push(fused);
        changes.push(
          `ran ${group.map((m) => (m.op === "fused" ? `fused[${(m.attrs.ops as string[]).join("+")}]` : m.op)).join(", ")} (nodes ${group.map((m) => m.id).join(", ")}) as one multi-output kernel`,
        );
      }
      for (const d of deferred) out.push(rename(d));
      group = [];
      deferred = [];
      waiting = new Set();
    };
    for (const n of g.nodes) {
      const dependent = n.inputs.some((v) => waiting.has(v.id));
      if (isMember(n)) {
        if (dependent || group.length >= HORIZONTAL_MAX_MEMBERS || bindingsOf([...group, n]) > HORIZONTAL_MAX_BINDINGS) close();
        group.push(n);
        waiting.add(n.output.id);
      } else if (dependent) {
        deferred.push(n);
        for (const v of n.results ?? [n.output]) waiting.add(v.id);
      } else out.push(rename(n));
    }
    close();
    if (changes.length === 0) return { graph: g, changes };
    const outputs = g.outputs.map((o) => (o.value && map.has(o.value.id) ? { ...o, value: map.get(o.value.id)! } : o));
    return { graph: { ...g, nodes: out, outputs }, changes };
  },
};
