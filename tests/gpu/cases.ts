/**
 * Generated CPU ≡ WebGPU cases: for every op in the table, inputs of awkward sizes (0, 1, primes,
 * non-multiples of the matmul tile), broadcasting (stride-0 views) and non-contiguous views
 * (transposed, sliced with steps, reversed with negative strides). Shared by the Node test and the
 * headless-Chromium page, so both run the same cases.
 */
import type { DType } from "../../src/lib/tensor/dtype";
import { getOp, type OpDef } from "../../src/lib/ops/registry";
import { isUnsupported, unsupported, type OpName, type Unsupported } from "../../src/lib/ops/names";

/** How an input view is made from its base storage. */
export type ViewKind = "plain" | "T" | "flip" | "step" | "expand" | "offset";

/** One input: final shape, dtype, value range, and how the view is laid over memory. */
export interface InputSpec {
  shape: number[];
  dtype: DType;
  /**
   * "normal": N(0,1); "pos": (0.1, 3); "int": integers in [lo, hi]; "bool": 0/1; "index": [0, hi);
   * "special": N(0,1) with NaN, ±∞, ±0 and negatives mixed in; "extreme": ±3e38 and other big values
   * too (compare.ts).
   */
  values?: "normal" | "pos" | "int" | "bool" | "index" | "unit" | "special" | "extreme";
  lo?: number;
  hi?: number;
  view?: ViewKind;
}

/** One comparison. */
export interface OpCase {
  op: string;
  inputs: InputSpec[];
  attrs: Record<string, unknown>;
  /** Relative/absolute tolerance (default 1e-5 + 1e-4·|x|). */
  rtol?: number;
  atol?: number;
}

const f = (shape: number[], view: ViewKind = "plain", values: InputSpec["values"] = "normal"): InputSpec => ({ shape, dtype: "float32", values, view });
const i = (shape: number[], lo = -9, hi = 9, view: ViewKind = "plain"): InputSpec => ({ shape, dtype: "int32", values: "int", lo, hi, view });
const b = (shape: number[], view: ViewKind = "plain"): InputSpec => ({ shape, dtype: "bool", values: "bool", view });

/** Shapes elementwise cases run over, each with the views tried on it. */
const EW_SHAPES: [number[], ViewKind][] = [
  [[0], "plain"],
  [[1], "plain"],
  [[257], "flip"],
  [[13, 17], "T"],
  [[5, 7, 3], "step"],
  [[4, 6], "expand"],
  [[2, 3, 5, 7], "offset"],
  // More elements than a CPU adapter's capped grid has threads: the grid-stride loop wraps.
  [[70, 301], "plain"],
];

// Input domains come from the op's definition: `positive` test inputs draw from (0.1, 3), and the
// dtype domain says whether int32 and bool inputs are tried too.
const positive = (op: string, i = 0): boolean => getOp(op).testInputs?.[i]?.positive === true;
const takesInt = (op: string): boolean => getOp(op).dtypes === "numeric" || getOp(op).dtypes === "any";
const COMPARE = ["eq", "ne", "lt", "le", "gt", "ge"];

function unaryCases(op: string): OpCase[] {
  const out: OpCase[] = [];
  if (op === "logicalNot") return EW_SHAPES.map(([s, v]) => ({ op, inputs: [b(s, v)], attrs: {} }));
  // sin and cos are webgrad's own (math.wgsl), not the builtins WGSL lets be off by 2⁻¹¹: no wider tolerance.
  for (const [s, v] of EW_SHAPES) out.push({ op, inputs: [f(s, v, positive(op) ? "pos" : "normal")], attrs: {} });
  if (takesInt(op)) out.push({ op, inputs: [i([6, 5], -9, 9, "T")], attrs: {} });
  if (getOp(op).dtypes === "any") out.push({ op, inputs: [b([3, 4], "flip")], attrs: {} });
  return out;
}

