/**
 * Reductions (sum, prod, max, min, argmax, argmin): a workgroup per output row with a tree
 * reduction in workgroup memory, accumulating in the element type (f32 for floats); on a CPU
 * adapter, threads fold whole rows, a few rows split over several threads and their partials
 * folded by a second dispatch of the same kernel (`reduceSplits`); argmax and argmin take a
 * thread per row where the row kernels do (`rowGeometry`). cumsum walks each row in order, one
 * thread per row.
 */
import { shapeSize } from "../../../tensor/shape";
import reduceTemplate from "../../../../../shaders/reduce.wgsl?raw";
import reduceThreadTemplate from "../../../../../shaders/reduce_thread.wgsl?raw";
import reduceThread4Template from "../../../../../shaders/reduce_thread4.wgsl?raw";
import reduceThread4uTemplate from "../../../../../shaders/reduce_thread4u.wgsl?raw";
import reduceCols4Template from "../../../../../shaders/reduce_cols4.wgsl?raw";
import argTemplate from "../../../../../shaders/argreduce.wgsl?raw";
import argThreadTemplate from "../../../../../shaders/argreduce_thread.wgsl?raw";
import cumsumTemplate from "../../../../../shaders/cumsum.wgsl?raw";
import { kernelShader, spread, storageBindings, type WgslType } from "../codegen";
import { gpuStorage, type GpuKernel, type KernelContext } from "../kernel";
import { fill } from "./movement";
import { rowGeometry, rowIndex, rowParams, type RowsValues } from "./rows";
import type { OpsIn, OpTable, PartialOpTable } from "../../../ops/names";
import { REDUCE_SPLIT_PARAMS, ROWS_PARAMS } from "./layouts";
import type { DType } from "../../../tensor/dtype";
import type { GpuStorage } from "../storage";
import { rowsOpening } from "./openings";

/** A workgroup per row, or (thread per row) a thread per row of 64-thread workgroups. */
const GROUP_ROW = rowsOpening("groupId(wid, nwg)");
const THREAD_ROW = rowsOpening("groupId(wid, nwg) * 64u + lid");

/** Threads per row. */
const WG = 64;

/**
 * A fold: identity and combine(x, y), per element type; `combine` serves scalars and, in the vec4
 * kernels, vectors (`vec4`).
 */
interface Fold {
  init: (t: WgslType) => string;
  combine: (t: WgslType, vec4: boolean) => string;
}

/** max and min of floats propagate NaN, as on the CPU (WGSL's max and min may drop it: SwiftShader's do). */
const extremum =
  (fn: "max" | "min") =>
  (t: WgslType, vec4: boolean): string =>
    t !== "f32" ? `${fn}(x, y)` : vec4 ? `select(${fn}(x, y), x + y, isNan4(x) | isNan4(y))` : `${fn}f(x, y)`;

/** The reductions that fold with an identity element (argmax/argmin and cumsum have kernels of their own). */
type FoldOp = Exclude<OpsIn<"reduce">, "argmax" | "argmin" | "cumsum">;

/** Folds by op name. */
export const FOLDS = {
  sum: { init: (t) => `${t}(0)`, combine: () => "x + y" },
  prod: { init: (t) => `${t}(1)`, combine: () => "x * y" },
  max: { init: (t) => (t === "f32" ? "negInf()" : t === "i32" ? "i32(-2147483647 - 1)" : "0u"), combine: extremum("max") },
  min: { init: (t) => (t === "f32" ? "posInf()" : t === "i32" ? "2147483647" : "1u"), combine: extremum("min") },
} satisfies OpTable<Fold, FoldOp>;

/**
 * Measurement overrides of `reduceSplits`: the threads a reduction aims to fill, and the fewest
 * elements one split folds; `vec4Unaligned: false` reads unaligned rows element by element.
 */
export const REDUCE_TUNING: { threads?: number; minPerSplit?: number; vec4Unaligned?: boolean } = {};

