/**
 * Fusion: chains of elementwise ops over one output shape become one `fused` node whose region
 * holds the chain (one kernel instead of one per op, and no intermediate buffers); a matmul
 * followed by a bias add and an activation becomes one `fused` node with a matmul epilogue.
 * A group keeps exactly one value that is used outside it: its output.
 */
import { getOp } from "../../ops/registry";
import { shapeEqual } from "../../tensor/shape";
import { newNodeId, newValue, type IRGraph, type IRNode, type IRValue } from "../ir";
import type { Pass } from "./pass";
import { useCounts } from "./util";

const ELEMENTWISE = new Set(["unary", "binary", "ternary", "cast"]);
const EPILOGUE_ACTIVATIONS = new Set(["relu", "gelu", "gelu_tanh", "silu", "sigmoid", "tanh"]);

function isElementwise(n: IRNode): boolean {
  return !n.regions && ELEMENTWISE.has(getOp(n.op).category) && n.op !== "identity" && n.op !== "stopGradient";
}

/** Build the fused node for `group` (nodes in graph order; the last one's output is the group's). */
function fuse(group: IRNode[], kind: "elementwise" | "matmul-epilogue"): IRNode {
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
    inputs: external.map((v, i) => ({ value: params.get(v.id)!, source: { kind: "arg", index: i, path: `in${i}` }, name: `in${i}` })),
    nodes: body,
    outputs: [{ value: last.output, sink: { kind: "result", index: 0 }, name: "out" }],
  };
  return {
    id: newNodeId(),
    op: "fused",
    inputs: external,
    attrs: { kind, ops: group.map((n) => n.op) },
    output: newValue(last.output.shape, last.output.dtype),
    line: last.line,
    phase: last.phase,
    regions: [region],
  };
}

export const fusion: Pass = {
  name: "fusion",
  title: "Operator fusion",
  description: "Merges chains of elementwise ops (and a matmul's bias + activation) into single kernels.",
  run(g: IRGraph) {
    const uses = useCounts(g);
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

    for (const start of g.nodes) {
      if (assigned.has(start)) continue;
      let group: IRNode[] = [];
      let kind: "elementwise" | "matmul-epilogue" = "elementwise";
      if (start.op === "matmul") {
        // matmul → add(bias) → activation
        group = [start];
        let cur = start;
        const add = soleConsumer(cur);
        // A node an earlier elementwise chain already took stays there (one group per node).
        if (add && add.op === "add" && !assigned.has(add) && shapeEqual(add.output.shape, cur.output.shape)) {
          group.push(add);
          cur = add;
        }
        const act = soleConsumer(cur);
        if (act && EPILOGUE_ACTIVATIONS.has(act.op) && !assigned.has(act)) group.push(act);
        kind = "matmul-epilogue";
        if (group.length === 1) continue;
      } else if (isElementwise(start)) {
        group = [start];
        let cur = start;
        for (;;) {
          const next = soleConsumer(cur);
          if (!next || !isElementwise(next) || assigned.has(next) || !shapeEqual(next.output.shape, start.output.shape)) break;
          group.push(next);
          cur = next;
        }
        if (group.length < 2) continue;
      } else continue;
      group.forEach((n) => assigned.add(n));
      const fused = fuse(group, kind);
      replaceAt.set(group[group.length - 1], fused);
      changes.push(`fused ${group.map((n) => n.op).join(" → ")} (nodes ${group.map((n) => n.id).join(", ")}) into one kernel`);
    }

    if (replaceAt.size === 0) return { graph: g, changes };
    const map = new Map<number, IRValue>();
    const nodes: IRNode[] = [];
    for (const n of g.nodes) {
      const fused = replaceAt.get(n);
      if (fused) {
        map.set(n.output.id, fused.output);
        nodes.push({ ...fused, inputs: fused.inputs.map((v) => map.get(v.id) ?? v) });
      } else if (!assigned.has(n)) {
        nodes.push(n.inputs.some((v) => map.has(v.id)) ? { ...n, inputs: n.inputs.map((v) => map.get(v.id) ?? v) } : n);
      }
    }
    const outputs = g.outputs.map((o) => (o.value && map.has(o.value.id) ? { ...o, value: map.get(o.value.id)! } : o));
    return { graph: { ...g, nodes, outputs }, changes };
  },
};