function binaryCases(op: string): OpCase[] {
  const out: OpCase[] = [];
  if (getOp(op).dtypes === "bool")
    return [
      { op, inputs: [b([5, 7], "T"), b([5, 7], "flip")], attrs: {} },
      { op, inputs: [b([3, 1]), b([1, 4])], attrs: {} },
    ];
  const lhs = positive(op) ? "pos" : "normal";
  for (const [s, v] of EW_SHAPES) out.push({ op, inputs: [f(s, v, lhs), f(s, "plain")], attrs: {} });
  // broadcasting: [3,1,5] with [4,1] → [3,4,5]; a scalar-like [1] with a transposed matrix
  out.push({ op, inputs: [f([3, 1, 5], "plain", lhs), f([4, 1])], attrs: {} });
  out.push({ op, inputs: [f([1], "plain", lhs), f([6, 11], "T")], attrs: {} });
  if (COMPARE.includes(op)) out.push({ op, inputs: [i([4, 5], -2, 2), i([4, 5], -2, 2)], attrs: {} });
  if (takesInt(op)) {
    const rhs = op === "pow" ? i([4, 5], 0, 4) : op === "div" ? i([4, 5], 1, 5) : i([4, 5], -5, 5, "flip");
    out.push({ op, inputs: [i([4, 5], -9, 9, "T"), rhs], attrs: {} });
  }
  // int32 results that wrap, with products past 2⁵³ (where float64 arithmetic loses the low bits).
  if (op === "mul") out.push({ op, inputs: [i([4, 5], -2e9, 2e9), i([4, 5], -2e9, 2e9, "flip")], attrs: {} });
  if (op === "pow") out.push({ op, inputs: [i([4, 5], -60, 60), i([4, 5], -3, 40)], attrs: {} });
  if (op === "maximum" || op === "minimum" || op === "eq" || op === "ne") out.push({ op, inputs: [b([3, 5]), b([3, 5], "flip")], attrs: {} });
  return out;
}

function reduceCases(op: string): OpCase[] {
  const arg = op === "argmax" || op === "argmin";
  const shapes: [number[], number[], ViewKind][] = [
    [[1], [0], "plain"],
    [[1000], [0], "flip"],
    [[13, 17], [1], "T"],
    [[13, 17], [0], "plain"],
    [[3, 5, 7], [0, 2], "step"],
    [[4, 6, 5], [1], "expand"],
    [[2, 3, 4], [0, 1, 2], "offset"],
    // On a CPU adapter: a thread per row (column sums by one stride, many rows) and the tree (long rows).
    [[130, 70], [0], "plain"],
    [[2, 5001], [1], "plain"],
    // On a CPU adapter, rows split over threads and their partials folded again: rows read as
    // vec4s (a multiple of four from a multiple of four), rows that are not, one stride, a walk.
    [[3, 4096], [1], "plain"],
    [[9003], [0], "plain"],
    [[4097, 3], [0], "plain"],
    [[2, 1030, 3], [0, 1], "T"],
    [[3, 4096], [1], "offset"],
    [[5, 8196], [1], "plain"],
    // Four neighbouring output rows a thread (a column sum, a middle axis), and their fallbacks.
    [[33, 64], [0], "plain"],
    [[5, 12, 8], [1], "plain"],
    [[7, 16], [0], "offset"],
    [[6, 8], [0], "flip"],
    [[1500, 8], [0], "plain"],
    [[3, 2001, 12], [1], "plain"],
    // Contiguous rows that neither start nor end on a multiple of four: vec4 loads with a masked
    // first and last vec4 (rows of 257 at 257·r; 17 from 3 + 17·r; 16 from 3 + 16·r, the shortest).
    [[37, 257], [1], "plain"],
    [[3, 17], [1], "offset"],
    [[5, 16], [1], "offset"],
  ];
  if (!arg) shapes.push([[0, 5], [1], "plain"]);
  if (!arg && op !== "max" && op !== "min") shapes.push([[4, 0], [1], "plain"]);
  const out: OpCase[] = shapes.map(([s, axes, v]) => ({
    op,
    inputs: [f(s, v, op === "prod" ? "unit" : "normal")],
    attrs: { axes, keepdims: false },
    rtol: 1e-4,
    atol: 1e-4,
  }));
  out.push({ op, inputs: [f([5, 3], "plain")], attrs: { axes: [1], keepdims: true } });
  if (op !== "prod") out.push({ op, inputs: [i([7, 9], -20, 20, "T")], attrs: { axes: [1], keepdims: false } });
  if (op !== "prod") out.push({ op, inputs: [i([5, 23], -20, 20)], attrs: { axes: [1], keepdims: false } });
  if (op === "prod") out.push({ op, inputs: [i([5, 12], -3000, 3000)], attrs: { axes: [1], keepdims: false } });
  if (op === "max" || op === "min") out.push({ op, inputs: [b([4, 6])], attrs: { axes: [1], keepdims: false } });
  if (op === "max" || op === "min") out.push({ op, inputs: [b([3, 21])], attrs: { axes: [1], keepdims: false } });
  return out;
}

