import type { GpuKernel } from "../kernel";
export const NN_KERNELS: Record<string, GpuKernel> = {};
