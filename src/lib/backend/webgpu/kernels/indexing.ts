import type { GpuKernel } from "../kernel";
export const INDEXING_KERNELS: Record<string, GpuKernel> = {};