const cumsumCases = (): OpCase[] => [
  { op: "cumsum", inputs: [f([13, 17], "T")], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-4 },
  { op: "cumsum", inputs: [f([300], "flip")], attrs: { axis: 0 }, rtol: 1e-4, atol: 1e-4 },
  { op: "cumsum", inputs: [f([3, 5, 7], "step")], attrs: { axis: 0 }, rtol: 1e-4, atol: 1e-4 },
  { op: "cumsum", inputs: [i([4, 6], -9, 9)], attrs: { axis: 1 } },
  { op: "cumsum", inputs: [f([0, 3])], attrs: { axis: 1 } },
];

const MM_SIZES: [number, number, number][] = [
  [1, 1, 1],
  [1, 37, 29],
  [7, 5, 3],
  [64, 64, 64],
  [65, 33, 97],
  [130, 71, 67],
  [3, 200, 1],
  [37, 1, 53],
];
const matmulCases = (): OpCase[] => {
  const tol = { rtol: 1e-4, atol: 1e-4 };
  const out: OpCase[] = MM_SIZES.map(([m, k, n]) => ({ op: "matmul", inputs: [f([m, k]), f([k, n])], attrs: {}, ...tol }));
  out.push({ op: "matmul", inputs: [f([33, 19], "T"), f([19, 41], "T")], attrs: {}, ...tol });
  // The vec4 path (K, N multiples of 4): B by rows, B by columns (a transposed weight), A gathered.
  out.push({ op: "matmul", inputs: [f([130, 68]), f([68, 36])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([9, 12]), f([12, 8], "T")], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([37, 20], "T"), f([20, 44], "T")], attrs: {}, ...tol });
  // A transposed (xᵀ·g of a weight gradient: vec4 down A's columns): M % 8 = 4 (the clamped upper half), B by columns, batched.
  out.push({ op: "matmul", inputs: [f([36, 20], "T"), f([20, 44])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([40, 12], "T"), f([12, 8], "T")], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([3, 16, 8], "T"), f([3, 8, 12])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([2, 3, 17, 8]), f([3, 8, 12])], attrs: {}, ...tol });
  // Blocks of several vec4 column groups and row groups per thread (16×16 on a CPU adapter): N past
  // the last full group by 4, 8 and 12 columns, M not a multiple of the block, A transposed with
  // M % 16 = 8, batched, and a 256² product.
  out.push({ op: "matmul", inputs: [f([50, 24]), f([24, 52])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([17, 12]), f([12, 40])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([23, 16]), f([16, 28], "T")], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([24, 16], "T"), f([16, 12])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([3, 20, 8]), f([3, 8, 60])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([256, 256]), f([256, 256])], attrs: {}, rtol: 1e-3, atol: 1e-3 });
  // Threads along rows on a CPU adapter (a partial group of four column blocks, none of row
  // blocks): A by rows, transposed, gathered; B by rows and columns; M and N past the last block; batched.
  out.push({ op: "matmul", inputs: [f([60, 20]), f([20, 36])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([60, 20], "T"), f([20, 36], "T")], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([62, 20], "T"), f([20, 36])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([2, 64, 8]), f([2, 8, 20])], attrs: {}, ...tol });
  // Thin products (N ≤ 8; the CPU adapter's thin vec4 block): attention's probabilities × values,
  // N = 4, rows past a block of 32, a transposed A, B read down its columns.
  out.push({ op: "matmul", inputs: [f([2, 3, 32, 32]), f([2, 3, 32, 8])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([45, 16]), f([16, 4])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([36, 20], "T"), f([20, 8])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([33, 12]), f([12, 8], "T")], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([2, 3, 17, 9]), f([3, 9, 11], "flip")], attrs: {}, ...tol });
  // Short, wide products (M ≤ 8 < N: on a CPU adapter the thin block transposed, then a copy): a
  // head's value gradient as attention's backward takes it (A transposed, batched), M = 4 with B
  // by columns, and M = 6, which keeps the thread-per-output kernel.
  out.push({ op: "matmul", inputs: [f([8, 24]), f([24, 40])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([2, 3, 8, 32], "T"), f([2, 3, 32, 32])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([4, 16]), f([16, 12], "T")], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([6, 16]), f([16, 12])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([4, 5, 6], "expand"), f([6, 7])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([0, 5]), f([5, 3])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [f([4, 0]), f([0, 3])], attrs: {}, ...tol });
  out.push({ op: "matmul", inputs: [i([5, 6], -4, 4), i([6, 7], -4, 4, "T")], attrs: {} });
  out.push({ op: "matmul", inputs: [i([5, 6], -2e9, 2e9), i([6, 7], -2e9, 2e9, "T")], attrs: {} });
  return out;
};

