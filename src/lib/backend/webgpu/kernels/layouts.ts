/**
 * Every kernel family's parameters, declared once: each layout packs the parameter block in
 * TypeScript and generates the `slot` constant its WGSL reads (see ../params). Fields sit in
 * declaration order.
 */
import { array, dims, paramLayout, record, view, PARAM_SLOTS, type ArrayField, type ParamLayout, type ParamFields } from "../params";

/** Strided copy (shaders/copy.wgsl): element i of the index space goes from `src` to `dst`. */
export const COPY_PARAMS = paramLayout("COPY_PARAMS in kernels/layouts.ts", {
  count: "u32",
  dims,
  src: view,
  dst: view,
});

/** Fill (shaders/fill.wgsl): the first `count` elements get `value` (the element type's bits: `f32Bits` for floats). */
export const FILL_PARAMS = paramLayout("FILL_PARAMS in kernels/layouts.ts", {
  count: "u32",
  value: "i32",
});

/** Inputs an elementwise kernel reads at most (a fused region's too: WebGPU guarantees 8 storage buffers per stage, one is the output). */
export const MAX_ELEMENTWISE_INPUTS = 7;

const ELEMENTWISE_FIELDS = { count: "u32", dims, inputs: array(view, MAX_ELEMENTWISE_INPUTS) } as const;
const elementwiseLayouts = new Map<number, ParamLayout<typeof ELEMENTWISE_FIELDS>>();

/**
 * Elementwise kernels, plain and fused (shaders/elementwise.wgsl): `count` elements over the
 * output's `dims`, and a view of each input over them. One layout per input count, so the
 * generated WGSL names only the views a kernel has.
 */
export function elementwiseParams(inputs: number): ParamLayout<typeof ELEMENTWISE_FIELDS> {
  const n = Math.max(1, inputs);
  if (n > MAX_ELEMENTWISE_INPUTS) throw new Error(`elementwise kernels read at most ${MAX_ELEMENTWISE_INPUTS} inputs, got ${n}`);
  let l = elementwiseLayouts.get(n);
  if (!l) elementwiseLayouts.set(n, (l = paramLayout("elementwiseParams in kernels/layouts.ts", { ...ELEMENTWISE_FIELDS, inputs: array(view, n) })));
  return l;
}

/**
 * The "rows" layout of reductions, cumsum, softmax, layerNorm and crossEntropy (kernels/rows.ts):
 * the input seen as `rows` rows over the kept axes, each of `len` elements over the reduced axes.
 * `inKept`/`inReduced` view the input over each; `outKept`/`outReduced` the output, for ops whose
 * output keeps the input's shape.
 */
export const ROWS_PARAMS = paramLayout("ROWS_PARAMS in kernels/layouts.ts", {
  rows: "u32",
  len: "u32",
  keptDims: dims,
  reducedDims: dims,
  inKept: view,
  inReduced: view,
  outKept: view,
  outReduced: view,
});

/**
 * Reductions on a CPU adapter (shaders/reduce_thread.wgsl): the rows layout, and `splits` threads
 * per row, each folding every splits-th element into its own partial (kernels/reduce.ts).
 */
export const REDUCE_SPLIT_PARAMS = ROWS_PARAMS.extend("REDUCE_SPLIT_PARAMS in kernels/layouts.ts", { splits: "u32" });

/** layerNorm: the rows layout and ε. */
export const LAYER_NORM_PARAMS = ROWS_PARAMS.extend("LAYER_NORM_PARAMS in kernels/layouts.ts", { eps: "f32" });

/**
 * crossEntropy and its gradient: the rows layout of the logits, the ignored target, the targets'
 * offset and stride, and (gradient) the incoming gradient's.
 */
export const CROSS_ENTROPY_PARAMS = ROWS_PARAMS.extend("CROSS_ENTROPY_PARAMS in kernels/layouts.ts", {
  ignoreIndex: "i32",
  targetOffset: "i32",
  targetStride: "i32",
  gradOffset: "i32",
  gradStride: "i32",
});

/** Epilogue inputs a matmul reads at most (with A, B and C: the 8 storage buffers WebGPU guarantees). */
export const MAX_MATMUL_EPILOGUE_INPUTS = 5;

/**
 * Matmul C[b] = A[b]·B[b] (shaders/matmul*.wgsl): sizes, the batch index space and each
 * operand's view over it, the row and column strides of A and B, and the 2-D view of each
 * epilogue input at C's [row, col] (kernels/fused.ts).
 */