/** The machine's cores (SwiftShader runs a thread per core); 4 where the runtime does not say (Node before 21). */
function cpuCores(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return n !== undefined && n >= 1 ? n : 4;
}

/**
 * Threads per row of a reduction on a CPU adapter (docs/WEBGPU_TUNING.md). SwiftShader runs a
 * workgroup on one core, so a full sum as one workgroup (the tree) or one thread used one core of
 * the machine, four lanes at a time: rows are split until two workgroups of 64 threads per core
 * have work, each split folding at least 1024 elements (below that a second dispatch costs more
 * than it saves). Many rows: one split each. (4096 threads in all, whatever the cores, made a
 * 1024×1024 column sum split in four where one pass fills two cores: 0.82× its time with 256.)
 */
export function reduceSplits(rows: number, len: number): number {
  const threads = REDUCE_TUNING.threads ?? 128 * cpuCores();
  const minPer = REDUCE_TUNING.minPerSplit ?? 1024;
  return Math.max(1, Math.min(Math.ceil(threads / rows), Math.floor(len / minPer)));
}

/** The dtype whose buffers hold a reduction's partials in its accumulator type. */
const PARTIAL_DTYPE: Record<WgslType, DType> = { f32: "float32", i32: "int32", u32: "bool" };

/**
 * Whether every row is contiguous, starts at a multiple of four elements and holds a multiple of
 * four of 4-byte elements: the input then reads as vec4s (reduce_thread4.wgsl).
 */
function vec4Rows(contiguous: boolean, values: RowsValues, bytes: number): boolean {
  return contiguous && bytes === 4 && values.len % 4 === 0 && values.inKept.offset % 4 === 0 && values.inKept.strides.every((s) => s % 4 === 0);
}

/**
 * Whether output rows come in fours of neighbouring input words (reduce_cols4.wgsl): one reduced
 * axis with a positive stride that is a multiple of four, the innermost kept axis contiguous with
 * a multiple of four elements, every row starting at a multiple of four, 4-byte elements in and out.
 */
function vec4Columns(values: RowsValues, bytes: number, outBytes: number): boolean {
  const k = values.keptDims.length;
  const rs = values.inReduced.strides[0];
  return (
    bytes === 4 &&
    outBytes === 4 &&
    values.reducedDims.length === 1 &&
    rs > 0 &&
    rs % 4 === 0 &&
    k > 0 &&
    values.inKept.strides[k - 1] === 1 &&
    values.keptDims[k - 1] % 4 === 0 &&
    values.inKept.offset % 4 === 0 &&
    values.inKept.strides.slice(0, -1).every((s) => s % 4 === 0)
  );
}

/**
 * How a reduction's thread reads its row: element by element, as aligned vec4s (`vec4Rows`), or as
 * vec4s with a masked partial first and last one (`vec4Unaligned`).
 */
type RowLoad = "scalar" | "vec4" | "vec4u";

/**
 * Contiguous rows of 4-byte elements that `vec4Rows` refuses (a length or a start not a multiple of
 * four, as 4097 rows of 257): vec4 loads with a masked head and tail (reduce_thread4u.wgsl) beat one
 * scalar load per element once a row holds 16 elements or more.
 */
function vec4Unaligned(contiguous: boolean, values: RowsValues, bytes: number): boolean {
  return contiguous && bytes === 4 && values.len >= 16 && REDUCE_TUNING.vec4Unaligned !== false;
}

/** Element j of a row: contiguous (j), one stride (j · stride, the input's reduced view's only stride), or the general walk. */
function rowElement(rowContiguous: boolean, reducedRank: number): { key: string; expr: string } {
  if (rowContiguous) return { key: ":c", expr: rowIndex(true, "inReduced") };
  if (reducedRank === 1) return { key: ":s", expr: "i32(j) * rs" };
  return { key: "", expr: rowIndex(false, "inReduced") };
}