const movementCases = (op: string): OpCase[] => {
  switch (op) {
    case "copy":
      return [
        { op, inputs: [f([7, 5], "T")], attrs: {} },
        { op, inputs: [b([4, 3], "flip")], attrs: {} },
      ];
    case "reshape":
      return [
        { op, inputs: [f([6, 4], "T")], attrs: { shape: [3, 8] } },
        { op, inputs: [i([3, 5], 0, 9, "flip")], attrs: { shape: [15] } },
      ];
    case "permute":
      return [
        { op, inputs: [f([2, 3, 5], "step")], attrs: { axes: [2, 0, 1] } },
        { op, inputs: [b([4, 3])], attrs: { axes: [1, 0] } },
        // Attention's head split (rank 4 after coalescing: the copy's unrolled index split), a
        // reversed view of rank 4, and rank 5 (the copy's generic stridedOffset walk).
        { op, inputs: [f([2, 5, 3, 4])], attrs: { axes: [0, 2, 1, 3] } },
        { op, inputs: [i([3, 2, 4, 5], -9, 9, "flip")], attrs: { axes: [3, 1, 0, 2] } },
        { op, inputs: [f([2, 3, 2, 3, 2], "step")], attrs: { axes: [4, 2, 0, 3, 1] } },
      ];
    case "expand":
      return [
        { op, inputs: [f([1, 5])], attrs: { shape: [3, 4, 5] } },
        { op, inputs: [f([3, 1], "flip")], attrs: { shape: [3, 6] } },
      ];
    case "slice":
      return [
        { op, inputs: [f([10, 9], "T")], attrs: { starts: [1, 8], stops: [9, 0], steps: [3, -2] } },
        { op, inputs: [f([5])], attrs: { starts: [2], stops: [2], steps: [1] } },
      ];
    case "pad":
      return [
        {
          op,
          inputs: [f([3, 4], "T")],
          attrs: {
            pads: [
              [1, 2, 0],
              [0, 1, 2],
            ],
            value: 0,
          },
        },
        {
          op,
          inputs: [i([2, 3], -5, 5, "flip")],
          attrs: {
            pads: [
              [2, 0, 1],
              [1, 1, 0],
            ],
            value: 7,
          },
        },
        {
          op,
          inputs: [f([0, 2])],
          attrs: {
            pads: [
              [1, 1, 0],
              [0, 0, 0],
            ],
            value: 1.5,
          },
        },
      ];
    case "concat":
      return [
        { op, inputs: [f([3, 4], "T"), f([3, 2]), f([3, 5], "flip")], attrs: { axis: 1 } },
        { op, inputs: [i([2, 3]), i([0, 3]), i([1, 3], -9, 9, "step")], attrs: { axis: 0 } },
      ];
    default:
      return [];
  }
};

