/**
 * Which arguments of a region a gradient reaches: eager mode runs the region's ops on the tape, and
 * its backward reaches an argument only along ops that carry a gradient (float results, not
 * `stopGradient`, not recorded inside `noGrad`). The answer may include an argument the backward
 * never really reaches (a nested control op counts as reaching all its operands), never the reverse:
 * a traced backward relies on it to know when a cotangent is real.
 */
import { isFloat } from "../../tensor/dtype";
import type { IRGraph } from "../ir";

/** The ids of the region's values that a gradient of `outputs` (result indices; all by default) flows back into. */
export function valuesReached(region: IRGraph, outputs: readonly number[] = region.outputs.map((_, k) => k)): Set<number> {
  const live = new Set<number>();
  for (const i of outputs) {
    const v = region.outputs[i]?.value;
    if (v && isFloat(v.dtype)) live.add(v.id);
  }
  for (let j = region.nodes.length - 1; j >= 0; j--) {
    const n = region.nodes[j];
    if (n.noGrad || n.op === "stopGradient") continue;
    if (!(n.results ?? [n.output]).some((o) => live.has(o.id))) continue;
    for (const v of n.inputs) if (isFloat(v.dtype)) live.add(v.id);
  }
  return live;
}

/** The indices of the region's arguments that a gradient of `outputs` (result indices) flows back into. */
export function argsReached(region: IRGraph, outputs: readonly number[]): Set<number> {
  const live = valuesReached(region, outputs);
  const args = new Set<number>();
  for (const i of region.inputs) if (i.source.kind === "arg" && live.has(i.value.id)) args.add(i.source.index);
  return args;
}

/**
 * The indices of the region's results that eager mode would put on the tape, given which arguments
 * carry a gradient: those computed from such an argument through ops that carry one. May include a
 * result eager would not tape, never the reverse.
 */
export function resultsTaped(region: IRGraph, argTaped: (index: number) => boolean): Set<number> {
  const taped = new Set<number>();
  for (const i of region.inputs) if (i.source.kind === "arg" && argTaped(i.source.index) && isFloat(i.value.dtype)) taped.add(i.value.id);
  for (const n of region.nodes) {
    if (n.noGrad || n.op === "stopGradient" || !n.inputs.some((v) => taped.has(v.id))) continue;
    for (const o of n.results ?? [n.output]) if (isFloat(o.dtype)) taped.add(o.id);
  }
  const results = new Set<number>();
  region.outputs.forEach((o, k) => o.value && taped.has(o.value.id) && results.add(k));
  return results;
}
