import type { GpuKernel } from "../kernel";
export const RANDOM_KERNELS: Record<string, GpuKernel> = {};
