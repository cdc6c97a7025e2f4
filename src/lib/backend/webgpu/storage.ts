/**
 * GPU storage: a pooled buffer holding elements of one dtype (bool as u32, float16 as f16 where
 * the adapter has shader-f16). When the storage
 * becomes unreachable a FinalizationRegistry returns its buffer to the pool; commands that still
 * use it hold the storage itself, so a buffer never returns while queued work needs it.
 */
import type { Backend, Storage } from "../backend";
import type { DType } from "../../tensor/dtype";
import type { BufferPool } from "./pool";

/** Storage in a GPU buffer. */
export class GpuStorage implements Storage {
  /** Commands queued but not yet submitted that use this storage (dispose waits for them). */
  pendingUses = 0;
  /** True once the buffer went back to the pool. */
  released = false;
  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly length: number,
    readonly buffer: GPUBuffer,
    readonly pool: BufferPool,
    /** Bytes per element: 4 (f32, i32, bool as u32), 2 for float16 held as f16. */
    readonly itemBytes: number = 4,
  ) {
    finalizer.register(this, { buffer, pool }, this);
  }
  /** Bytes the elements take. */
  get byteLength(): number {
    return this.length * this.itemBytes;
  }
  /** Return the buffer to the pool now (the storage must not be used afterwards). */
  release(): void {
    if (this.released) return;
    this.released = true;
    finalizer.unregister(this);
    this.pool.release(this.buffer);
  }
}

const finalizer = new FinalizationRegistry<{ buffer: GPUBuffer; pool: BufferPool }>(({ buffer, pool }) => pool.release(buffer));
