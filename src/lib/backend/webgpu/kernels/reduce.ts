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
import { buildShader, spread, storageBindings, type WgslType } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { fill } from "./movement";
import { rowIndex, rowParams } from "./rows";
import type { OpsIn, OpTable, PartialOpTable } from "../../../ops/names";

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
 * its SIMD lanes, or rows short enough that one thread's loop beats a workgroup's barriers (the
 * bias gradient of a batch, [128, 10] summed over rows, took tens of ms as a tree on SwiftShader).
 */
export function threadPerRow(ctx: KernelContext, rows: number, len: number): boolean {
  return ctx.features.cpuAdapter && (rows >= 64 || len <= 4096);
}

/** Element j of a row: contiguous (j), one stride (j · stride, the reduced view's stride at slot 32), or the general walk. */
function rowElement(rowContiguous: boolean, reducedRank: number): { key: string; expr: string } {
  if (rowContiguous) return { key: ":c", expr: rowIndex(true, 30) };
  if (reducedRank === 1) return { key: ":s", expr: "i32(j) * rs" };
  return { key: "", expr: rowIndex(false, 30) };
}

function reduceKernel(op: string, fold: Fold): GpuKernel {
  return (ctx, [x], attrs, out) => {
    const n = shapeSize(out.shape);
    const o = ctx.alloc(out.dtype, n, op, out.shape);
    if (n === 0) return o;
    const { rows, len, params, rowContiguous: rc } = rowParams(op, x, attrs.axes as number[], false);
    const xe = ctx.elem(x.dtype, op), oe = ctx.elem(out.dtype, op);
    const t = xe.value, io = `${xe.key}>${oe.key}`;
    const bindings = storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: oe.store });
    if (len === 0) {
      fill(ctx, o, n, op === "prod" ? 1 : 0);
      return o;
    }
    if (threadPerRow(ctx, rows, len)) {
      const el = rowElement(rc.input, params[11]);
      const shader = {
        key: `reduce1:${op}:${io}${el.key}`,
        source: () => buildShader(reduceThreadTemplate, { BINDINGS: bindings, ACC: t, INIT: fold.init(t), COMBINE: fold.combine, OUT: oe.save("acc"), IN_J: el.expr }),
      };
      ctx.dispatch(shader, [gpuStorage(x), o], params, spread(Math.ceil(rows / 64)));
      return o;
    }
    const shader = {
      key: `reduce:${op}:${io}${rc.input ? ":c" : ""}`,
      source: () => buildShader(reduceTemplate, { BINDINGS: bindings, WG, ACC: t, INIT: fold.init(t), COMBINE: fold.combine, OUT: oe.save("acc"), IN_J: rowIndex(rc.input, 30) }),
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
    const xe = ctx.elem(x.dtype, op);
    const shader = {
      key: `arg:${op}:${xe.key}`,
      source: () => buildShader(argTemplate, { BINDINGS: storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: "i32" }), WG, T: xe.value, CMP: cmp }),
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
  const xe = ctx.elem(x.dtype, "cumsum"), oe = ctx.elem(out.dtype, "cumsum");
  const shader = {
    key: `cumsum:${xe.key}>${oe.key}`,
    source: () => buildShader(cumsumTemplate, { BINDINGS: storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: oe.store }), T: xe.value, OUT: oe.save("acc") }),
  };
  ctx.dispatch(shader, [gpuStorage(x), o], params, spread(Math.ceil(rows / 64)));
  return o;
};

/** Reduction kernels by op name. */
export const REDUCE_KERNELS = {
  ...(Object.fromEntries(Object.entries(FOLDS).map(([op, f]) => [op, reduceKernel(op, f)])) as { [K in FoldOp]: GpuKernel }),
  argmax: argKernel("argmax", ">"),
  argmin: argKernel("argmin", "<"),
  cumsum,
} satisfies PartialOpTable<GpuKernel>;
