/**
 * Data movement on the GPU: one strided-copy kernel (shaders/copy.wgsl) materializes views
 * (reshape, permute, expand, slice with any steps), writes concat pieces and padded interiors,
 * and implements copyInto; a fill kernel writes pad values.
 */
import type { DType } from "../../../tensor/dtype";
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import type { StridedView } from "../../backend";
import copyTemplate from "../../../../../shaders/copy.wgsl?raw";
import fillTemplate from "../../../../../shaders/fill.wgsl?raw";
import { kernelShader, spread, storageBindings, unrolledOffsets, UNROLLED_RANK } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { coalesce, isRowMajor } from "../layout";
import { f32Bits } from "../params";
import { COPY_PARAMS, FILL_PARAMS } from "./layouts";
import type { GpuStorage } from "../storage";
import type { PartialOpTable } from "../../../ops/names";

/** Where a copy writes: a storage, and the strided window of it (over the source's shape). */
export interface CopyTarget {
  storage: GpuStorage;
  strides: readonly number[];
  offset: number;
}

/**
 * The WGSL that moves element `i` for an index space of `rank` dims: up to {@link UNROLLED_RANK},
 * the index is split once and both offsets are sums of index × stride ({@link unrolledOffsets});
 * past it, `stridedOffset` for each side.
 */
function copyElement(rank: number): string {
  if (rank > UNROLLED_RANK) return "  dst[stridedOffset(slot.dims.at, slot.dst.at, i)] = src[stridedOffset(slot.dims.at, slot.src.at, i)];";
  const { lines, offset } = unrolledOffsets(rank);
  return [...lines, `  dst[${offset("slot.dst")}] = src[${offset("slot.src")}];`].join("\n");
}

/**
 * The WGSL that moves row `i` (all of the last dim) of an index space of `rank` ≥ 2 dims: the row
 * index is split once, then the row is walked by its strides. On a CPU adapter integer division
 * has no vector instruction, so each lane divides on its own: splitting every element's index
 * made attention's head permutes ([16, 4, 32, 8]) cost ~50 ns an element on SwiftShader.
 */
function copyRow(rank: number): string {
  const last = rank - 1;
  const { lines, offset } = unrolledOffsets(last);
  return [
    ...lines,
    `  var s = ${offset("slot.src")};`,
    `  var d = ${offset("slot.dst")};`,
    `  let sStep = P(slot.src.strides[${last}]);`,
    `  let dStep = P(slot.dst.strides[${last}]);`,
    `  for (var j = 0u; j < PU(slot.dims.sizes[${last}]); j++) { dst[d] = src[s]; s += sStep; d += dStep; }`,
  ].join("\n");
}

/** Copy the elements of view `src` into `dst` (same shape, same dtype). */
export function stridedCopy(ctx: KernelContext, op: string, src: StridedView, dst: CopyTarget): void {
  const n = shapeSize(src.shape);
  if (n === 0) return;
  // Same dtype in and out: elements move as stored (f16 stays f16), no conversion.
  const t = ctx.elem(src.dtype, op).store;
  const c = coalesce(src.shape, [src.strides, dst.strides]);
  const rank = Math.min(c.shape.length, UNROLLED_RANK + 1);
  // On a CPU adapter a thread per row for ranks 2 to UNROLLED_RANK (see copyRow): its index
  // space is the rows, `count` of them.
  const byRow = ctx.features.cpuAdapter && rank >= 2 && rank <= UNROLLED_RANK;
  const count = byRow ? n / c.shape[rank - 1] : n;
  const shader = {
    key: `copy:${t}:r${rank}${byRow ? "rows" : ""}`,
    source: () =>
      kernelShader(COPY_PARAMS, copyTemplate, {
        BINDINGS: storageBindings([{ name: "src", type: t }], { name: "dst", type: t }),
        COPY: byRow ? copyRow(rank) : copyElement(rank),
      }),
  };
  const params = COPY_PARAMS.pack(op, {
    count,
    dims: c.shape,
    src: { offset: src.offset, strides: c.strides[0], contiguous: isRowMajor(c.shape, c.strides[0]) },
    dst: { offset: dst.offset, strides: c.strides[1], contiguous: isRowMajor(c.shape, c.strides[1]) },
  });
  ctx.dispatch(shader, [gpuStorage(src), dst.storage], params, spread(Math.ceil(count / 256)));
}

