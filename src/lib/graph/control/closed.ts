/**
 * A region as a function of its inputs, differentiated: the building block of the forward- and
 * reverse-mode rules of control flow (the branch or body of the rewritten op runs these).
 */
import { jvp, vjp } from "../../autodiff/transforms";
import { zerosLike } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { executeGraph } from "../executor";
import type { IRGraph } from "../ir";

/** Run a region on values (through `apply`, so any active interpreter sees its ops). */
export function runRegion(region: IRGraph, inputs: readonly Tensor[]): Tensor[] {
  return executeGraph(region, inputs) as Tensor[];
}

/**
 * Forward mode through a region: the outputs, and the tangents of the outputs listed in
 * `outIdx`, for tangents `ts` of the inputs listed in `diffIdx` (other inputs held fixed).
 */
export function jvpRegion(
  region: IRGraph,
  inputs: readonly Tensor[],
  diffIdx: readonly number[],
  ts: readonly Tensor[],
  outIdx: readonly number[],
): [Tensor[], Tensor[]] {
  if (diffIdx.length === 0) {
    const outs = runRegion(region, inputs);
    return [outs, outIdx.map((i) => zerosLike(outs[i]))];
  }
  const f = (...dx: Tensor[]) => {
    const all = inputs.slice();
    diffIdx.forEach((k, j) => (all[k] = dx[j]));
    return runRegion(region, all);
  };
  const [outs, touts] = jvp(
    f,
    diffIdx.map((k) => inputs[k]),
    ts as Tensor[],
  );
  return [outs as Tensor[], outIdx.map((i) => (touts as Tensor[])[i])];
}

/**
 * Reverse mode through a region: the cotangents of the inputs listed in `diffIdx`, given
 * cotangents `cts` of the outputs listed in `outIdx` (a vector-Jacobian product).
 */
export function vjpRegion(region: IRGraph, inputs: readonly Tensor[], diffIdx: readonly number[], outIdx: readonly number[], cts: readonly Tensor[]): Tensor[] {
  if (diffIdx.length === 0) return [];
  if (outIdx.length === 0) return diffIdx.map((k) => zerosLike(inputs[k]));
  const f = (...dx: Tensor[]) => {
    const all = inputs.slice();
    diffIdx.forEach((k, j) => (all[k] = dx[j]));
    const outs = runRegion(region, all);
    return outIdx.map((i) => outs[i]);
  };
  const [, pull] = vjp(f, ...diffIdx.map((k) => inputs[k]));
  return pull([...cts]) as Tensor[];
}
