/** Helpers shared by the CPU kernels: strided offsets, permutations and element access. */
import type { StridedView } from "../../backend";
import type { TypedArray } from "../../../tensor/dtype";
import { contiguousStrides } from "../../../tensor/shape";
import { type CpuStorage, viewOffsets } from "../storage";

/** A CPU kernel: inputs (strided views) and attributes → the output's elements, row-major. */
export type CpuKernel = (
  inputs: readonly StridedView[],
  attrs: Record<string, unknown>,
  out: { shape: readonly number[]; dtype: import("../../../tensor/dtype").DType },
) => TypedArray;

/**
 * `float` for floating-point outputs, `int` for int32 ones. int32 products wrap as in C (and on
 * WebGPU): a float64 product past 2⁵³ has lost its low bits before the Int32Array store wraps it
 * (123456789 · 987654321 gave −67153024, not −67153019), so the int kernels use Math.imul.
 */
export function byDtype(float: CpuKernel, int: CpuKernel): CpuKernel {
  return (inputs, attrs, out) => (out.dtype === "int32" ? int : float)(inputs, attrs, out);
}

/** The typed array behind a view. */
export function arrayOf(v: StridedView): TypedArray {
  return (v.storage as CpuStorage).data;
}

/** Offsets of a view's elements in row-major order (materialized even when contiguous). */
export function offsetsOf(v: StridedView): Int32Array {
  const o = viewOffsets(v);
  if (o !== null) return o;
  const n = v.shape.reduce((a, b) => a * b, 1);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = v.offset + i;
  return out;
}

/** Offsets of a view whose axes are reordered by `perm` (the view is not copied). */
export function permutedOffsets(v: StridedView, perm: readonly number[]): Int32Array {
  return offsetsOf({ ...v, shape: perm.map((a) => v.shape[a]), strides: perm.map((a) => v.strides[a]) });
}

/** The permutation that moves `axes` to the end, keeping the others in order. */
export function axesLast(rank: number, axes: readonly number[]): number[] {
  return [...Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i)), ...axes];
}

/** Offsets into a contiguous output of `shape`, visited in the order given by `perm`. */
export function outOffsetsPermuted(shape: readonly number[], perm: readonly number[]): Int32Array {
  const strides = contiguousStrides(shape);
  return offsetsOf({ storage: null as never, shape: perm.map((a) => shape[a]), strides: perm.map((a) => strides[a]), offset: 0, dtype: "float32" });
}
