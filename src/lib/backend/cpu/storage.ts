/** CPU storage: a typed array, with live bytes counted for the memory tests and panels. */
import type { Backend, Storage, StridedView } from "../backend";
import { allocArray, type DType, type TypedArray } from "../../tensor/dtype";
import { roundToFloat16 } from "../../tensor/float16";
import { shapeSize } from "../../tensor/shape";

/** Storage held in a typed array on the CPU. */
export class CpuStorage implements Storage {
  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly data: TypedArray,
  ) {
    // Registering with a FinalizationRegistry costs more than a small op itself (GC weak cells),
    // so by default only storages of TRACK_MIN_BYTES or more are counted.
    if (data.byteLength >= tracking.minBytes) {
      memory.liveBytes += data.byteLength;
      memory.liveStorages++;
      registry.register(this, data.byteLength);
    }
  }
  get length(): number {
    return this.data.length;
  }
}

const memory = { liveBytes: 0, liveStorages: 0 };
const registry = new FinalizationRegistry<number>((bytes) => {
  memory.liveBytes -= bytes;
  memory.liveStorages--;
});

const tracking = { minBytes: 1024 };

/**
 * Bytes and storages held by live CPU tensors, updated as the garbage collector frees them.
 * By default only storages of at least 1 KiB are counted (tracking every small one would cost more
 * than the ops); call `setCpuMemoryTracking("all")` first to count every storage, as the memory tests do.
 */
export function cpuMemory(): { liveBytes: number; liveStorages: number } {
  return { ...memory };
}

/** Count every CPU storage ("all") or only those of at least 1 KiB ("large", the default). */
export function setCpuMemoryTracking(mode: "all" | "large"): void {
  tracking.minBytes = mode === "all" ? 0 : 1024;
}

/** True when a view covers its storage in row-major order from its offset (offset + i). */
export function isContiguous(v: StridedView): boolean {
  let expect = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i];
    if (d !== 1 && v.strides[i] !== expect) return false;
    expect *= d;
  }
  return true;
}

/**
 * Walks views of one shape row by row (rows along the last dimension), allocating nothing per
 * element: calls `row(start, offsets)` with the row's first element index in row-major order and
 * each view's storage offset of that element (one array, updated between calls). A kernel then
 * steps along the row by each view's last stride. Rank 0 is one row of one element.
 */
export function forEachRow(views: readonly StridedView[], row: (start: number, offsets: readonly number[]) => void): void {
  const shape = views[0].shape,
    rank = shape.length,
    n = shapeSize(shape);
  if (n === 0) return;
  const offsets = views.map((v) => v.offset);
  if (rank === 0) return row(0, offsets);
  const length = shape[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  for (let start = 0; start < n; start += length) {
    row(start, offsets);
    // carry into the higher dimensions
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < views.length; k++) offsets[k] += views[k].strides[d];
      if (idx[d] < shape[d]) break;
      for (let k = 0; k < views.length; k++) offsets[k] -= views[k].strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** A view's stride along its last dimension (0 for rank 0): how `forEachRow`'s rows step. */
export function lastStride(v: StridedView): number {
  return v.strides.length > 0 ? v.strides[v.strides.length - 1] : 0;
}

/**
 * Element offsets of a strided view in row-major order, or null when the view is contiguous
 * (then offsets are `offset + i`), row by row (`forEachRow`): no division per element.
 */
export function viewOffsets(v: StridedView): Int32Array | null {
  if (isContiguous(v)) return null;
  const out = new Int32Array(shapeSize(v.shape));
  // Not contiguous, so rank ≥ 1.
  const length = v.shape[v.shape.length - 1],
    s = lastStride(v);
  forEachRow([v], (start, [off]) => {
    for (let j = 0; j < length; j++) out[start + j] = off + j * s;
  });
  return out;
}

/** Copy a view into a new contiguous typed array of the same dtype (or `dtype` when given). */
export function gather(v: StridedView, dtype: DType = v.dtype): TypedArray {
  const src = (v.storage as CpuStorage).data;
  const n = shapeSize(v.shape);
  const out = allocArray(dtype, n);
  const offs = viewOffsets(v);
  if (offs === null) {
    if (dtype === v.dtype) out.set(src.subarray(v.offset, v.offset + n) as never);
    else for (let i = 0; i < n; i++) out[i] = src[v.offset + i];
  } else {
    for (let i = 0; i < n; i++) out[i] = src[offs[i]];
  }
  return dtype === "float16" && v.dtype !== "float16" ? roundToFloat16(out) : out;
}
