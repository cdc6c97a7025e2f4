/**
 * GPU storage: a pooled buffer holding elements of one dtype (bool as u32, float16 as f16 where
 * the adapter has shader-f16). Its buffer returns to the pool when the last tensor viewing it is
 * disposed (`tidy` disposes a scope's intermediates) or, failing that, when the storage becomes
 * unreachable (a FinalizationRegistry). Commands that still use it hold the storage itself, and a
 * release asked for while commands are queued but not yet submitted waits for their submit
 * (`pendingUses`), so a buffer never returns while queued work needs it.
 *
 * An elementwise result may be lazy (./lazy.ts): `lazy` holds the op that will compute it, and its
 * buffer is written only when something needs the values. A buffer that lazy values still read
 * (`lazyReaders`) does not return to the pool either, until they are computed or forgotten.
 */
import type { Backend, Storage } from "../backend";
import type { LazyValue } from "./lazy";
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
  /** The op that computes this storage's values, until they are computed (./lazy.ts). */
  lazy: LazyValue | null = null;
  /** Lazy storages whose op reads this one (weakly: one nothing can reach any more is never computed). */
  lazyReaders: Set<WeakRef<GpuStorage>> | null = null;
  /** The value a one-element storage was created with from the host, until a dispatch binds it (./lazy.ts writes it into code). */
  hostValue: number | undefined = undefined;
  /** This storage as a lazy reader (one WeakRef, made on first need). */
  private selfRef: WeakRef<GpuStorage> | null = null;
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
    if (this.pendingUses > 0 || this.hasLazyReaders()) {
      this.releaseAfterSubmit = true;
      return;
    }
    this.released = true;
    // Never computed: the values it would have read are free to go too.
    if (this.lazy) this.forgetLazy();
    finalizer.unregister(this);
    this.pool.release(this.buffer);
  }

  /** This storage's WeakRef, as an entry in its inputs' `lazyReaders`. */
  get ref(): WeakRef<GpuStorage> {
    return (this.selfRef ??= new WeakRef(this));
  }

  /** True while a lazy storage that is still reachable and not yet computed reads this one. */
  hasLazyReaders(): boolean {
    if (!this.lazyReaders) return false;
    for (const r of this.lazyReaders) {
      const s = r.deref();
      if (s?.lazy) return true;
      this.lazyReaders.delete(r);
    }
    return false;
  }

  /**
   * Mark the lazy op as done (computed, or never to be): its inputs lose this reader, and an input
   * whose release waited for its lazy readers is released now.
   */
  forgetLazy(): void {
    const lazy = this.lazy;
    if (!lazy) return;
    this.lazy = null;
    for (const v of lazy.inputs) {
      const s = v.storage as GpuStorage;
      s.lazyReaders?.delete(this.ref);
      if (s.releaseAfterSubmit) s.release();
    }
  }
}

const finalizer = new FinalizationRegistry<{ buffer: GPUBuffer; pool: BufferPool }>(({ buffer, pool }) => pool.release(buffer));
