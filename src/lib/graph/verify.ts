/** The IR verifier: SSA (defined once, before use), and every node's shape/dtype agrees with its op's rule. */
import { WebgradError } from "../errors";
import { getOp } from "../ops/registry";
import { fmtShape, shapeEqual } from "../tensor/shape";
import { nodeResults, type IRGraph } from "./ir";
import { getControlOp } from "./control/registry";

/** Throw a WebgradError describing the first inconsistency in `g`. */
export function verifyGraph(g: IRGraph): void {
  const defined = new Set<number>();
  const define = (id: number, where: string) => {
    if (defined.has(id)) throw new WebgradError("verify", `value %${id} is defined twice (${where})`);
    defined.add(id);
  };
  for (const i of g.inputs) define(i.value.id, `input ${i.name}`);
  for (const n of g.nodes) {
    for (const v of n.inputs) if (!defined.has(v.id)) throw new WebgradError("verify", `node %${n.output.id} = ${n.op} uses %${v.id} before it is defined`);
    if (n.regions) {
      // A fused or control-flow node: its regions are graphs of their own; a control-flow op also
      // checks that its regions' inputs and outputs fit its operands and results.
      n.regions.forEach(verifyGraph);
      getControlOp(n.op)?.verify(n);
      for (const v of nodeResults(n)) define(v.id, `node ${n.op}`);
      continue;
    }
    const out = getOp(n.op).infer(n.inputs, n.attrs);
    if (!shapeEqual(out.shape, n.output.shape) || out.dtype !== n.output.dtype) {
      throw new WebgradError(
        "verify",
        `node %${n.output.id} = ${n.op} claims ${n.output.dtype}${fmtShape(n.output.shape)} but its rule gives ${out.dtype}${fmtShape(out.shape)}`,
      );
    }
    define(n.output.id, `node ${n.op}`);
  }
  for (const o of g.outputs)
    if (o.value !== null && !defined.has(o.value.id)) throw new WebgradError("verify", `output ${o.name} refers to undefined %${o.value.id}`);
}
