/**
 * Fusion: chains of elementwise ops over one output shape become one `fused` node whose region
 * holds the chain (one kernel instead of one per op, and no intermediate buffers); a matmul
 * consumed by such a chain (of the product's shape) joins it as a `matmul-epilogue` node: bias,
 * activation, a relu mask's multiply … run on each product element before it is stored. A group
 * keeps one value used outside it, its output — except that a product also used after the chain
 * (a weight gradient that is both written to `.grad` and consumed by the optimizer's update) is
 * a second result of the fused node: the kernel stores both, and the update never reads the
 * gradient back from memory.
 */
import { getOp } from "../../ops/registry";
import { shapeEqual } from "../../tensor/shape";
import { newNodeId, newValue, sharedScope, type IRGraph, type IRInput, type IRNode, type IRValue } from "../ir";
import type { Pass } from "./pass";
import { allNoGrad, literalInputs, useCounts } from "./util";
import { ELEMENTWISE_CATEGORIES } from "../../../schema/op-category";

/**
 * An elementwise op a fused kernel can inline (not a view-like identity, not a region). A
 * `stopGradient` joins a chain: the kernel copies the value, and where autodiff must see the ops
 * the executor interprets the region node by node, the stop included.
 */
export function isElementwise(n: IRNode): boolean {
  return !n.regions && ELEMENTWISE_CATEGORIES.has(getOp(n.op).category) && n.op !== "identity";
}

/**
 * A fused region's inputs for the `external` values it reads (`params`: each one's value inside the
 * region), marking the literals (`literalInputs`): the kernel writes those into its code.
 */
export function regionInputs(external: readonly IRValue[], params: ReadonlyMap<number, IRValue>, literals: ReadonlyMap<number, number>): IRInput[] {
  return external.map((v, i) => {
    const literal = literals.get(v.id);
    return { value: params.get(v.id)!, source: { kind: "arg", index: i, path: `in${i}` }, name: `in${i}`, ...(literal !== undefined ? { literal } : {}) };
  });
}

/** A kernel's body: its region's nodes (a fused node) or itself, the value it yields, and its region inputs' outer values. */
function kernelBody(n: IRNode): { nodes: IRNode[]; result: IRValue; inputMap: Map<number, IRValue> } {
  if (n.op !== "fused") return { nodes: [n], result: n.output, inputMap: new Map() };
  const r = n.regions![0];
  return { nodes: r.nodes, result: r.outputs[0].value!, inputMap: new Map(r.inputs.map((inp, i) => [inp.value.id, n.inputs[i]])) };
}

/**
 * `kernels` (fused chains or lone ops, in graph order) as one region's nodes: their bodies in
 * order, each input read from the kernel before it that yields it, else from a region input for
 * the outer value (`external`, its value inside the region in `params`); `yields[i]` is kernel
 * i's value inside the region.
 */
export function flattenKernels(kernels: readonly IRNode[]): { nodes: IRNode[]; external: IRValue[]; params: Map<number, IRValue>; yields: IRValue[] } {
  const inner = new Map<number, IRValue>(); // an outer value a kernel yields → its value inside the region
  const external: IRValue[] = [];
  const params = new Map<number, IRValue>();
  const nodes: IRNode[] = [];
  const yields: IRValue[] = [];
  for (const k of kernels) {
    const b = kernelBody(k);
    for (const n of b.nodes) {
      const inputs = n.inputs.map((v) => {
        const outer = k.op === "fused" ? b.inputMap.get(v.id) : v;
        if (!outer) return v; // defined inside the kernel's region
        const made = inner.get(outer.id);
        if (made) return made;
        if (!params.has(outer.id)) {
          external.push(outer);
          params.set(outer.id, newValue(outer.shape, outer.dtype));
        }
        return params.get(outer.id)!;
      });
      nodes.push({ ...n, inputs });
    }
    inner.set(k.output.id, b.result);
    yields.push(b.result);
  }
  return { nodes, external, params, yields };
}

/**
 * The `fused` node running `region` over `inputs` (the outer values its region inputs stand for),
 * made of `nodes`: their shared scope and noGrad mark, the line and phase of the last. `results`
 * are its values when it has several (a multi-output kind always lists them).
 */
export function fusedNode(
  region: IRGraph,
  inputs: IRValue[],
  attrs: IRNode["attrs"],
  output: IRValue,
  results: IRValue[] | undefined,
  nodes: readonly IRNode[],
): IRNode {
  const last = nodes[nodes.length - 1];
  return {
    id: newNodeId(),
    op: "fused",
    inputs,
    attrs,
    output,
    ...(results ? { results } : {}),
    line: last.line,
    phase: last.phase,
    ...sharedScope(nodes),
    ...(allNoGrad(nodes) ? { noGrad: true } : {}),
    regions: [region],
  };
}

/**
 * Build the fused node for `group` (nodes in dependency order; the last one's output is the
 * group's). With `alsoYield` (a value of the group used after it) the node has two results: the
 * last node's output, then that value.
 */
