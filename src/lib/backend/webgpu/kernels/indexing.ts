/**
 * gather and scatterAdd along one axis (PyTorch semantics). scatterAdd copies x into the output,
 * then adds with atomics (a compare-exchange loop for f32). An index out of range (negative too) is
 * clamped by gather and skipped by scatterAdd, and reported through `ctx.indexFlags`: a kernel
 * cannot throw, so the next read-back does (see ../index-check).
 */
import { contiguousStrides, shapeSize } from "../../../tensor/shape";
import gatherTemplate from "../../../../../shaders/gather.wgsl?raw";
import scatterTemplate from "../../../../../shaders/scatter_add.wgsl?raw";
import { kernelShader, spread, storageBindings, UNROLLED_RANK, wgslType } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import type { PartialOpTable } from "../../../ops/names";
import type { GpuStorage } from "../storage";
import type { StridedView } from "../../backend";
import type { DType } from "../../../tensor/dtype";
import { ELEMENTWISE_KERNELS } from "./elementwise";
import { coalesce, isRowMajor } from "../layout";
import { GATHER_PARAMS, SCATTER_ADD_PARAMS } from "./layouts";
import { indexOpening } from "./openings";
import { stridedCopy } from "./movement";
import { indexFlagsOf, indexFlagsWgsl, indexOpCode, reportedOp } from "../index-check";

/** Atomic add of `v` at `at`, per element type. */
const ATOMIC_ADD: Record<string, string> = {
  f32: `  var old = atomicLoad(&dst[at]);
  loop {
    let r = atomicCompareExchangeWeak(&dst[at], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`,
  i32: "  atomicAdd(&dst[at], v);",
};

const gather: GpuKernel = (ctx, [x, idx], attrs, out) => {
  const axis = attrs.axis as number;
  const n = shapeSize(out.shape);
  const o = ctx.alloc(out.dtype, n, "gather", out.shape);
  if (n === 0) return o;
  const t = ctx.elem(x.dtype, "gather").store; // elements move as stored
  // The index space coalesced over both views it is read through (the output is row-major over it).
  const c = coalesce(idx.shape, [idx.strides, x.strides.map((s, d) => (d === axis ? 0 : s))]);
  const rank = Math.min(c.shape.length, UNROLLED_RANK + 1);
  const params = GATHER_PARAMS.pack("gather", {
    count: n,
    dims: c.shape,
    x: { offset: x.offset, strides: c.strides[1] },
    index: { offset: idx.offset, strides: c.strides[0], contiguous: isRowMajor(c.shape, c.strides[0]) },
    axisStride: x.strides[axis],
    axisSize: x.shape[axis],
  });
  const code = indexOpCode(reportedOp(attrs));
  const bindings = `${storageBindings(
    [
      { name: "src", type: t },
      { name: "idx", type: "i32" },
    ],
    { name: "dst", type: t },
  )}\n${indexFlagsWgsl(4, code)}`;
  const shader = {
    key: `gather:${t}:r${rank}${code === indexOpCode("gather") ? "" : `:${code}`}`,
    source: () => kernelShader(GATHER_PARAMS, gatherTemplate, { BINDINGS: bindings, OPENING: indexOpening(rank, ["x"]) }),
  };
  ctx.dispatch(shader, [gpuStorage(x), gpuStorage(idx), o, indexFlagsOf(ctx, "gather")], params, spread(Math.ceil(n / 256)));
  return o;
};

/**
 * float16 scatterAdd adds in f32 (WGSL has no 16-bit atomics, and a half accumulator would round
 * every partial sum): cast in, scatter, cast the result back, rounding once as the CPU does.
 */
const scatterAddHalf: GpuKernel = (ctx, [x, idx, s], attrs, out) => {
  const widen = (v: StridedView): StridedView => ({
    ...v,
    storage: castTo(ctx, v, "float32"),
    strides: contiguousStrides(v.shape),
    offset: 0,
    dtype: "float32",
  });
  const sum = scatterAdd(ctx, [widen(x), idx, widen(s)], attrs, { shape: out.shape, dtype: "float32" });
  return castTo(ctx, { storage: sum, shape: out.shape, strides: contiguousStrides(out.shape), offset: 0, dtype: "float32" }, "float16");
};

function castTo(ctx: KernelContext, v: StridedView, dtype: DType): GpuStorage {
  return ELEMENTWISE_KERNELS.cast(ctx, [v], { dtype }, { shape: v.shape, dtype });
}

const scatterAdd: GpuKernel = (ctx, [x, idx, s], attrs, out) => {
  if (out.dtype === "float16") return scatterAddHalf(ctx, [x, idx, s], attrs, out);
  const axis = attrs.axis as number;
  const total = shapeSize(out.shape);
  const o = ctx.alloc(out.dtype, total, "scatterAdd", out.shape);
  const os = contiguousStrides(out.shape);
  stridedCopy(ctx, "scatterAdd", x, { storage: o, strides: os, offset: 0 });
  const n = shapeSize(idx.shape);
  if (n === 0) return o;
  const t = wgslType(out.dtype, "scatterAdd");
  // The index space coalesced over the three views it is read through.
  const c = coalesce(idx.shape, [idx.strides, os.map((v, d) => (d === axis ? 0 : v)), s.strides]);
  const rank = Math.min(c.shape.length, UNROLLED_RANK + 1);
  const params = SCATTER_ADD_PARAMS.pack("scatterAdd", {
    count: n,
    dims: c.shape,
    x: { offset: 0, strides: c.strides[1] },
    index: { offset: idx.offset, strides: c.strides[0], contiguous: isRowMajor(c.shape, c.strides[0]) },
    axisStride: os[axis],
    axisSize: out.shape[axis],
    src: { offset: s.offset, strides: c.strides[2] },
  });
  const atomic = t === "f32" ? "atomic<u32>" : "atomic<i32>";
  const shader = {
    key: `scatterAdd:${t}:r${rank}`,
    source: () =>
      kernelShader(SCATTER_ADD_PARAMS, scatterTemplate, {
        BINDINGS: `${storageBindings(
          [
            { name: "src", type: t },
            { name: "idx", type: "i32" },
          ],
          { name: "dst", type: atomic },
        )}\n${indexFlagsWgsl(4, indexOpCode("scatterAdd"))}`,
        OPENING: indexOpening(rank, ["x", "src"]),
        ADD: ATOMIC_ADD[t],
      }),
  };
  ctx.dispatch(shader, [gpuStorage(s), gpuStorage(idx), o, indexFlagsOf(ctx, "scatterAdd")], params, spread(Math.ceil(n / 256)));
  return o;
};

/** Kernels by op name. */
export const INDEXING_KERNELS = { gather, scatterAdd } satisfies PartialOpTable<GpuKernel>;
