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

/** Rows and row length of `x` reduced over `axes`, with the parameter block. */
export function rowParams(op: string, x: StridedView, axes: readonly number[], withOutput: boolean): { rows: number; len: number; params: Int32Array } {
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
  p.seek(30).view(0, r.strides[0], isRowMajor(r.shape, r.strides[0]));
  if (withOutput) {
    p.seek(40).view(0, k.strides[1], false);
    p.seek(50).view(0, r.strides[1], isRowMajor(r.shape, r.strides[1]));
  }
  return { rows, len, params: p.data };
}