function fuse(group: IRNode[], kind: "elementwise" | "matmul-epilogue", literals: ReadonlyMap<number, number>, alsoYield?: IRValue): IRNode {
  const inside = new Set(group.map((n) => n.output.id));
  const external: IRValue[] = [];
  const params = new Map<number, IRValue>();
  for (const n of group) {
    for (const v of n.inputs) {
      if (!inside.has(v.id) && !params.has(v.id)) {
        external.push(v);
        params.set(v.id, newValue(v.shape, v.dtype));
      }
    }
  }
  const body = group.map((n) => ({ ...n, inputs: n.inputs.map((v) => params.get(v.id) ?? v) }));
  const last = group[group.length - 1];
  const region: IRGraph = {
    name: group.map((n) => n.op).join("+"),
    inputs: regionInputs(external, params, literals),
    nodes: body,
    outputs: [
      { value: last.output, sink: { kind: "result", index: 0 }, name: "out" },
      ...(alsoYield ? [{ value: alsoYield, sink: { kind: "result", index: 1 } as const, name: "out1" }] : []),
    ],
  };
  const results = [newValue(last.output.shape, last.output.dtype), ...(alsoYield ? [newValue(alsoYield.shape, alsoYield.dtype)] : [])];
  return fusedNode(region, external, { kind, ops: group.map((n) => n.op) }, results[0], alsoYield ? results : undefined, group);
}

export const fusion: Pass = {
  name: "fusion",
  title: "Operator fusion",
  description: "Merges chains of elementwise ops (and a matmul with the chain that consumes it) into single kernels.",
  run(g: IRGraph) {
    const uses = useCounts(g);
    const literals = literalInputs(g);
    const consumers = new Map<number, IRNode[]>();
    for (const n of g.nodes) for (const v of n.inputs) consumers.set(v.id, [...(consumers.get(v.id) ?? []), n]);
    const outputIds = new Set(g.outputs.flatMap((o) => (o.value ? [o.value.id] : [])));
    const assigned = new Set<IRNode>();
    const replaceAt = new Map<IRNode, IRNode>(); // last node of a group → fused node
    const changes: string[] = [];

    /** The one consumer of n's output, when n's output is used once and not a graph output. */
    const soleConsumer = (n: IRNode): IRNode | undefined => {
      if (outputIds.has(n.output.id) || uses.get(n.output.id) !== 1) return undefined;
      return consumers.get(n.output.id)?.[0];
    };

    // Elementwise chains first (each node in one chain, grown through sole consumers of one shape).
    const groups: IRNode[][] = [];
    for (const start of g.nodes) {
      if (assigned.has(start) || !isElementwise(start)) continue;
      const group = [start];
      let cur = start;
      for (;;) {
        const next = soleConsumer(cur);
        if (!next || !isElementwise(next) || assigned.has(next) || !shapeEqual(next.output.shape, start.output.shape)) break;
        group.push(next);
        cur = next;
      }
      group.forEach((n) => assigned.add(n));
      groups.push(group);
    }
    // Then a matmul consumed by a chain of the product's shape becomes that chain's prologue:
    // the chain runs as the matmul's epilogue (bias, activation, a mask read at the same
    // [row, col], …), so the product never goes to memory on its own. A product also used
    // outside the chain (a graph output, or nodes after the chain's last) stays a result of the
    // fused node (`kept`).
    const producer = new Map<number, IRNode>(g.nodes.map((n) => [n.output.id, n]));
    const position = new Map<IRNode, number>(g.nodes.map((n, i) => [n, i]));
    const kept = new Map<IRNode[], IRValue>();
    for (const [k, group] of groups.entries()) {
      const last = group[group.length - 1];
      const members = new Set(group);
      // Every use of the product is in the chain, a graph output, or after the chain's last node.
      const joins = (p: IRNode) => (consumers.get(p.output.id) ?? []).every((c) => members.has(c) || position.get(c)! > position.get(last)!);
      const mm = group
        .flatMap((n) => n.inputs)
        .map((v) => producer.get(v.id))
        .find((p) => p && p.op === "matmul" && !assigned.has(p) && shapeEqual(p.output.shape, last.output.shape) && joins(p));
      if (!mm) continue;
      assigned.add(mm);
      groups[k] = [mm, ...group];
      if (outputIds.has(mm.output.id) || consumers.get(mm.output.id)!.some((c) => !members.has(c))) kept.set(groups[k], mm.output);
    }

    const alsoMap = new Map<number, IRValue>(); // a kept product → the fused node's second result
    for (const group of groups) {
      if (group.length < 2) {
        assigned.delete(group[0]);
        continue;
      }
      const kind = group[0].op === "matmul" ? "matmul-epilogue" : "elementwise";
      const fused = fuse(group, kind, literals, kept.get(group));
      replaceAt.set(group[group.length - 1], fused);
      if (fused.results) alsoMap.set(group[0].output.id, fused.results[1]);
      changes.push(
        `fused ${group.map((n) => n.op).join(" → ")} (nodes ${group.map((n) => n.id).join(", ")}) into one kernel${fused.results ? " that also stores the product (used after it)" : ""}`,
      );
    }

    if (replaceAt.size === 0) return { graph: g, changes };
    const map = new Map<number, IRValue>();
    const nodes: IRNode[] = [];
    for (const n of g.nodes) {
      const fused = replaceAt.get(n);
      if (fused) {
        map.set(n.output.id, fused.output);
        const kept = fused.results && fused.regions![0].outputs[1].value!;
        if (kept) map.set(kept.id, alsoMap.get(kept.id)!);
        nodes.push({ ...fused, inputs: fused.inputs.map((v) => map.get(v.id) ?? v) });
      } else if (!assigned.has(n)) {
        nodes.push(n.inputs.some((v) => map.has(v.id)) ? { ...n, inputs: n.inputs.map((v) => map.get(v.id) ?? v) } : n);
      }
    }
    const outputs = g.outputs.map((o) => (o.value && map.has(o.value.id) ? { ...o, value: map.get(o.value.id)! } : o));
    return { graph: { ...g, nodes, outputs }, changes };
  },
};