/**
 * Dispatch reduce_thread.wgsl (reduce_thread4.wgsl for `input.vec4`): `splits` threads per row,
 * writing dst[row · splits + split] as `out` (WGSL converting `acc` to dst's element, named in
 * keys by `outKey`). `input` names the input's element (`key`) and how a row element is read.
 */
function threadReduce(
  ctx: KernelContext,
  op: string,
  fold: Fold,
  storages: GpuStorage[],
  values: RowsValues,
  splits: number,
  input: { key: string; el: { key: string; expr: string }; load: RowLoad },
  outKey: string,
  out: string,
  bindings: string,
  t: WgslType,
): void {
  const shader = {
    key: `reduce1:${op}:${input.key}>${outKey}${input.load === "scalar" ? input.el.key : input.load === "vec4" ? ":c4" : ":c4u"}`,
    source: () =>
      kernelShader(REDUCE_SPLIT_PARAMS, { scalar: reduceThreadTemplate, vec4: reduceThread4Template, vec4u: reduceThread4uTemplate }[input.load], {
        BINDINGS: bindings,
        ACC: t,
        INIT: fold.init(t),
        COMBINE: fold.combine(t, false),
        COMBINE4: fold.combine(t, true),
        OUT: out,
        IN_J: input.el.expr,
      }),
  };
  ctx.dispatch(shader, storages, REDUCE_SPLIT_PARAMS.pack(op, { ...values, splits }), spread(Math.ceil((values.rows * splits) / 64)));
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
    if (ctx.features.cpuAdapter) {
      if (!rc.input && vec4Columns(values, xe.bytes, oe.bytes)) {
        const cols = (values: RowsValues, splits: number, inKey: string, outKey: string, src: string, dst: string, out: string, storages: GpuStorage[]) =>
          ctx.dispatch(
            {
              key: `reduce1:${op}:${inKey}>${outKey}:s4`,
              source: () =>
                kernelShader(REDUCE_SPLIT_PARAMS, reduceCols4Template, {
                  BINDINGS: storageBindings([{ name: "src", type: `vec4<${src}>` }], { name: "dst", type: `vec4<${dst}>` }),
                  ACC: t,
                  INIT: fold.init(t),
                  COMBINE: fold.combine(t, false),
                  COMBINE4: fold.combine(t, true),
                  OUT: out,
                }),
            },
            storages,
            REDUCE_SPLIT_PARAMS.pack(op, { ...values, splits }),
            spread(Math.ceil((rows * splits) / 256)),
          );
        // Four outputs a thread: few outputs leave most cores idle, so the reduced axis is split too.
        const splits = reduceSplits(rows / 4, len * 4);
        if (splits === 1) {
          cols(values, 1, xe.key, oe.key, xe.store, oe.store, oe.save4("acc"), [gpuStorage(x), o]);
          return o;
        }
        const pd = PARTIAL_DTYPE[t];
        const pe = ctx.elem(pd, op);
        const partial = ctx.alloc(pd, rows * splits, op, [splits, rows]);
        cols(values, splits, xe.key, pe.key, xe.store, pe.store, "acc", [gpuStorage(x), partial]);
        const pv = rowParams(op, { storage: partial, shape: [splits, rows], strides: [rows, 1], offset: 0, dtype: pd }, [0], false).values;
        cols(pv, 1, pe.key, oe.key, pe.store, oe.store, oe.save4("acc"), [partial, o]);
        return o;
      }
      const el = rowElement(rc.input, values.reducedDims.length);
      const load: RowLoad = vec4Rows(rc.input, values, xe.bytes) ? "vec4" : vec4Unaligned(rc.input, values, xe.bytes) ? "vec4u" : "scalar";
      const srcType = load === "scalar" ? xe.store : `vec4<${xe.store}>`;
      const bind = (src: string, dst: string) => storageBindings([{ name: "src", type: src }], { name: "dst", type: dst });
      const splits = reduceSplits(rows, len);
      if (splits === 1) {
        threadReduce(ctx, op, fold, [gpuStorage(x), o], values, 1, { key: xe.key, el, load }, oe.key, oe.save("acc"), bind(srcType, oe.store), t);
        return o;
      }
      // Each row's splits write their partials side by side; the same kernel folds them (one split per row).
      const pd = PARTIAL_DTYPE[t];
      const pe = ctx.elem(pd, op);
      const partial = ctx.alloc(pd, rows * splits, op, [rows, splits]);
      threadReduce(ctx, op, fold, [gpuStorage(x), partial], values, splits, { key: xe.key, el, load }, pe.key, "acc", bind(srcType, pe.store), t);
      const pv = rowParams(op, { storage: partial, shape: [rows, splits], strides: [splits, 1], offset: 0, dtype: pd }, [1], false).values;
      const p4 = vec4Rows(true, pv, pe.bytes);
      const pin = { key: pe.key, el: rowElement(true, 1), load: (p4 ? "vec4" : "scalar") as RowLoad };
      threadReduce(ctx, op, fold, [partial, o], pv, 1, pin, oe.key, oe.save("acc"), bind(p4 ? `vec4<${pe.store}>` : pe.store, oe.store), t);
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
          COMBINE: fold.combine(t, false),
          COMBINE4: fold.combine(t, true),
          OUT: oe.save("acc"),
          IN_J: rowIndex(rc.input, "inReduced"),
        }),
    };
    ctx.dispatch(shader, [gpuStorage(x), o], params, spread(rows));
    return o;
  };
}