/** Fill the first `n` elements of `dst` with `value`. */
export function fill(ctx: KernelContext, dst: GpuStorage, n: number, value: number): void {
  if (n === 0) return;
  const e = ctx.elem(dst.dtype, "fill");
  const t = e.value;
  // The value travels as f32 bits and is stored as the buffer's element (rounded to a half for float16).
  const shader = {
    key: `fill:${e.key}`,
    source: () =>
      kernelShader(FILL_PARAMS, fillTemplate, { BINDINGS: storageBindings([], { name: "dst", type: e.store }), VALUE: e.save(`bitcast<${t}>(P(slot.value))`) }),
  };
  const params = FILL_PARAMS.pack("fill", { count: n, value: t === "f32" ? f32Bits(value) : t === "u32" ? (value ? 1 : 0) : value });
  ctx.dispatch(shader, [dst], params, spread(Math.ceil(n / 256)));
}

/** A new contiguous storage holding the elements of `v` in row-major order. */
export function materialize(ctx: KernelContext, op: string, v: StridedView, dtype: DType = v.dtype): GpuStorage {
  const n = shapeSize(v.shape);
  const o = ctx.alloc(dtype, n, op, v.shape);
  stridedCopy(ctx, op, v, { storage: o, strides: contiguousStrides(v.shape), offset: 0 });
  return o;
}

type Pads = [number, number, number][];

/** Movement kernels by op name (a view op reaches its kernel only when no view is possible). */
export const MOVEMENT_KERNELS = {
  reshape: (ctx, [x], _a, out) => materialize(ctx, "reshape", x, out.dtype),
  permute: (ctx, [x], attrs) => {
    const axes = attrs.axes as number[];
    return materialize(ctx, "permute", { ...x, shape: axes.map((a) => x.shape[a]), strides: axes.map((a) => x.strides[a]) });
  },
  expand: (ctx, [x], attrs) => {
    const shape = attrs.shape as number[];
    const pad = shape.length - x.shape.length;
    return materialize(ctx, "expand", { ...x, shape, strides: shape.map((_, i) => (i < pad || x.shape[i - pad] === 1 ? 0 : x.strides[i - pad])) });
  },
  slice: (ctx, [x], attrs, out) => {
    const starts = attrs.starts as number[],
      steps = attrs.steps as number[];
    if (shapeSize(out.shape) === 0) return ctx.alloc(out.dtype, 0, "slice", out.shape);
    let offset = x.offset;
    const strides = x.strides.map((st, d) => {
      offset += starts[d] * st;
      return st * steps[d];
    });
    return materialize(ctx, "slice", { ...x, shape: out.shape, strides, offset });
  },
  pad: (ctx, [x], attrs, out) => {
    const pads = attrs.pads as Pads;
    const n = shapeSize(out.shape);
    const o = ctx.alloc(out.dtype, n, "pad", out.shape);
    fill(ctx, o, n, attrs.value as number);
    const os = contiguousStrides(out.shape);
    // Input element idx lands at Σ (lo + idx·(interior+1))·outStride.
    stridedCopy(ctx, "pad", x, { storage: o, strides: os.map((s, d) => s * (pads[d][2] + 1)), offset: pads.reduce((a, p, d) => a + p[0] * os[d], 0) });
    return o;
  },
  concat: (ctx, inputs, attrs, out) => {
    const axis = attrs.axis as number;
    const o = ctx.alloc(out.dtype, shapeSize(out.shape), "concat", out.shape);
    const os = contiguousStrides(out.shape);
    let along = 0;
    for (const x of inputs) {
      stridedCopy(ctx, "concat", x, { storage: o, strides: os, offset: along * os[axis] });
      along += x.shape[axis];
    }
    return o;
  },
} satisfies PartialOpTable<GpuKernel>;