export const MATMUL_PARAMS = paramLayout("MATMUL_PARAMS in kernels/layouts.ts", {
  M: "u32",
  N: "u32",
  K: "u32",
  batches: "u32",
  batchDims: dims,
  aBatch: view,
  bBatch: view,
  aRowStride: "i32",
  aColStride: "i32",
  bRowStride: "i32",
  bColStride: "i32",
  epilogue: array(record("EpilogueInput", { offset: "i32", rowStride: "i32", colStride: "i32" }), MAX_MATMUL_EPILOGUE_INPUTS),
});

/**
 * gather (shaders/gather.wgsl): `count` outputs over the index tensor's `dims`; x's view with the
 * axis stride zeroed, the index view, and x's stride and size along the axis.
 */
export const GATHER_PARAMS = paramLayout("GATHER_PARAMS in kernels/layouts.ts", {
  count: "u32",
  dims,
  x: view,
  index: view,
  axisStride: "i32",
  axisSize: "i32",
});

/** scatterAdd (shaders/scatter_add.wgsl): gather's layout (x is the output) and the source's view. */
export const SCATTER_ADD_PARAMS = GATHER_PARAMS.extend("SCATTER_ADD_PARAMS in kernels/layouts.ts", { src: view });

/** Counter-based random numbers (shaders/random.wgsl): the 64-bit key and counter offset as 32-bit halves. */
export const RANDOM_PARAMS = paramLayout("RANDOM_PARAMS in kernels/layouts.ts", {
  count: "u32",
  keyLo: "u32",
  keyHi: "u32",
  counterLo: "u32",
  counterHi: "u32",
});

/**
 * unfold and fold (shaders/unfold.wgsl, fold.wgsl): `count` threads, the image's channels and
 * size, the window (kernel, stride, padding, dilation per axis), the output width and column
 * count, and the source's offset and strides (4 for unfold's image, 3 for fold's columns).
 */
export const WINDOW_PARAMS = paramLayout("WINDOW_PARAMS in kernels/layouts.ts", {
  count: "u32",
  channels: "u32",
  height: "i32",
  width: "i32",
  kernelH: "i32",
  kernelW: "i32",
  strideH: "i32",
  strideW: "i32",
  padH: "i32",
  padW: "i32",
  dilationH: "i32",
  dilationW: "i32",
  outW: "i32",
  cols: "u32",
  srcOffset: "i32",
  srcStrides: array("i32", 4),
});

/** A multi-output member's read of one input: offset, row stride, column stride, columns (a rank ≤ 2 view). */
export const MULTI_READ = record("MultiRead", { offset: "i32", rowStride: "i32", colStride: "i32", cols: "u32" });
/** A multi-output reduction member's input: offset, stride per output, stride along the reduced run, its length. */
export const MULTI_SUM = record("MultiSum", { offset: "i32", outStride: "i32", reducedStride: "i32", reducedLen: "u32" });

/** The fields of a multi-output kernel's layout. */
export type MultiFields = { total: "u32"; ends: ArrayField<"u32">; reads: ArrayField<typeof MULTI_READ>; sums: ArrayField<typeof MULTI_SUM> };

/**
 * A multi-output fused kernel (shaders/fused_multi.wgsl) of `members` members reading `reads`
 * inputs elementwise and `sums` reduced: the total index count, each member's end in the
 * concatenated index space, then the views. Null when they do not fit in the block.
 */
export function multiParams(members: number, reads: number, sums: number): ParamLayout<MultiFields> | null {
  const fields: MultiFields = { total: "u32", ends: array("u32", members), reads: array(MULTI_READ, reads), sums: array(MULTI_SUM, sums) };
  const size = 1 + members + 4 * (reads + sums);
  return size > PARAM_SLOTS ? null : paramLayout("multiParams in kernels/layouts.ts", fields);
}

/** Every fixed layout, by name (tests check that each one's WGSL and packing agree). */
export const PARAM_LAYOUTS: Readonly<Record<string, ParamLayout<ParamFields>>> = {
  COPY_PARAMS,
  FILL_PARAMS,
  elementwise1: elementwiseParams(1),
  elementwise3: elementwiseParams(3),
  elementwise7: elementwiseParams(7),
  ROWS_PARAMS,
  REDUCE_SPLIT_PARAMS,
  LAYER_NORM_PARAMS,
  CROSS_ENTROPY_PARAMS,
  MATMUL_PARAMS,
  GATHER_PARAMS,
  SCATTER_ADD_PARAMS,
  RANDOM_PARAMS,
  WINDOW_PARAMS,
  multi: multiParams(3, 4, 1)!,
  multiNoSums: multiParams(2, 3, 0)!,
};