const castCases = (): OpCase[] => {
  const out: OpCase[] = [];
  for (const from of [f([5, 7], "T"), i([5, 7], -9, 9, "flip"), b([5, 7])]) {
    for (const to of ["float32", "int32", "bool"])
      out.push({ op: "cast", inputs: [{ ...from, values: from.dtype === "float32" ? "int" : from.values, lo: -5, hi: 5 }], attrs: { dtype: to } });
  }
  out.push({ op: "cast", inputs: [f([9, 4], "plain")], attrs: { dtype: "int32" } });
  return out;
};

const whereCases = (): OpCase[] => [
  { op: "where", inputs: [b([4, 5]), f([4, 5], "T"), f([4, 5], "flip")], attrs: {} },
  { op: "where", inputs: [b([3, 1]), f([1, 6]), f([1])], attrs: {} },
  { op: "where", inputs: [b([4, 5], "T"), i([4, 5]), i([4, 5])], attrs: {} },
];

const rowwiseCases = (op: string): OpCase[] => [
  { op, inputs: [f([13, 17], "T")], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([100, 37], "T")], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([67, 5], "flip")], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([3, 1031])], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([7, 300], "flip")], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([5, 6, 4], "step")], attrs: { axis: 0 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([1, 1])], attrs: { axis: 1 } },
  { op, inputs: [f([0, 4])], attrs: { axis: 1 } },
  // 64 rows and more of float32 on a CPU adapter, contiguous, a multiple of four long and aligned:
  // softmax reads them four at a time (strided rows too); an offset of 3 is not aligned.
  { op, inputs: [f([96, 32])], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([2, 40, 16])], attrs: { axis: 2 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([70, 8], "step")], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([64, 12], "offset")], attrs: { axis: 1 }, rtol: 1e-4, atol: 1e-5 },
  { op, inputs: [f([64, 20], "plain", "special")], attrs: { axis: 1 } },
];

// Rows below 64 take a workgroup per row (tree or subgroup merge); 64 and more on a CPU adapter
// take a thread per row; rows longer than a workgroup, and short ones (8 threads per row).
const layerNormCases = (): OpCase[] => {
  const tol = { rtol: 1e-4, atol: 1e-4 };
  return [
    { op: "layerNorm", inputs: [f([13, 17], "T")], attrs: { dims: 1, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([7, 300], "flip")], attrs: { dims: 1, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([5, 6, 4], "step")], attrs: { dims: 2, eps: 1e-3 }, ...tol },
    { op: "layerNorm", inputs: [f([2, 3, 5], "offset")], attrs: { dims: 3, eps: 0.1 }, ...tol },
    { op: "layerNorm", inputs: [f([3, 1031])], attrs: { dims: 1, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([100, 37], "T")], attrs: { dims: 1, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([67, 5])], attrs: { dims: 1, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([1, 1])], attrs: { dims: 1, eps: 1e-5 } },
    { op: "layerNorm", inputs: [f([0, 4])], attrs: { dims: 1, eps: 1e-5 } },
    // Rows four elements a load (64 rows and more of float32, contiguous, aligned), strided rows
    // too; an offset of 3 is not aligned.
    { op: "layerNorm", inputs: [f([96, 32])], attrs: { dims: 1, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([2, 40, 4, 4])], attrs: { dims: 2, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([70, 8], "step")], attrs: { dims: 1, eps: 1e-5 }, ...tol },
    { op: "layerNorm", inputs: [f([64, 12], "offset")], attrs: { dims: 1, eps: 1e-5 }, ...tol },
  ];
};

/** Class indices in [0, c) for n rows; with ignoreIndex 2 some rows are ignored. */
const classes = (n: number, c: number, view: ViewKind = "plain"): InputSpec => ({ shape: [n], dtype: "int32", values: "index", hi: c, view });

