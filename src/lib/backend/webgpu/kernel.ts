/** What a WebGPU kernel is given and returns: the contract between the backend and kernels/*. */
import type { OutSpec, StridedView } from "../backend";
import type { DType } from "../../tensor/dtype";
import type { ShaderSpec } from "./pipelines";
import type { GpuStorage } from "./storage";

/** The backend services a kernel uses. */
export interface KernelContext {
  /** A new storage of `length` elements (the adapter's limits are checked; `shape` names it in errors). */
  alloc(dtype: DType, length: number, op: string, shape: readonly number[]): GpuStorage;
  /** Queue a dispatch: parameter block at binding 0, `bindings` at 1…n. */
  dispatch(shader: ShaderSpec, bindings: GpuStorage[], params: Int32Array, workgroups: [number, number, number]): void;
  /** Features of the device that kernels may use. */
  readonly features: { subgroups: boolean };
}

/** A WebGPU kernel: inputs as strided views of GPU storages → a new contiguous storage. */
export type GpuKernel = (ctx: KernelContext, inputs: readonly StridedView[], attrs: Record<string, unknown>, out: OutSpec) => GpuStorage;

/** The GPU storage behind a view. */
export function gpuStorage(v: StridedView): GpuStorage {
  return v.storage as GpuStorage;
}
