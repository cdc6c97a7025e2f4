/**
 * CPU matmul. Each batch's A is packed row-major and B column-major (transposed) into float64
 * buffers, then 2×2 blocks of dot products run with four accumulators: each loaded value is used
 * twice, and both operands stream contiguously (≈ 6× an i-k-j loop in V8).
 */
import { allocArray } from "../../../tensor/dtype";
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import { broadcastView } from "../../../tensor/shape";
import { arrayOf, type CpuKernel } from "./util";
import type { StridedView } from "../../backend";

/** Copy a rows×cols matrix of `v` at `offset` into `into`, row-major, or column-major when `transpose`. */
function pack(v: StridedView, offset: number, rows: number, cols: number, into: Float64Array, transpose: boolean): void {
  const src = arrayOf(v);
  const rs = v.strides[v.strides.length - 2],
    cs = v.strides[v.strides.length - 1];
  for (let i = 0; i < rows; i++) {
    const base = offset + i * rs;
    if (transpose) for (let j = 0; j < cols; j++) into[j * rows + i] = src[base + j * cs];
    else for (let j = 0, k = i * cols; j < cols; j++) into[k + j] = src[base + j * cs];
  }
}

/** C[m×n] = A[m×k] · Bᵀ[n×k]ᵀ, written at `base` of `o`. */
function dotBlocks(A: Float64Array, BT: Float64Array, m: number, n: number, k: number, o: { [i: number]: number }, base: number): void {
  for (let i = 0; i < m; i += 2) {
    const a0 = i * k,
      a1 = (i + 1 < m ? i + 1 : i) * k;
    for (let j = 0; j < n; j += 2) {
      const b0 = j * k,
        b1 = (j + 1 < n ? j + 1 : j) * k;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p],
          x1 = A[a1 + p],
          y0 = BT[b0 + p],
          y1 = BT[b1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      const r0 = base + i * n + j;
      o[r0] = s00;
      if (j + 1 < n) o[r0 + 1] = s01;
      if (i + 1 < m) {
        o[r0 + n] = s10;
        if (j + 1 < n) o[r0 + n + 1] = s11;
      }
    }
  }
}

/**
 * dotBlocks for int32: products and sums wrap as in C (and on WebGPU). Float64 would be exact only
 * while every product stays under 2⁵³.
 */
function dotInt32(A: Float64Array, BT: Float64Array, m: number, n: number, k: number, o: { [i: number]: number }, base: number): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s = (s + Math.imul(A[i * k + p], BT[j * k + p])) | 0;
      o[base + i * n + j] = s;
    }
}

export const matmul: CpuKernel = ([a, b], _attrs, out) => {
  const rank = out.shape.length;
  const m = out.shape[rank - 2],
    n = out.shape[rank - 1];
  const k = a.shape[a.shape.length - 1];
  const batchShape = out.shape.slice(0, -2);
  const nb = shapeSize(batchShape);
  const av = broadcastView(a, [...batchShape, m, k]);
  const bv = broadcastView(b, [...batchShape, k, n]);
  const o = allocArray(out.dtype, nb * m * n);
  const A = new Float64Array(m * k),
    BT = new Float64Array(k * n);
  const bStrides = contiguousStrides(batchShape);
  for (let bi = 0; bi < nb; bi++) {
    let offA = av.offset,
      offB = bv.offset;
    for (let d = 0; d < batchShape.length; d++) {
      const idx = Math.floor(bi / bStrides[d]) % batchShape[d];
      offA += idx * av.strides[d];
      offB += idx * bv.strides[d];
    }
    pack(av, offA, m, k, A, false);
    pack(bv, offB, k, n, BT, true);
    if (out.dtype === "int32") dotInt32(A, BT, m, n, k, o, bi * m * n);
    else dotBlocks(A, BT, m, n, k, o, bi * m * n);
  }
  return o;
};
