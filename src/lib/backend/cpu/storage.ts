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

/** True when a view covers its storage in row-major order from offset 0… offset+size. */
function isContiguous(v: StridedView): boolean {
  let expect = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i];
    if (d !== 1 && v.strides[i] !== expect) return false;
    expect *= d;
  }
  return true;
}

/**
 * Element offsets of a strided view in row-major order, or null when the view is contiguous
 * (then offsets are `offset + i`). Odometer walk: no division per element.
 */
export function viewOffsets(v: StridedView): Int32Array | null {
  if (isContiguous(v)) return null;
  const shape = v.shape,
    strides = v.strides,
    rank = shape.length;
  const n = shapeSize(shape);
  const out = new Int32Array(n);
  if (n === 0) return out;
  const idx = new Array<number>(rank).fill(0);
  let off = v.offset;
  const last = rank - 1,
    lastDim = shape[last],
    lastStride = strides[last];
  for (let i = 0; i < n;) {
    for (let j = 0; j < lastDim; j++) out[i++] = off + j * lastStride;
    // carry into the higher dimensions
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
      d--;
    }
  }
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