const crossEntropyCases = (op: string): OpCase[] => {
  const tol = { rtol: 1e-4, atol: 1e-5 };
  const sizes: [number, number, "mean" | "sum" | "none", ViewKind][] = [
    [13, 17, "mean", "T"],
    [7, 300, "sum", "flip"],
    [100, 10, "none", "plain"],
    [70, 5, "mean", "step"],
    [300, 257, "mean", "plain"],
    [300, 257, "sum", "T"],
    [1, 1, "mean", "plain"],
    [0, 4, "sum", "plain"],
    [0, 4, "none", "plain"],
  ];
  return sizes.map(([n, c, reduction, view], k) => {
    const g = op === "crossEntropyGrad" ? [f(reduction === "none" ? [n] : [])] : [];
    return { op, inputs: [f([n, c], view), classes(n, c, k % 2 ? "flip" : "plain"), ...g], attrs: { ignoreIndex: k % 3 === 0 ? 2 : -100, reduction }, ...tol };
  });
};

const indexCases = (op: string): OpCase[] =>
  op === "gather"
    ? [
        { op, inputs: [f([5, 7], "T"), { shape: [5, 3], dtype: "int32", values: "index", hi: 7 }], attrs: { axis: 1 } },
        { op, inputs: [f([6, 4]), { shape: [9, 4], dtype: "int32", values: "index", hi: 6, view: "flip" }], attrs: { axis: 0 } },
        { op, inputs: [i([3, 4, 5]), { shape: [2, 4, 2], dtype: "int32", values: "index", hi: 5 }], attrs: { axis: 2 } },
        // The index space after coalescing: rank 0 (one element), 1, 4 (the last split in
        // straight-line code) and 5 (stridedOffset's loop: no two dims merge across the views).
        { op, inputs: [f([4, 1]), { shape: [1, 1], dtype: "int32", values: "index", hi: 4 }], attrs: { axis: 0 } },
        { op, inputs: [f([7]), { shape: [12], dtype: "int32", values: "index", hi: 7 }], attrs: { axis: 0 } },
        { op, inputs: [f([2, 3, 4, 5], "step"), { shape: [2, 3, 2, 5], dtype: "int32", values: "index", hi: 4 }], attrs: { axis: 2 } },
        { op, inputs: [f([3, 2, 4, 3, 5], "step"), { shape: [3, 2, 2, 3, 5], dtype: "int32", values: "index", hi: 4, view: "T" }], attrs: { axis: 2 } },
      ]
    : [
        { op, inputs: [f([5, 7], "T"), { shape: [5, 9], dtype: "int32", values: "index", hi: 7 }, f([5, 9])], attrs: { axis: 1 }, rtol: 1e-5, atol: 1e-5 },
        { op, inputs: [f([4, 3]), { shape: [20, 3], dtype: "int32", values: "index", hi: 4 }, f([20, 3], "flip")], attrs: { axis: 0 }, rtol: 1e-5, atol: 1e-5 },
        { op, inputs: [i([4, 3]), { shape: [6, 2], dtype: "int32", values: "index", hi: 4 }, i([7, 3])], attrs: { axis: 0 } },
        // Coalesced index spaces of rank 1, 4 and 5 (as gather's).
        { op, inputs: [f([6]), { shape: [15], dtype: "int32", values: "index", hi: 6 }, f([15], "flip")], attrs: { axis: 0 }, rtol: 1e-5, atol: 1e-5 },
        {
          op,
          inputs: [f([2, 3, 4, 5]), { shape: [2, 3, 6, 5], dtype: "int32", values: "index", hi: 4 }, f([2, 3, 6, 5], "step")],
          attrs: { axis: 2 },
          rtol: 1e-5,
          atol: 1e-5,
        },
        {
          op,
          inputs: [f([3, 2, 4, 3, 5]), { shape: [3, 2, 5, 3, 5], dtype: "int32", values: "index", hi: 4, view: "T" }, f([3, 2, 5, 3, 5], "step")],
          attrs: { axis: 2 },
          rtol: 1e-5,
          atol: 1e-5,
        },
      ];

const randomCases = (): OpCase[] => [
  { op: "random", inputs: [], attrs: { shape: [1000], dtype: "float32", seed: 42, offset: 0, dist: "uniform" } },
  { op: "random", inputs: [], attrs: { shape: [33, 31], dtype: "float32", seed: 2 ** 33 + 7, offset: 2 ** 32 - 5, dist: "normal" }, rtol: 1e-3, atol: 1e-3 },
  { op: "random", inputs: [], attrs: { shape: [0], dtype: "float32", seed: 1, offset: 0, dist: "normal" } },
];

