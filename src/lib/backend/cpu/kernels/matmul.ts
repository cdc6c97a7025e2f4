/** CPU matmul: pack each batch's matrices contiguously, then an i-k-j loop with a float64 row accumulator. */
import { allocArray } from "../../../tensor/dtype";
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import { broadcastView } from "../../../ops/dispatch";
import { arrayOf, type CpuKernel } from "./util";
import type { StridedView } from "../../backend";

function packMatrix(v: StridedView, batchOffset: number, rows: number, cols: number, into: Float64Array): void {
  const src = arrayOf(v);
  const rs = v.strides[v.strides.length - 2], cs = v.strides[v.strides.length - 1];
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const base = batchOffset + i * rs;
    for (let j = 0; j < cols; j++) into[k++] = src[base + j * cs];
  }
}

export const matmul: CpuKernel = ([a, b], _attrs, out) => {
  const rank = out.shape.length;
  const m = out.shape[rank - 2], n = out.shape[rank - 1];
  const k = a.shape[a.shape.length - 1];
  const batchShape = out.shape.slice(0, -2);
  const nb = shapeSize(batchShape);
  const av = broadcastView(a, [...batchShape, m, k]);
  const bv = broadcastView(b, [...batchShape, k, n]);
  const o = allocArray(out.dtype, nb * m * n);
  const A = new Float64Array(m * k), B = new Float64Array(k * n), row = new Float64Array(n);
  const bStrides = contiguousStrides(batchShape);
  for (let bi = 0; bi < nb; bi++) {
    let offA = av.offset, offB = bv.offset;
    for (let d = 0; d < batchShape.length; d++) {
      const idx = Math.floor(bi / bStrides[d]) % batchShape[d];
      offA += idx * av.strides[d];
      offB += idx * bv.strides[d];
    }
    packMatrix(av, offA, m, k, A);
    packMatrix(bv, offB, k, n, B);
    const base = bi * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = A[i * k + p];
        const bo = p * n;
        for (let j = 0; j < n; j++) row[j] += aip * B[bo + j];
      }
      for (let j = 0; j < n; j++) o[base + i * n + j] = row[j];
    }
  }
  return o;
};
