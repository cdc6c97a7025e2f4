/** CPU kernels for gather / scatterAdd along one axis, with index bounds checked (eager and jit alike). */
import { IndexError } from "../../../errors";
import { allocArray } from "../../../tensor/dtype";
import { contiguousStrides, fmtShape, shapeSize } from "../../../tensor/shape";
import { gather as gatherView } from "../storage";
import { arrayOf, offsetsOf, type CpuKernel } from "./util";
import type { PartialOpTable } from "../../../ops/names";

/** An index value in 0 … size − 1; negative ones are refused too, as in PyTorch's gather. */
function checkIndex(op: string, v: number, size: number, shape: readonly number[], axis: number): number {
  if (v < 0 || v >= size)
    throw new IndexError(
      op,
      `index ${v} is out of range for dimension ${axis} of size ${size} (valid: ${size === 0 ? "none" : `0 … ${size - 1}`}; input shape ${fmtShape(shape)})`,
    );
  return v;
}

export const INDEXING_KERNELS = {
  gather: ([x, idx], attrs, out) => {
    const axis = attrs.axis as number;
    const n = shapeSize(out.shape);
    const o = allocArray(out.dtype, n);
    const src = arrayOf(x),
      ia = arrayOf(idx);
    // Offsets of x at the index's positions with the axis contribution left out, then add it.
    const base = offsetsOf({ ...x, shape: idx.shape, strides: x.strides.map((s, d) => (d === axis ? 0 : s)) });
    const io = offsetsOf(idx);
    const size = x.shape[axis],
      st = x.strides[axis];
    for (let i = 0; i < n; i++) o[i] = src[base[i] + checkIndex("gather", ia[io[i]], size, x.shape, axis) * st];
    return o;
  },
  scatterAdd: ([x, idx, s], attrs, out) => {
    const axis = attrs.axis as number;
    const o = gatherView(x, out.dtype);
    const os = contiguousStrides(out.shape);
    const ia = arrayOf(idx),
      sa = arrayOf(s);
    const base = offsetsOf({ ...idx, strides: os.map((v, d) => (d === axis ? 0 : v)), offset: 0 });
    const io = offsetsOf(idx);
    const so = offsetsOf({ ...s, shape: idx.shape });
    const size = out.shape[axis];
    for (let i = 0; i < io.length; i++) o[base[i] + checkIndex("scatterAdd", ia[io[i]], size, out.shape, axis) * os[axis]] += sa[so[i]];
    return o;
  },
} satisfies PartialOpTable<CpuKernel>;
