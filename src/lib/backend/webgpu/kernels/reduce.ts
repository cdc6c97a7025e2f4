/**
 * Reductions (sum, prod, max, min, argmax, argmin): a workgroup per output row with a tree
 * reduction in workgroup memory, accumulating in the element type (f32 for floats). cumsum walks
 * each row in order, one thread per row.
 */
import { shapeSize } from "../../../tensor/shape";
import reduceTemplate from "../../../../../shaders/reduce.wgsl?raw";
import argTemplate from "../../../../../shaders/argreduce.wgsl?raw";
import cumsumTemplate from "../../../../../shaders/cumsum.wgsl?raw";
import { buildShader, spread, storageBindings, wgslType, type WgslType } from "../codegen";
import { gpuStorage, type GpuKernel } from "../kernel";
import { fill } from "./movement";
import { rowIndex, rowParams } from "./rows";

/** Threads per row. */
const WG = 64;

/** A fold: identity and combine(x, y), per element type. */
interface Fold {
  init: (t: WgslType) => string;
  combine: string;
}

/** Folds by op name. */
export const FOLDS: Record<string, Fold> = {
  sum: { init: (t) => `${t}(0)`, combine: "x + y" },
  prod: { init: (t) => `${t}(1)`, combine: "x * y" },
  max: { init: (t) => (t === "f32" ? "negInf()" : t === "i32" ? "i32(-2147483647 - 1)" : "0u"), combine: "max(x, y)" },
  min: { init: (t) => (t === "f32" ? "posInf()" : t === "i32" ? "2147483647" : "1u"), combine: "min(x, y)" },
};

function reduceKernel(op: string, fold: Fold): GpuKernel {
  return (ctx, [x], attrs, out) => {
    const n = shapeSize(out.shape);
    const o = ctx.alloc(out.dtype, n, op, out.shape);
    if (n === 0) return o;
    const { rows, len, params, rowContiguous: rc } = rowParams(op, x, attrs.axes as number[], false);
    const t = wgslType(x.dtype, op);
    if (len === 0) {
      fill(ctx, o, n, op === "prod" ? 1 : 0);
      return o;
    }
    const shader = {
      key: `reduce:${op}:${t}${rc.input ? ":c" : ""}`,
      source: () => buildShader(reduceTemplate, { BINDINGS: storageBindings([{ name: "src", type: t }], { name: "dst", type: t }), WG, ACC: t, INIT: fold.init(t), COMBINE: fold.combine, OUT: t, IN_J: rowIndex(rc.input, 30) }),
    };
    ctx.dispatch(shader, [gpuStorage(x), o], params, spread(rows));
    return o;
  };
}

function argKernel(op: string, cmp: ">" | "<"): GpuKernel {
  return (ctx, [x], attrs, out) => {
    const n = shapeSize(out.shape);
    const o = ctx.alloc(out.dtype, n, op, out.shape);
    if (n === 0) return o;
    const { rows, params } = rowParams(op, x, attrs.axes as number[], false);
    const t = wgslType(x.dtype, op);
    const shader = {
      key: `arg:${op}:${t}`,
      source: () => buildShader(argTemplate, { BINDINGS: storageBindings([{ name: "src", type: t }], { name: "dst", type: "i32" }), WG, T: t, CMP: cmp }),
    };
    ctx.dispatch(shader, [gpuStorage(x), o], params, spread(rows));
    return o;
  };
}

const cumsum: GpuKernel = (ctx, [x], attrs, out) => {
  const n = shapeSize(out.shape);
  const o = ctx.alloc(out.dtype, n, "cumsum", out.shape);
  if (n === 0) return o;
  const { rows, params } = rowParams("cumsum", x, [attrs.axis as number], true);
  const t = wgslType(x.dtype, "cumsum");
  const shader = { key: `cumsum:${t}`, source: () => buildShader(cumsumTemplate, { BINDINGS: storageBindings([{ name: "src", type: t }], { name: "dst", type: t }), T: t }) };
  ctx.dispatch(shader, [gpuStorage(x), o], params, spread(Math.ceil(rows / 64)));
  return o;
};

/** Reduction kernels by op name. */
export const REDUCE_KERNELS: Record<string, GpuKernel> = {
  ...Object.fromEntries(Object.entries(FOLDS).map(([op, f]) => [op, reduceKernel(op, f)])),
  argmax: argKernel("argmax", ">"),
  argmin: argKernel("argmin", "<"),
  cumsum,
};
