/**
 * Strided-view arithmetic for the WebGPU kernels: merging dimensions that are contiguous in every
 * operand (so most views index as rank 1 or 2), and contiguity tests.
 */
import { contiguousStrides } from "../../tensor/shape";

/** An index space and, for each operand, its strides over that space. */
export interface Coalesced {
  shape: number[];
  strides: number[][];
}

/**
 * Drop size-1 dimensions and merge neighbours d, d+1 when every operand has
 * stride[d] = stride[d+1]·shape[d+1]: the element order is unchanged, the rank drops.
 */
export function coalesce(shape: readonly number[], stridesList: readonly (readonly number[])[]): Coalesced {
  const keep: number[] = [];
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) keep.push(d);
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (const d of keep) {
    const last = outShape.length - 1;
    const n = shape[d];
    if (last >= 0 && stridesList.every((s, i) => outStrides[i][last] === s[d] * n)) {
      outShape[last] *= n;
      stridesList.forEach((s, i) => (outStrides[i][last] = s[d]));
    } else {
      outShape.push(n);
      stridesList.forEach((s, i) => outStrides[i].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** True when `strides` walk `shape` in row-major order with no gaps (size-1 dims ignored). */
export function isRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  const c = contiguousStrides(shape);
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1 && strides[d] !== c[d]) return false;
  return true;
}

/**
 * How an elementwise kernel reads one operand over a coalesced index space, fixed in its shader:
 * "c" contiguous (element offset + i), "s" one element broadcast everywhere (every stride 0),
 * "2" a rank-2 index space (one division: a row or column broadcast, a transpose), "3" a rank-3
 * one (two: attention's [batch·heads, query, key] with a mask or a row statistic broadcast), "v"
 * any other view (the per-dimension loop of `stridedOffset`). The first four run several times
 * faster than the generic walk on a CPU adapter (docs/WEBGPU_TUNING.md).
 */
export type ViewKind = "c" | "s" | "2" | "3" | "v";

/** The access kind of an operand with `strides` over `shape` (see ViewKind). */
export function viewKind(shape: readonly number[], strides: readonly number[]): ViewKind {
  if (shape.every((n, d) => n === 1 || strides[d] === 0)) return "s";
  if (isRowMajor(shape, strides)) return "c";
  return shape.length === 2 ? "2" : shape.length === 3 ? "3" : "v";
}
