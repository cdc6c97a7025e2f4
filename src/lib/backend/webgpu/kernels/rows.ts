/**
 * The "rows" layout shared by reductions, cumsum and softmax: the input is seen as rows over the
 * kept axes and, within a row, the reduced axes (moved last). Parameter slots:
 * 0 rows, 1 row length, 2…10 kept dims, 11…19 reduced dims, 20/30 input views (kept/reduced),
 * 40/50 output views (kept/reduced, for ops whose output keeps the input's shape).
 */
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import type { StridedView } from "../../backend";
import { coalesce, isRowMajor } from "../layout";
import { ParamWriter } from "../params";

/**
 * Rows and row length of `x` reduced over `axes`, with the parameter block, and whether the input
 * (and output) walk each row contiguously: kernels then index a row element as `j` rather than
 * `stridedOffset(…, j)` (see `rowIndex`), which SwiftShader runs several times faster.
 */
export function rowParams(op: string, x: StridedView, axes: readonly number[], withOutput: boolean): { rows: number; len: number; params: Int32Array; rowContiguous: { input: boolean; output: boolean } } {
  const rank = x.shape.length;
  const kept = [...Array(rank).keys()].filter((d) => !axes.includes(d));
  const outStrides = contiguousStrides(x.shape);
  const pick = (ds: number[], s: readonly number[]) => ds.map((d) => s[d]);
  const k = coalesce(pick(kept, x.shape), [pick(kept, x.strides), pick(kept, outStrides)]);
  const r = coalesce(pick([...axes], x.shape), [pick([...axes], x.strides), pick([...axes], outStrides)]);
  const rows = shapeSize(pick(kept, x.shape));
  const len = shapeSize(pick([...axes], x.shape));
  const p = new ParamWriter(op).int(rows).int(len).dims(k.shape).dims(r.shape);
  p.seek(20).view(x.offset, k.strides[0], false);
  const rowContiguous = { input: isRowMajor(r.shape, r.strides[0]), output: withOutput && isRowMajor(r.shape, r.strides[1]) };
  p.seek(30).view(0, r.strides[0], rowContiguous.input);
  if (withOutput) {
    p.seek(40).view(0, k.strides[1], false);
    p.seek(50).view(0, r.strides[1], rowContiguous.output);
  }
  return { rows, len, params: p.data, rowContiguous };
}

/**
 * WGSL for the offset of element `j` within a row, through the reduced-dims view at `viewSlot`
 * (30 input, 50 output): `j` itself when the row is contiguous. Part of the shader key.
 */
export function rowIndex(contiguous: boolean, viewSlot: 30 | 50): string {
  return contiguous ? "i32(j)" : `stridedOffset(11u, ${viewSlot}u, j)`;
}
