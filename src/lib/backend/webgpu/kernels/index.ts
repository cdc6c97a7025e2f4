/** Every WebGPU kernel, by op name (one per entry of the op table; tests check the coverage). */
import type { GpuKernel } from "../kernel";
import { ELEMENTWISE_KERNELS } from "./elementwise";
import { MOVEMENT_KERNELS } from "./movement";
import { REDUCE_KERNELS } from "./reduce";
import { MATMUL_KERNELS } from "./matmul";
import { NN_KERNELS } from "./nn";
import { INDEXING_KERNELS } from "./indexing";
import { RANDOM_KERNELS } from "./random";
import { CONV_KERNELS } from "./conv";
import { FUSED_KERNELS } from "./fused";

/** Kernels by op name. */
export const GPU_KERNELS: Record<string, GpuKernel> = {
  ...ELEMENTWISE_KERNELS,
  ...MOVEMENT_KERNELS,
  ...REDUCE_KERNELS,
  ...MATMUL_KERNELS,
  ...NN_KERNELS,
  ...INDEXING_KERNELS,
  ...RANDOM_KERNELS,
  ...CONV_KERNELS,
  // Not an op of the table: the graph executor hands fused regions to backends that support it.
  ...FUSED_KERNELS,
};
