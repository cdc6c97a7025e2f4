/** Helpers shared by passes: use counts, value substitution, and graph statistics. */
import { ITEM_SIZE } from "../../tensor/dtype";
import { shapeSize } from "../../tensor/shape";
import { getOp } from "../../ops/registry";
import type { IRGraph, IRNode, IRValue } from "../ir";
import { codeLiteral } from "../../backend/webgpu/kernels/fused-node";

/** How many times each value id is used (by nodes and outputs). */
export function useCounts(g: IRGraph): Map<number, number> {
  const uses = new Map<number, number>();
  const use = (v: IRValue | null) => v && uses.set(v.id, (uses.get(v.id) ?? 0) + 1);
  for (const n of g.nodes) n.inputs.forEach(use);
  for (const o of g.outputs) use(o.value);
  return uses;
}

/** Replace uses of values by others (`map`: old id → new value), in nodes and outputs. */
export function substitute(g: IRGraph, map: Map<number, IRValue>): IRGraph {
  if (map.size === 0) return g;
  const resolve = (v: IRValue): IRValue => {
    let r = v;
    while (map.has(r.id)) r = map.get(r.id)!;
    return r;
  };
  return {
    ...g,
    nodes: g.nodes.map((n) => (n.inputs.some((v) => map.has(v.id)) ? { ...n, inputs: n.inputs.map(resolve) } : n)),
    outputs: g.outputs.map((o) => (o.value && map.has(o.value.id) ? { ...o, value: resolve(o.value) } : o)),
  };
}

/**
 * The graph's 0-d constants made from a JS number while tracing, by value id, with their values
 * (known on the host; no call can change them: each eager call makes them afresh).
 */
export function hostScalarInputs(g: IRGraph): Map<number, number> {
  const out = new Map<number, number>();
  for (const i of g.inputs) {
    const t = i.source.kind === "capture" ? i.source.tensor : undefined;
    if (i.constant && t?._hostScalar !== undefined && i.value.shape.length === 0) out.set(i.value.id, t._hostScalar);
  }
  return out;
}

/**
 * The host scalars (`hostScalarInputs`) a kernel writes into its code, float32 and int32 ones:
 * fusion passes mark them on the regions they build (`IRInput.literal`). Not ±∞, NaN, 0 or a
 * subnormal float (`codeLiteral` says why).
 */
export function literalInputs(g: IRGraph): Map<number, number> {
  const scalars = hostScalarInputs(g);
  return new Map(
    g.inputs.flatMap((i) => {
      const v = scalars.get(i.value.id);
      return v !== undefined && codeLiteral(v, i.value.dtype) ? [[i.value.id, v] as const] : [];
    }),
  );
}

/** Bytes of a value. */
export function valueBytes(v: IRValue): number {
  return shapeSize(v.shape) * ITEM_SIZE[v.dtype];
}

/** Aliases of their input that only autodiff tells apart (the eager interpreter makes them views). */
const ALIASES = new Set(["identity", "stopGradient"]);

/** Ops that never launch a kernel when their input allows a view (reshape, permute, expand, a gradient stop …). */
export function isViewOp(n: IRNode): boolean {
  if (n.regions) return false;
  const op = getOp(n.op);
  return op.view !== undefined && (op.category === "movement" || ALIASES.has(n.op));
}

/** Whether every node of `nodes` was traced inside noGrad (a node built of them inherits the mark). */
export function allNoGrad(nodes: readonly IRNode[]): boolean {
  return nodes.length > 0 && nodes.every((n) => n.noGrad === true);
}

/**
 * Pure ops may be removed, merged or folded; `random` draws from the generator and may not, nor
 * may a node whose regions (control flow, fused kernels) hold a random draw.
 */
export function isPure(n: IRNode): boolean {
  return n.op !== "random" && (n.regions ?? []).every((r) => r.nodes.every(isPure));
}

/** Kernel launches a graph needs: one per non-view node (a fused node is one kernel). */
export function kernelCount(g: IRGraph): number {
  return g.nodes.filter((n) => !isViewOp(n)).length;
}
