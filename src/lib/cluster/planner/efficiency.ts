/**
 * How fast the hardware runs what the planner counts — the efficiency assumptions, written down once
 * and used for every model, cluster and plan (none is tuned per configuration):
 *
 * - **GEMMs** run at the roofline of the training dtype's tensor-core peak scaled by `gemm`, or of the
 *   memory bandwidth scaled by `memory`: t = max(flops / (peak·gemm), bytes / (bandwidth·memory)), with
 *   bytes = dtype · (m·k + k·n + m·n) per matrix product. Large products are compute-bound and run at
 *   `gemm` of peak; thin ones (attention scores with k = head dim, small hidden sizes, small
 *   microbatches) turn memory-bound and slower — the "efficiency by size".
 * - **Elementwise kernels** (norms, softmax, dropout, GeLU, bias, residual adds) are memory-bound: a
 *   forward pass streams `elementwisePasses` × the bytes the layer keeps for backward (each kept tensor
 *   is written once and read back about once), backward twice that, at `memory` of the bandwidth.
 * - **Links** run at their preset bandwidth and α (the presets sit within a few percent of published
 *   nccl-tests bus bandwidths, see `dist.LINK_PRESETS`); collectives are the closed forms of `cost.ts`.
 * - The **optimizer** streams (3 + 2·slots) fp32 arrays per parameter it updates, at `memory` of the bandwidth.
 *
 * `SIMULATOR_ACCOUNTING` is the other end: exactly what the real-data strategies count (each parameter
 * tensor's 2·tokens·numel FLOPs forward and twice that backward, at the float32 roofline; no attention
 * core or elementwise work; fp32 on the wire), so small plans can be checked against them.
 * @module
 */

/**
 * An efficiency model.
 * @example dist.plan(model, cluster, p, { efficiency: { ...dist.DEFAULT_EFFICIENCY, gemm: 0.6 } })
 */
export interface Efficiency {
  name: string;
  /** "calibrated": the model above; "simulator": what the real-data strategies count. */
  accounting: "calibrated" | "simulator";
  /** Fraction of the tensor-core peak a large, compute-bound GEMM reaches. */
  gemm: number;
  /** Fraction of the memory bandwidth memory-bound kernels reach. */
  memory: number;
  /** Memory passes of a forward pass's elementwise kernels per byte of activations kept. */
  elementwisePasses: number;
}

/**
 * The planner's efficiency assumptions (see the module header), one set for every model and cluster:
 * GEMMs at 65 % of the tensor-core peak when compute-bound (≈ 203 of an A100's 312 TFLOP/s: what
 * Megatron-LM's fp16 GEMMs of 2021 reached end to end, below cuBLAS's ~80 % on ideal shapes — the one
 * number chosen against Narayanan et al.'s Table 1 as a whole, not per row); memory-bound kernels at
 * 80 % of HBM bandwidth; elementwise kernels write each kept activation once and read it back once (2 passes).
 * @example dist.DEFAULT_EFFICIENCY.gemm   // 0.65
 */
export const DEFAULT_EFFICIENCY: Efficiency = { name: "calibrated", accounting: "calibrated", gemm: 0.65, memory: 0.8, elementwisePasses: 2 };

/**
 * What the real-data strategies count (see the module header): use it to compare a small plan with
 * `dist.DataParallel`, `dist.ZeRO`, `dist.Pipeline`, `dist.TensorParallel`, `dist.Hybrid3D` step for step.
 * @example dist.plan(model, cluster, p, { efficiency: dist.SIMULATOR_ACCOUNTING }).time.step
 */
export const SIMULATOR_ACCOUNTING: Efficiency = { name: "simulator", accounting: "simulator", gemm: 1, memory: 1, elementwisePasses: 0 };
