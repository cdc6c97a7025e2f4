/**
 * GPU storage: a pooled buffer holding elements of one dtype (bool as u32, float16 as f16 where
 * the adapter has shader-f16). Its buffer returns to the pool when the last tensor viewing it is
 * disposed (`tidy` disposes a scope's intermediates) or, failing that, when the storage becomes
 * unreachable (a FinalizationRegistry). Commands that still use it hold the storage itself, and a
 * release asked for while commands are queued but not yet submitted waits for their submit
 * (`pendingUses`), so a buffer never returns while queued work needs it.
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
  /** Tensors viewing this storage (see `Storage.tensorRefs`). */
  tensorRefs = 0;
  /** A release was asked for while commands were pending: the queue releases after their submit. */
  releaseAfterSubmit = false;
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
  /**
   * Return the buffer to the pool (the storage must not be used afterwards): now, or once the
   * commands queued with it are submitted (a later write through the device queue, such as a new
   * tensor's upload into the reused buffer, must not overtake them).
   */
  release(): void {
    if (this.released) return;
    if (this.pendingUses > 0) {
      this.releaseAfterSubmit = true;
      return;
    }
    this.released = true;
    finalizer.unregister(this);
    this.pool.release(this.buffer);
  }
}

const finalizer = new FinalizationRegistry<{ buffer: GPUBuffer; pool: BufferPool }>(({ buffer, pool }) => pool.release(buffer));
