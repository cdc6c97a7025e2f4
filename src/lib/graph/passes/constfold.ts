/**
 * Constant folding: a pure node whose inputs are all constants (tensors created inside the traced
 * function, or earlier folds) is computed once at compile time and becomes a constant input.
 */
import { apply } from "../../ops/dispatch";
import { getOp } from "../../ops/registry";
import { noGrad } from "../../ops/gradmode";
import type { Tensor } from "../../tensor/tensor";
import { newValue, type IRGraph, type IRInput, type IRNode, type IRValue } from "../ir";
import type { Pass } from "./pass";
import { isPure, substitute } from "./util";

/** Folding stops at this size: a huge folded constant would cost more memory than it saves. */
const MAX_FOLDED_ELEMENTS = 1 << 16;

export const constantFolding: Pass = {
  name: "constfold",
  title: "Constant folding",
  description: "Computes nodes whose inputs are all constants once, at compile time.",
  run(g: IRGraph) {
    const constants = new Map<number, Tensor>();
    for (const i of g.inputs) if (i.constant && i.source.kind === "capture") constants.set(i.value.id, i.source.tensor);
    const inputs: IRInput[] = [...g.inputs];
    const nodes: IRNode[] = [];
    const map = new Map<number, IRValue>();
    const changes: string[] = [];
    for (const n of g.nodes) {
      const foldable =
        isPure(n) &&
        !n.regions &&
        n.inputs.length > 0 &&
        n.inputs.every((v) => constants.has(v.id)) &&
        n.output.shape.reduce((a, b) => a * b, 1) <= MAX_FOLDED_ELEMENTS;
      if (!foldable) {
        nodes.push(n);
        continue;
      }
      const t = noGrad(() =>
        apply(
          getOp(n.op),
          n.inputs.map((v) => constants.get(v.id)!),
          n.attrs,
        ),
      );
      const value = newValue(n.output.shape, n.output.dtype);
      inputs.push({ value, source: { kind: "capture", tensor: t }, name: `folded${n.id}`, constant: true });
      constants.set(value.id, t);
      constants.set(n.output.id, t);
      map.set(n.output.id, value);
      changes.push(`folded ${n.op} (node ${n.id}) into a constant`);
    }
    return { graph: substitute({ ...g, inputs, nodes }, map), changes };
  },
};
