/** The Backend interface: where tensor memory lives and kernels run. */
import type { DType, TypedArray } from "../tensor/dtype";
import type { Shape } from "../tensor/shape";

/** A block of device memory owned by a backend. Elements are of one dtype. */
export interface Storage {
  readonly backend: Backend;
  readonly dtype: DType;
  /** Number of elements. */
  readonly length: number;
  /**
   * @internal Tensors holding a view of this storage and not disposed (counted by the Tensor
   * constructor, uncounted by `dispose`): at zero after a dispose, `release` gives the memory back at
   * once instead of when the garbage collector finds the storage.
   */
  tensorRefs?: number;
  /** @internal Give the memory back now (a backend whose memory the garbage collector frees may leave it out). */
  release?(): void;
}

/** A strided window into a storage: how a tensor sees its memory. */
export interface StridedView {
  readonly storage: Storage;
  readonly shape: Shape;
  /** Element strides per dimension (0 for broadcast dimensions). */
  readonly strides: readonly number[];
  /** Element offset of index [0, 0, …]. */
  readonly offset: number;
  readonly dtype: DType;
}

/** The shape and dtype of an op's result. */
export interface OutSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Memory use a backend reports (bytes held by live storages, and by its pool if it has one). */
export interface MemoryStats {
  liveBytes: number;
  liveStorages: number;
  pooledBytes: number;
}

/**
 * A backend runs primitive ops. `exec` enqueues work and returns the output storage at once
 * (contiguous, row-major); values are read back asynchronously with `read`.
 */
export interface Backend {
  /** "cpu" or "webgpu". */
  readonly name: string;
  /** Human-readable description (adapter, or why WebGPU is not in use). */
  readonly detail: string;
  /** dtypes this backend can hold. */
  readonly dtypes: readonly DType[];
  /** Copy host data into a new storage. */
  fromArray(data: TypedArray, dtype: DType): Storage;
  /** Run primitive `op` on inputs (already broadcast when the op asks for it) and return a new contiguous storage. */
  exec(op: string, inputs: readonly StridedView[], attrs: Readonly<Record<string, unknown>>, out: OutSpec): Storage;
  /** Write `src` (same shape) into the memory `dst` views: the one in-place primitive. */
  copyInto(dst: StridedView, src: StridedView): void;
  /** Read a view's elements back in row-major order. */
  read(view: StridedView): Promise<TypedArray>;
  /** Synchronous read, where the backend can (CPU). */
  readSync?(view: StridedView): TypedArray;
  /** True when this backend has a kernel for `op`. */
  supports(op: string): boolean;
  memory(): MemoryStats;
}
