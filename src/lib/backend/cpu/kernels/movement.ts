/** CPU kernels for data movement: copies of views, pad (with interior padding) and concat. */
import { allocArray } from "../../../tensor/dtype";
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import { gather } from "../storage";
import { arrayOf, offsetsOf, type CpuKernel } from "./util";
import type { PartialOpTable } from "../../../ops/names";

const materialize: CpuKernel = ([x], _attrs, out) => gather(x, out.dtype);

/** Kernels by op name. A view op reaches its kernel only when no view is possible: then it copies. */
export const MOVEMENT_KERNELS = {
  reshape: materialize,
  permute: ([x], attrs) => gather({ ...x, shape: (attrs.axes as number[]).map((a) => x.shape[a]), strides: (attrs.axes as number[]).map((a) => x.strides[a]) }),
  expand: ([x], attrs) => {
    const shape = attrs.shape as number[];
    const pad = shape.length - x.shape.length;
    return gather({ ...x, shape, strides: shape.map((_, i) => (i < pad || x.shape[i - pad] === 1 ? 0 : x.strides[i - pad])) });
  },
  slice: ([x], attrs, out) => {
    const starts = attrs.starts as number[],
      steps = attrs.steps as number[];
    let offset = x.offset;
    const strides = x.strides.map((st, d) => {
      offset += starts[d] * st;
      return st * steps[d];
    });
    return shapeSize(out.shape) === 0 ? allocArray(out.dtype, 0) : gather({ ...x, shape: out.shape, strides, offset });
  },
  pad: ([x], attrs, out) => {
    const pads = attrs.pads as [number, number, number][];
    const o = allocArray(out.dtype, shapeSize(out.shape));
    const value = attrs.value as number;
    if (value !== 0) o.fill(value as never);
    const os = contiguousStrides(out.shape);
    // Input element idx lands at Σ (lo + idx·(interior+1))·outStride.
    const dst = offsetsOf({ ...x, strides: os.map((s, d) => s * (pads[d][2] + 1)), offset: pads.reduce((a, p, d) => a + p[0] * os[d], 0) });
    const srcOffs = offsetsOf(x);
    const src = arrayOf(x);
    for (let i = 0; i < dst.length; i++) o[dst[i]] = src[srcOffs[i]];
    return o;
  },
  concat: (inputs, attrs, out) => {
    const axis = attrs.axis as number;
    const o = allocArray(out.dtype, shapeSize(out.shape));
    const os = contiguousStrides(out.shape);
    let along = 0;
    for (const x of inputs) {
      const dst = offsetsOf({ ...x, strides: os, offset: along * os[axis] });
      const srcOffs = offsetsOf(x);
      const src = arrayOf(x);
      for (let i = 0; i < dst.length; i++) o[dst[i]] = src[srcOffs[i]];
      along += x.shape[axis];
    }
    return o;
  },
} satisfies PartialOpTable<CpuKernel>;
