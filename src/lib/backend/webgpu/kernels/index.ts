/** Every WebGPU kernel, by op name (one per entry of the op table; tests check the coverage). */
import type { GpuKernel } from "../kernel";
import { unsupported, type Unsupported } from "../../../op-table";
import type { OpTable } from "../../../ops/names";
import { ELEMENTWISE_KERNELS } from "./elementwise";
import { MOVEMENT_KERNELS } from "./movement";
import { REDUCE_KERNELS } from "./reduce";
import { MATMUL_KERNELS } from "./matmul";
import { NN_KERNELS } from "./nn";
import { INDEXING_KERNELS } from "./indexing";
import { RANDOM_KERNELS } from "./random";
import { CONV_KERNELS } from "./conv";
import { FUSED_KERNELS } from "./fused";

/** A kernel per primitive of the op table, by op name (the compiler checks that none is missing). */
export const GPU_OP_KERNELS = {
  ...ELEMENTWISE_KERNELS,
  ...MOVEMENT_KERNELS,
  ...REDUCE_KERNELS,
  ...MATMUL_KERNELS,
  ...NN_KERNELS,
  ...INDEXING_KERNELS,
  ...RANDOM_KERNELS,
  ...CONV_KERNELS,
  noGradWrite: unsupported("always a view of its first input: no kernel runs"),
} satisfies OpTable<GpuKernel>;

/** Every kernel by node op: the primitives', and fused regions (not ops of the table: the graph executor hands them to backends that support them). */
export const GPU_KERNELS: Readonly<Record<string, GpuKernel | Unsupported>> = {
  ...GPU_OP_KERNELS,
  ...FUSED_KERNELS,
};
