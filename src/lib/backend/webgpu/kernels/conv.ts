/**
 * unfold (im2col) and fold (col2im) for conv2d and the pools: unfold is one thread per column
 * entry; fold is written as a gather (one thread per output pixel), so it needs no atomics.
 */
import { shapeSize } from "../../../tensor/shape";
import type { StridedView } from "../../backend";
import unfoldTemplate from "../../../../../shaders/unfold.wgsl?raw";
import foldTemplate from "../../../../../shaders/fold.wgsl?raw";
import { kernelShader, spread, storageBindings } from "../codegen";
import { gpuStorage, type GpuKernel } from "../kernel";
import type { PartialOpTable } from "../../../ops/names";
import { WINDOW_PARAMS } from "./layouts";

type Pair = [number, number];

function windowParams(
  op: string,
  n: number,
  c: number,
  h: number,
  w: number,
  attrs: Record<string, unknown>,
  ow: number,
  l: number,
  src: StridedView,
): Int32Array {
  const [kh, kw] = attrs.kernel as Pair,
    [sh, sw] = attrs.stride as Pair,
    [ph, pw] = attrs.padding as Pair,
    [dh, dw] = attrs.dilation as Pair;
  return WINDOW_PARAMS.pack(op, {
    count: n,
    channels: c,
    height: h,
    width: w,
    kernelH: kh,
    kernelW: kw,
    strideH: sh,
    strideW: sw,
    padH: ph,
    padW: pw,
    dilationH: dh,
    dilationW: dw,
    outW: ow,
    cols: l,
    srcOffset: src.offset,
    srcStrides: src.strides,
  });
}

const unfold: GpuKernel = (ctx, [x], attrs, out) => {
  const total = shapeSize(out.shape);
  const o = ctx.alloc(out.dtype, total, "unfold", out.shape);
  if (total === 0) return o;
  const [, c, h, w] = x.shape;
  const l = out.shape[2];
  const [kh] = attrs.kernel as Pair,
    [sh] = attrs.stride as Pair,
    [ph] = attrs.padding as Pair,
    [dh] = attrs.dilation as Pair;
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const t = ctx.elem(x.dtype, "unfold").store; // elements move as stored
  const shader = {
    key: `unfold:${t}`,
    source: () =>
      kernelShader(WINDOW_PARAMS, unfoldTemplate, { BINDINGS: storageBindings([{ name: "src", type: t }], { name: "dst", type: t }) + `\nalias T = ${t};` }),
  };
  ctx.dispatch(shader, [gpuStorage(x), o], windowParams("unfold", total, c, h, w, attrs, l / oh, l, x), spread(Math.ceil(total / 256)));
  return o;
};

const fold: GpuKernel = (ctx, [cols], attrs, out) => {
  const total = shapeSize(out.shape);
  const o = ctx.alloc(out.dtype, total, "fold", out.shape);
  if (total === 0) return o;
  const [, c, h, w] = out.shape;
  const l = cols.shape[2];
  const [kh] = attrs.kernel as Pair,
    [sh] = attrs.stride as Pair,
    [ph] = attrs.padding as Pair,
    [dh] = attrs.dilation as Pair;
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = oh > 0 ? l / oh : 0;
  const e = ctx.elem(cols.dtype, "fold");
  const shader = {
    key: `fold:${e.key}`,
    source: () =>
      kernelShader(WINDOW_PARAMS, foldTemplate, {
        BINDINGS: storageBindings([{ name: "src", type: e.store }], { name: "dst", type: e.store }) + `\nalias T = ${e.value};`,
        OUT: e.save("acc"),
      }),
  };
  ctx.dispatch(shader, [gpuStorage(cols), o], windowParams("fold", total, c, h, w, attrs, ow, l, cols), spread(Math.ceil(total / 256)));
  return o;
};

/** Kernels by op name. */
export const CONV_KERNELS = { unfold, fold } satisfies PartialOpTable<GpuKernel>;
