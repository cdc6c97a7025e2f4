/**
 * Reductions (sum, prod, max, min, argmax, argmin): a workgroup per output row with a tree
 * reduction in workgroup memory, accumulating in the element type (f32 for floats); on a CPU
 * adapter, a thread per row where rows are many or short (`threadPerRow`). cumsum walks each row
 * in order, one thread per row.
 */
import { shapeSize } from "../../../tensor/shape";
import reduceTemplate from "../../../../../shaders/reduce.wgsl?raw";
import reduceThreadTemplate from "../../../../../shaders/reduce_thread.wgsl?raw";
import argTemplate from "../../../../../shaders/argreduce.wgsl?raw";
import cumsumTemplate from "../../../../../shaders/cumsum.wgsl?raw";
import { kernelShader, spread, storageBindings, type WgslType } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { fill } from "./movement";
import { rowIndex, rowParams } from "./rows";
import type { OpsIn, OpTable, PartialOpTable } from "../../../ops/names";
import { ROWS_PARAMS } from "./layouts";
import { rowsOpening } from "./openings";

/** A workgroup per row, or (thread per row) a thread per row of 64-thread workgroups. */
const GROUP_ROW = rowsOpening("groupId(wid, nwg)");
const THREAD_ROW = rowsOpening("groupId(wid, nwg) * 64u + lid");

/** Threads per row. */
const WG = 64;

/** A fold: identity and combine(x, y), per element type. */
interface Fold {
  init: (t: WgslType) => string;
  combine: string;
}

/** The reductions that fold with an identity element (argmax/argmin and cumsum have kernels of their own). */
type FoldOp = Exclude<OpsIn<"reduce">, "argmax" | "argmin" | "cumsum">;

/** Folds by op name. */
export const FOLDS = {
  sum: { init: (t) => `${t}(0)`, combine: "x + y" },
  prod: { init: (t) => `${t}(1)`, combine: "x * y" },
  max: { init: (t) => (t === "f32" ? "negInf()" : t === "i32" ? "i32(-2147483647 - 1)" : "0u"), combine: "max(x, y)" },
  min: { init: (t) => (t === "f32" ? "posInf()" : t === "i32" ? "2147483647" : "1u"), combine: "min(x, y)" },
} satisfies OpTable<Fold, FoldOp>;

/**
 * Whether a reduction takes a thread per row: on a CPU adapter when there are enough rows to fill
 * its SIMD lanes, or rows short enough that one thread's loop beats a workgroup's barriers
 * (docs/WEBGPU_TUNING.md).
 */
function threadPerRow(ctx: KernelContext, rows: number, len: number): boolean {
  return ctx.features.cpuAdapter && (rows >= 64 || len <= 4096);
}

/** Element j of a row: contiguous (j), one stride (j · stride, the input's reduced view's only stride), or the general walk. */
function rowElement(rowContiguous: boolean, reducedRank: number): { key: string; expr: string } {
  if (rowContiguous) return { key: ":c", expr: rowIndex(true, "inReduced") };
  if (reducedRank === 1) return { key: ":s", expr: "i32(j) * rs" };
  return { key: "", expr: rowIndex(false, "inReduced") };
}

function reduceKernel(op: string, fold: Fold): GpuKernel {
  return (ctx, [x], attrs, out) => {
    const n = shapeSize(out.shape);
    const o = ctx.alloc(out.dtype, n, op, out.shape);
    if (n === 0) return o;
    const { rows, len, values, rowContiguous: rc } = rowParams(op, x, attrs.axes as number[], false);
    const params = ROWS_PARAMS.pack(op, values);
    const xe = ctx.elem(x.dtype, op),
      oe = ctx.elem(out.dtype, op);
    const t = xe.value,
      io = `${xe.key}>${oe.key}`;
    const bindings = storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: oe.store });
    if (len === 0) {
      fill(ctx, o, n, op === "prod" ? 1 : 0);
      return o;
    }
    if (threadPerRow(ctx, rows, len)) {
      const el = rowElement(rc.input, values.reducedDims.length);
      const shader = {
        key: `reduce1:${op}:${io}${el.key}`,
        source: () =>
          kernelShader(ROWS_PARAMS, reduceThreadTemplate, {
            BINDINGS: bindings,
            OPENING: THREAD_ROW,
            ACC: t,
            INIT: fold.init(t),
            COMBINE: fold.combine,
            OUT: oe.save("acc"),
            IN_J: el.expr,
          }),
      };
      ctx.dispatch(shader, [gpuStorage(x), o], params, spread(Math.ceil(rows / 64)));
      return o;
    }
    const shader = {
      key: `reduce:${op}:${io}${rc.input ? ":c" : ""}`,
      source: () =>
        kernelShader(ROWS_PARAMS, reduceTemplate, {
          BINDINGS: bindings,
          OPENING: GROUP_ROW,
          WG,
          ACC: t,
          INIT: fold.init(t),
          COMBINE: fold.combine,
          OUT: oe.save("acc"),
          IN_J: rowIndex(rc.input, "inReduced"),
        }),
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
    const { rows, values } = rowParams(op, x, attrs.axes as number[], false);
    const xe = ctx.elem(x.dtype, op);
    const shader = {
      key: `arg:${op}:${xe.key}`,
      source: () =>
        kernelShader(ROWS_PARAMS, argTemplate, {
          BINDINGS: storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: "i32" }),
          OPENING: GROUP_ROW,
          WG,
          T: xe.value,
          CMP: cmp,
        }),
    };
    ctx.dispatch(shader, [gpuStorage(x), o], ROWS_PARAMS.pack(op, values), spread(rows));
    return o;
  };
}

const cumsum: GpuKernel = (ctx, [x], attrs, out) => {
  const n = shapeSize(out.shape);
  const o = ctx.alloc(out.dtype, n, "cumsum", out.shape);
  if (n === 0) return o;
  const { rows, values } = rowParams("cumsum", x, [attrs.axis as number], true);
  const xe = ctx.elem(x.dtype, "cumsum"),
    oe = ctx.elem(out.dtype, "cumsum");
  const shader = {
    key: `cumsum:${xe.key}>${oe.key}`,
    source: () =>
      kernelShader(ROWS_PARAMS, cumsumTemplate, {
        BINDINGS: storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: oe.store }),
        OPENING: THREAD_ROW,
        T: xe.value,
        OUT: oe.save("acc"),
      }),
  };
  ctx.dispatch(shader, [gpuStorage(x), o], ROWS_PARAMS.pack("cumsum", values), spread(Math.ceil(rows / 64)));
  return o;
};

/** Reduction kernels by op name. */
export const REDUCE_KERNELS = {
  ...(Object.fromEntries(Object.entries(FOLDS).map(([op, f]) => [op, reduceKernel(op, f)])) as { [K in FoldOp]: GpuKernel }),
  argmax: argKernel("argmax", ">"),
  argmin: argKernel("argmin", "<"),
  cumsum,
} satisfies PartialOpTable<GpuKernel>;
