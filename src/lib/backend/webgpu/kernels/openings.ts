/**
 * WGSL openings that several kernels share: the first lines of `main` reading the parameters
 * every kernel of a family needs (through `slot`, see ./layouts), and helper functions two
 * kernels define alike. Kernels take them through a template placeholder ({{OPENING}}, {{MERGE}}).
 */

import { unrolledOffsets, UNROLLED_RANK } from "../codegen";

/** Matmul, every variant: the sizes. */
export const MATMUL_SIZES = `  let M = PU(slot.M);
  let N = PU(slot.N);
  let K = PU(slot.K);`;

/**
 * Batch dims a matmul kernel indexes without a loop, after coalescing ({@link matmulBatchBases}):
 * its offset formula is written for exactly this many.
 */
export const MATMUL_BATCH_RANK = 2;

/**
 * Where A's and B's batch `batch` starts (`aBase`, `bBase`). Up to MATMUL_BATCH_RANK coalesced
 * batch dims (every product in the examples), the batch dims are packed as exactly two, size-1
 * dims of stride 0 in front (kernels/matmul.ts), and the offset is one division and one remainder
 * away; past that, `stridedOffset`'s loop. On SwiftShader those two loops were a third of a small
 * product's pipeline build (docs/WEBGPU_TUNING.md). The kernel's key names the form
 * ({@link matmulBatchKey}).
 */
export function matmulBatchBases(batchRank: number, batch: string): string {
  if (batchRank > MATMUL_BATCH_RANK) return ["a", "b"].map((v) => `  let ${v}Base = stridedOffset(slot.batchDims.at, slot.${v}Batch.at, ${batch});`).join("\n");
  const base = (v: string) =>
    `P(slot.${v}Batch.offset) + i32(${batch} / batchN1) * P(slot.${v}Batch.strides[0]) + i32(${batch} % batchN1) * P(slot.${v}Batch.strides[1])`;
  return [`  let batchN1 = PU(slot.batchDims.sizes[1]);`, ...["a", "b"].map((v) => `  let ${v}Base = ${base(v)};`)].join("\n");
}

/** The part of a matmul kernel's key that names its batch form (`matmulBatchBases`). */
export function matmulBatchKey(batchRank: number): string {
  return batchRank <= MATMUL_BATCH_RANK ? "b2" : "bn";
}

/**
 * The tiled, register and vec4 matmuls (a workgroup's z is its batch): sizes, where A's and B's
 * batch starts (for `batchRank` batch dims), and their row and column strides.
 */
export function matmulOpening(batchRank: number): string {
  return `${MATMUL_SIZES}
  let batch = wid.z;
${matmulBatchBases(batchRank, "batch")}
  let sAm = P(slot.aRowStride);
  let sAk = P(slot.aColStride);
  let sBk = P(slot.bRowStride);
  let sBn = P(slot.bColStride);`;
}

/**
 * A reduction over the rows layout (reduce, argreduce, cumsum): this invocation's `row` (`row` is
 * the WGSL giving it: a workgroup per row, or a thread per row), returning when past the last,
 * the row length and where the row starts in the input.
 */
export function rowsOpening(row: string): string {
  return `  let row = ${row};
  if (row >= PU(slot.rows)) { return; }
  let len = PU(slot.len);
  let base = stridedOffset(slot.keptDims.at, slot.inKept.at, row);`;
}

/** The row kernels (softmax, layerNorm, crossEntropy): rows, row length, and this thread's place among the TPR of its row. */
export const ROW_THREADS = `  let rows = PU(slot.rows);
  let len = PU(slot.len);
  let t = lid % TPR;`;

/**
 * softmax and layerNorm: ROW_THREADS, then this thread's row (rows past the last still merge,
 * so they take the last row's place), and where it starts in the input (`ib`) and output (`ob`).
 */
export const ROW_OPENING = `${ROW_THREADS}
  let row = groupId(wid, nwg) * RPW + lid / TPR;
  let live = row < rows;
  let ib = stridedOffset(slot.keptDims.at, slot.inKept.at, min(row, rows - 1u));
  let ob = stridedOffset(slot.keptDims.at, slot.outKept.at, min(row, rows - 1u));`;

/**
 * Row kernels that read their rows four elements at a time (rows.ts `rowsByFour`: a thread per
 * row): ROW_OPENING, then an early return past the last row (no other thread to merge with), and
 * the row's start in vec4s in the input (`i4`) and the output (`o4`), and its length (`n4`).
 */
export const ROW4_OPENING = `${ROW_OPENING}
  if (!live) { return; }
  let i4 = u32(ib) / 4u;
  let o4 = u32(ob) / 4u;
  let n4 = len / 4u;`;

/** softmax and crossEntropy: merge two (max, Σ exp(x − max)) states (x, y of a vec4), the online-softmax rule. */
export const ONLINE_SOFTMAX_MERGE = `fn merge(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  let m = maxf(a.x, b.x);
  if (m == negInf()) { return vec4<f32>(m, 0.0, 0.0, 0.0); }
  return vec4<f32>(m, a.y * expf(a.x - m) + b.y * expf(b.x - m), 0.0, 0.0);
}`;

/**
 * gather and scatterAdd (a thread per index element `i` of an index space of `rank` coalesced
 * dims): return when past the last, then the axis size, `<name>At` for each view block `slot.<name>`
 * in `views` (its offset at element `i`: straight-line code up to UNROLLED_RANK, see
 * unrolledOffsets), and the index `k` read through the index view.
 */
export function indexOpening(rank: number, views: readonly string[]): string {
  const unrolled = rank <= UNROLLED_RANK ? unrolledOffsets(rank) : null;
  const at = (v: string) => (unrolled ? unrolled.offset(`slot.${v}`) : `stridedOffset(slot.dims.at, slot.${v}.at, i)`);
  return [
    "  let i = groupId(wid, nwg) * 256u + lid;",
    "  if (i >= PU(slot.count)) { return; }",
    "  let size = P(slot.axisSize);",
    ...(unrolled?.lines ?? []),
    ...["index", ...views].map((v) => `  let ${v}At = ${at(v)};`),
    "  let k = idx[indexAt];",
  ].join("\n");
}