const win = (k: number[], s: number[], p: number[], d: number[]) => ({ kernel: k, stride: s, padding: p, dilation: d });
const convCases = (op: string): OpCase[] =>
  op === "unfold"
    ? [
        { op, inputs: [f([2, 3, 7, 6], "step")], attrs: win([3, 2], [2, 1], [1, 0], [1, 2]) },
        { op, inputs: [f([1, 1, 5, 5])], attrs: win([5, 5], [1, 1], [0, 0], [1, 1]) },
      ]
    : [
        { op, inputs: [f([2, 18, 16], "flip")], attrs: { ...win([3, 2], [2, 1], [1, 0], [1, 2]), outputSize: [7, 6] }, rtol: 1e-5, atol: 1e-5 },
        { op, inputs: [f([1, 4, 9])], attrs: { ...win([2, 2], [1, 1], [0, 0], [1, 1]), outputSize: [4, 4] }, rtol: 1e-5, atol: 1e-5 },
      ];

/** Cases of one op, given its name. */
type CaseGen = (op: string) => OpCase[];

/**
 * The CPU ≡ WebGPU case generator of every op of the table (or why it has none), typed over every
 * op name: a new op does not compile until it has GPU cases or an unsupported entry.
 */
export const GPU_CASES = {
  neg: unaryCases,
  abs: unaryCases,
  exp: unaryCases,
  log: unaryCases,
  log1p: unaryCases,
  sqrt: unaryCases,
  rsqrt: unaryCases,
  sin: unaryCases,
  cos: unaryCases,
  tanh: unaryCases,
  sigmoid: unaryCases,
  relu: unaryCases,
  gelu: unaryCases,
  gelu_tanh: unaryCases,
  silu: unaryCases,
  square: unaryCases,
  reciprocal: unaryCases,
  erf: unaryCases,
  sign: unaryCases,
  floor: unaryCases,
  ceil: unaryCases,
  round: unaryCases,
  logicalNot: unaryCases,
  identity: unaryCases,
  stopGradient: unaryCases,
  add: binaryCases,
  sub: binaryCases,
  mul: binaryCases,
  div: binaryCases,
  pow: binaryCases,
  atan2: binaryCases,
  maximum: binaryCases,
  minimum: binaryCases,
  eq: binaryCases,
  ne: binaryCases,
  lt: binaryCases,
  le: binaryCases,
  gt: binaryCases,
  ge: binaryCases,
  logicalAnd: binaryCases,
  logicalOr: binaryCases,
  logicalXor: binaryCases,
  where: whereCases,
  cast: castCases,
  sum: reduceCases,
  max: reduceCases,
  min: reduceCases,
  prod: reduceCases,
  argmax: reduceCases,
  argmin: reduceCases,
  cumsum: cumsumCases,
  matmul: matmulCases,
  reshape: movementCases,
  permute: movementCases,
  expand: movementCases,
  slice: movementCases,
  pad: movementCases,
  concat: movementCases,
  copy: movementCases,
  noGradWrite: unsupported("always a view of its first input: no kernel runs on either backend"),
  softmax: rowwiseCases,
  logSoftmax: rowwiseCases,
  layerNorm: layerNormCases,
  crossEntropy: crossEntropyCases,
  crossEntropyGrad: crossEntropyCases,
  gather: indexCases,
  scatterAdd: indexCases,
  random: randomCases,
  unfold: convCases,
  fold: convCases,
} satisfies { readonly [K in OpName]: CaseGen | Unsupported };

/** Ops with a CPU kernel but, on purpose, no CPU ≡ WebGPU cases: name → reason (the unsupported entries of {@link GPU_CASES}). */
export const PENDING_GPU_OPS: Record<string, string> = Object.fromEntries(
  Object.entries(GPU_CASES).flatMap(([op, g]) => (isUnsupported(g) ? [[op, g.unsupported]] : [])),
);

function float32Cases(op: OpDef): OpCase[] {
  const gen: CaseGen | Unsupported | undefined = (GPU_CASES as Readonly<Partial<Record<string, CaseGen | Unsupported>>>)[op.name];
  return gen === undefined || isUnsupported(gen) ? [] : gen(op.name);
}