/** argreduce's `beats(v, w)`: v strictly better than w; for floats a NaN beats any number (the CPU's order). */
function beats(t: string, cmp: ">" | "<"): string {
  const body = t === "f32" ? `!isNanF(w) && (isNanF(v) || v ${cmp} w)` : `v ${cmp} w`;
  return `fn beats(v: ${t}, w: ${t}) -> bool { return ${body}; }`;
}

/**
 * argmax / argmin: a workgroup per row merged by a tree (argreduce.wgsl), or on a CPU adapter a
 * thread per row where the row kernels take one (`rowGeometry`: many rows, or short ones). The
 * tree's barriers cost SwiftShader ~70 ms a call over 300 rows of 3 (an accuracy check's argmax)
 * and a pipeline 3× as slow to build.
 */
function argKernel(op: string, cmp: ">" | "<"): GpuKernel {
  return (ctx, [x], attrs, out) => {
    const n = shapeSize(out.shape);
    const o = ctx.alloc(out.dtype, n, op, out.shape);
    if (n === 0) return o;
    const { rows, len, values, rowContiguous } = rowParams(op, x, attrs.axes as number[], false);
    const xe = ctx.elem(x.dtype, op);
    const bindings = storageBindings([{ name: "src", type: xe.store }], { name: "dst", type: "i32" });
    const threadEach = rowGeometry(ctx, rows, len).tpr === 1;
    const shader = threadEach
      ? {
          key: `arg:${op}:${xe.key}${rowContiguous.input ? ":c" : ""}:t1`,
          source: () =>
            kernelShader(ROWS_PARAMS, argThreadTemplate, {
              BINDINGS: bindings,
              OPENING: THREAD_ROW,
              T: xe.value,
              BEATS: beats(xe.value, cmp),
              IN_J: rowIndex(rowContiguous.input, "inReduced"),
            }),
        }
      : {
          key: `arg:${op}:${xe.key}`,
          source: () => kernelShader(ROWS_PARAMS, argTemplate, { BINDINGS: bindings, OPENING: GROUP_ROW, WG, T: xe.value, BEATS: beats(xe.value, cmp) }),
        };
    ctx.dispatch(shader, [gpuStorage(x), o], ROWS_PARAMS.pack(op, values), spread(threadEach ? Math.ceil(rows / 64) : rows));
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
