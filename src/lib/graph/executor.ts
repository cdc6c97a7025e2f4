/**
 * Runs a graph on concrete tensors: binds inputs from their sources, applies each node's op
 * (through the eager interpreter, so the backend's kernels run), and returns the values of the
 * outputs. Random ops drawn from the global generator take a fresh counter offset on every run.
 * A fused node runs as one kernel on backends that have a `fused` kernel (WebGPU generates its
 * WGSL); elsewhere, or when autodiff or an outer trace must see its ops, its region is interpreted.
 */
import { WebgradError } from "../errors";
import { apply, evalTrace, topTrace } from "../ops/dispatch";
import { isGradEnabled } from "../autodiff/gradmode";
import { Tensor } from "../tensor/tensor";
import { getOp } from "../ops/registry";
import { takeGlobalRandom } from "../tensor/creation";
import { shapeSize } from "../tensor/shape";
import type { IRGraph, IRNode } from "./ir";
import { getControlOp } from "./control/registry";

/** Execute `g` with the call's argument tensors; returns each output's tensor (null for a cleared grad). */
export function executeGraph(g: IRGraph, args: readonly Tensor[]): (Tensor | null)[] {
  // Drop each value after its last use so its memory can be reused while the graph runs.
  const lastUse = new Map<number, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((v) => lastUse.set(v.id, i)));
  for (const o of g.outputs) if (o.value) lastUse.set(o.value.id, Infinity);
  const env = new Map<number, Tensor>();
  for (const inp of g.inputs) {
    const s = inp.source;
    let t: Tensor | null;
    if (s.kind === "arg") t = args[s.index];
    else if (s.kind === "capture") t = s.tensor;
    else t = s.owner._grad;
    if (!t) throw new WebgradError("jit", `input ${inp.name} of graph ${g.name} has no value (was it cleared since tracing?)`);
    env.set(inp.value.id, t);
  }
  g.nodes.forEach((n, i) => {
    const inputs = n.inputs.map((v) => env.get(v.id)!);
    let attrs = n.attrs;
    if (n.op === "random" && attrs.fromGlobal) attrs = { ...attrs, ...takeGlobalRandom(shapeSize(n.output.shape)) };
    const control = getControlOp(n.op);
    if (control) {
      // Control flow: the op decides how its regions run (eagerly here, or staged again when a
      // transform traces through this graph).
      const outs = control.bind(inputs, n.regions!, attrs);
      n.results!.forEach((v, k) => env.set(v.id, outs[k]));
    } else env.set(n.output.id, n.op === "fused" ? runFused(n, inputs) : apply(getOp(n.op), inputs, attrs));
    for (const v of n.inputs) if (lastUse.get(v.id) === i) env.delete(v.id);
  });
  return g.outputs.map((o) => (o.value === null ? null : env.get(o.value.id)!));
}

/**
 * A fused node: one kernel when every input is a concrete tensor on a backend with a `fused`
 * kernel and no tape needs to see the ops inside; otherwise the region op by op.
 */
function runFused(n: IRNode, inputs: readonly Tensor[]): Tensor {
  const concrete = topTrace(inputs) === evalTrace && !(isGradEnabled() && inputs.some((t) => t.requiresGrad));
  const backend = concrete && inputs.length > 0 ? inputs[0]._concrete("fused").storage.backend : null;
  if (backend?.supports("fused") && inputs.every((t) => t._concrete("fused").storage.backend === backend)) {
    const out = { shape: n.output.shape, dtype: n.output.dtype };
    const storage = backend.exec("fused", inputs.map((t) => t._concrete("fused")), { kind: n.attrs.kind, region: n.regions![0] }, out);
    return Tensor._fromStorage(storage, out.shape, out.dtype);
  }
  return executeGraph(n.regions![0], inputs)[0]!;
}
