import type { GpuKernel } from "../kernel";
export const CONV_KERNELS: Record<string, GpuKernel> = {};