/** Tolerance of a float16 result: a half has 11 significant bits (one step is 2⁻¹⁰ relative). */
const HALF_TOL = { rtol: 2e-3, atol: 2e-3 };

/** True when the case reads or writes float16. */
export const isHalfCase = (c: OpCase): boolean => c.inputs.some((s) => s.dtype === "float16") || c.attrs.dtype === "float16";

/** Indices of the first, middle and last of `n` items (fewer when n < 3). */
const firstMiddleLast = (n: number): number[] => [...new Set([0, n >> 1, n - 1])].filter((k) => k >= 0 && k < n);

/** A case with every float32 input (and a float32 `dtype` attribute) made float16, at half's tolerance. */
function toHalf(c: OpCase): OpCase {
  return {
    ...c,
    inputs: c.inputs.map((s) => (s.dtype === "float32" ? { ...s, dtype: "float16" as const } : s)),
    attrs: c.attrs.dtype === "float32" ? { ...c.attrs, dtype: "float16" } : c.attrs,
    rtol: Math.max(c.rtol ?? 0, HALF_TOL.rtol),
    atol: Math.max(c.atol ?? 0, HALF_TOL.atol),
  };
}

/**
 * float16 variants of an op's cases: its float32 cases with every float32 input (and a float32
 * `dtype` attribute) made float16 — three of them spread over the list (the first, usually an empty
 * or size-1 shape, one from the middle and the last), all of matmul's (a kernel per layout) — plus
 * casts to and from float16.
 */
function halfCases(op: OpDef, base: OpCase[]): OpCase[] {
  const floats = base.filter((c) => c.inputs.some((s) => s.dtype === "float32") || c.attrs.dtype === "float32");
  // matmul has a kernel per layout and size class: every one of them in float16 too.
  const picks = op.name === "matmul" ? floats.map((_, k) => k) : firstMiddleLast(floats.length);
  const out = picks.map((k) => toHalf(floats[k]));
  if (op.name === "cast") {
    for (const to of ["float32", "int32", "bool", "float16"])
      out.push({ op: "cast", inputs: [{ shape: [5, 7], dtype: "float16", values: "normal", view: "T" }], attrs: { dtype: to } });
    // float32 → float16 rounds, and overflows past 65504 to ±inf (values up to ±1e5).
    out.push({ op: "cast", inputs: [{ shape: [9, 11], dtype: "float32", values: "int", lo: -100000, hi: 100000 }], attrs: { dtype: "float16" }, ...HALF_TOL });
    out.push({ op: "cast", inputs: [i([4, 6], -3000, 3000, "flip")], attrs: { dtype: "float16" } });
  }
  return out;
}

/**
 * Each op's special-value cases: its float32 cases (the first, a middle one and the last; the first
 * in float16 too) with every float32 input drawn as "special": NaN, ±∞, ±0 and negatives mixed into
 * normal values ("extreme", with ±3e38, for elementwise ops). WGSL lets a compiler assume finite
 * math, so each kernel must pin these to the CPU's IEEE answers itself (shaders/math.wgsl).
 * Non-finite results compare equal only when both are the same.
 */
function specialCases(op: OpDef, base: OpCase[]): OpCase[] {
  const floats = base.filter((c) => c.inputs.some((s) => s.dtype === "float32"));
  const elementwise = ["unary", "binary", "ternary", "cast"].includes(op.category);
  const picks = firstMiddleLast(floats.length);
  const special = picks.map((k) => ({
    ...floats[k],
    inputs: floats[k].inputs.map((s) => (s.dtype === "float32" ? { ...s, values: elementwise ? ("extreme" as const) : ("special" as const) } : s)),
  }));
  // The first once more in float16 (±3e38 is ±∞ there; NaN and ∞ survive its rounding).
  return [...special, ...special.slice(0, 1).map(toHalf)];
}

/** The cases for one op (empty when nothing generates them: the coverage test reports that). */
export function casesFor(op: OpDef): OpCase[] {
  const base = float32Cases(op);
  return [...base, ...halfCases(op, base), ...specialCases(op, base)];
}
