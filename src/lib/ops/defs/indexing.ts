/** Indexing primitives: gather and its transpose scatterAdd (PyTorch semantics along one axis). */
import { DTypeError, ShapeError } from "../../errors";
import { fmtShape } from "../../tensor/shape";
import { defineOpWithAttrs } from "../registry";
import { F } from "../../tensor/installed-ops";
import { bytesOf } from "./common";
import type { Tensor } from "../../tensor/tensor";

function zerosOf(shape: readonly number[], like: Tensor): Tensor {
  return F.broadcastTo(F.scalarTensor(0, like.dtype, like), shape as number[]);
}

export const Gather = defineOpWithAttrs<{ axis: number }>()({
  name: "gather",
  category: "index",
  dtypes: "any",
  infer(inputs, attrs) {
    const [x, idx] = inputs;
    if (idx.dtype !== "int32") throw new DTypeError("gather", `index must be int32, got ${idx.dtype}`);
    if (idx.shape.length !== x.shape.length)
      throw new ShapeError("gather", `index must have the rank of the input: ${fmtShape(idx.shape)} vs ${fmtShape(x.shape)}`);
    for (let d = 0; d < x.shape.length; d++) {
      if (d !== attrs.axis && idx.shape[d] > x.shape[d])
        throw new ShapeError("gather", `index shape ${fmtShape(idx.shape)} is larger than input ${fmtShape(x.shape)} in dimension ${d}`);
    }
    return { shape: idx.shape, dtype: x.dtype };
  },
  save: { inputs: [1] },
  vjp: (g, ctx) => [F.scatterAdd(F.contiguous(zerosOf(ctx.inputAvals[0].shape, g)), ctx.attrs.axis, ctx.inputs[1]!, g), null],
  jvp: (ts, ctx) => (ts[0] === null ? null : F.gather(ts[0], ctx.attrs.axis, ctx.inputs[1])),
  cost: (inputs, out) => ({ flops: 0, bytes: bytesOf(inputs[1]) + 2 * bytesOf(out) }),
});

export const ScatterAdd = defineOpWithAttrs<{ axis: number }>()({
  name: "scatterAdd",
  category: "index",
  dtypes: "any",
  infer(inputs, attrs) {
    const [x, idx, src] = inputs;
    if (idx.dtype !== "int32") throw new DTypeError("scatterAdd", `index must be int32, got ${idx.dtype}`);
    if (src.dtype !== x.dtype) throw new DTypeError("scatterAdd", `src dtype ${src.dtype} differs from input dtype ${x.dtype}`);
    if (idx.shape.length !== x.shape.length || src.shape.length !== x.shape.length) {
      throw new ShapeError("scatterAdd", `input, index and src must have one rank: ${fmtShape(x.shape)}, ${fmtShape(idx.shape)}, ${fmtShape(src.shape)}`);
    }
    for (let d = 0; d < x.shape.length; d++) {
      if (idx.shape[d] > src.shape[d] || (d !== attrs.axis && idx.shape[d] > x.shape[d])) {
        throw new ShapeError("scatterAdd", `index shape ${fmtShape(idx.shape)} does not fit input ${fmtShape(x.shape)} and src ${fmtShape(src.shape)}`);
      }
    }
    return { shape: x.shape, dtype: x.dtype };
  },
  save: { inputs: [1] },
  vjp: (g, ctx) => {
    const idx = ctx.inputs[1]!;
    const gs = F.gather(g, ctx.attrs.axis, idx);
    const srcShape = ctx.inputAvals[2].shape;
    // src may be larger than index: positions outside index get no gradient.
    const gsrc = idx.shape.every((d, i) => d === srcShape[i])
      ? gs
      : F.pad(
          gs,
          srcShape.map((n, i) => [0, n - idx.shape[i]] as [number, number]),
        );
    return [g, null, gsrc];
  },
  jvp: (ts, ctx) => {
    if (ts[0] === null && ts[2] === null) return null;
    const base = ts[0] ?? F.contiguous(zerosOf(ctx.inputs[0].shape, ctx.inputs[0]));
    const src = ts[2] ?? F.contiguous(zerosOf(ctx.inputs[2].shape, ctx.inputs[2]));
    return F.scatterAdd(base, ctx.attrs.axis, ctx.inputs[1], src);
  },
  cost: (inputs, out) => ({
    flops: inputs[1].shape.reduce((a, b) => a * b, 1),
    bytes: bytesOf(inputs[0]) + bytesOf(inputs[1]) + bytesOf(inputs[2]) + bytesOf(out),
  }),
});
