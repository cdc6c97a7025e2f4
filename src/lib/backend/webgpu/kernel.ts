/** What a WebGPU kernel is given and returns: the contract between the backend and kernels/*. */
import type { OutSpec, StridedView } from "../backend";
import type { DType } from "../../tensor/dtype";
import type { GpuElement } from "./codegen";
import type { ShaderSpec } from "./pipelines";
import type { GpuStorage } from "./storage";

/** Device traits kernels read (see `KernelContext.features`). */
export interface GpuFeatures {
  subgroups: boolean;
  shaderF16: boolean;
  /**
   * Kernels take the CPU-adapter geometry (threads fold whole rows, capped grids, 16×16 matmul
   * blocks): the adapter is a software one, unless the backend's `geometry` forces either way.
   */
  cpuAdapter: boolean;
  /** float16 buffers hold f16 (the adapter has shader-f16); false: f32 rounded to halves. */
  nativeF16: boolean;
}

/** The backend services a kernel uses. */
export interface KernelContext {
  /** A new storage of `length` elements (the adapter's limits are checked; `shape` names it in errors). */
  alloc(dtype: DType, length: number, op: string, shape: readonly number[]): GpuStorage;
  /** How `dtype` sits in this device's buffers (f16 or emulated for float16; see `gpuElement`). */
  elem(dtype: DType, op: string): GpuElement;
  /** Queue a dispatch: parameter block at binding 0, `bindings` at 1…n. */
  dispatch(shader: ShaderSpec, bindings: GpuStorage[], params: Int32Array, workgroups: [number, number, number]): void;
  /**
   * What kernels may use or tune for: `subgroups` (the WGSL extension), `shaderF16`, and
   * `cpuAdapter` (a software adapter such as SwiftShader, where invocations are SIMD lanes of a
   * CPU thread: barriers and workgroup memory cost more than on a GPU).
   */
  readonly features: GpuFeatures;
  /**
   * Where gather, scatterAdd and crossEntropy report out-of-range indices (see ./index-check).
   * Absent in contexts that only generate WGSL and dispatch nothing (graph/kernels.ts).
   */
  readonly indexFlags?: GpuStorage;
  /**
   * Tiered compilation, for a kernel whose fast form is slow to build (SwiftShader's LLVM spends
   * seconds on a big register block): counts `work` toward `fast` and returns whether `fast` is
   * built and may be dispatched. Once `threshold` work has been done by the quick-to-build form
   * the caller dispatches meanwhile, `fast` is compiled in the background. Absent: always `fast`.
   */
  tierUp?(fast: ShaderSpec, work: number, threshold: number): boolean;
}

/** A WebGPU kernel: inputs as strided views of GPU storages → a new contiguous storage. */
export type GpuKernel = (ctx: KernelContext, inputs: readonly StridedView[], attrs: Record<string, unknown>, out: OutSpec) => GpuStorage;

/** The GPU storage behind a view. */
export function gpuStorage(v: StridedView): GpuStorage {
  return v.storage as GpuStorage;
}
