/**
 * The vec4 matmul's block per thread on a CPU adapter (kernels/matmul.ts): small products take the
 * 8×8 block, which SwiftShader compiles in a fraction of the 16×16 block's time; larger ones keep
 * the 16×16 block (or its row-wise form) that runs faster once built. That both give the same
 * values is the CPU ≡ WebGPU suite's job (tests/gpu: its matmul cases fall on both sides).
 */
import { describe, expect, it } from "vitest";
import { SMALL_PRODUCT_MACS, VEC4_CPU, VEC4_CPU_ROWS, VEC4_CPU_SMALL, VEC4_CPU_THIN, vec4CpuGeometry } from "../../../src/lib/backend/webgpu/kernels/matmul";
import { casesFor } from "../../gpu/cases";
import "../../../src/lib/index";
import { getOp } from "../../../src/lib/ops/registry";

describe("vec4 matmul geometry on a CPU adapter", () => {
  it("takes the small block below SMALL_PRODUCT_MACS and the big one from it", () => {
    expect(vec4CpuGeometry(64, 64, 64 * 64 * 64)).toBe(VEC4_CPU_SMALL);
    expect(vec4CpuGeometry(128, 128, 128 * 128 * 128)).toBe(VEC4_CPU_SMALL);
    expect(vec4CpuGeometry(256, 256, 256 * 256 * 256)).toBe(VEC4_CPU);
    expect(vec4CpuGeometry(128, 128, SMALL_PRODUCT_MACS)).toBe(VEC4_CPU);
    // The row-wise big block where column blocks would leave a partial group of four.
    expect(vec4CpuGeometry(256, 784, 256 * 784 * 128)).toBe(VEC4_CPU_ROWS);
  });

  it("the small block is the cheaper kernel: fewer accumulators per thread", () => {
    expect(VEC4_CPU_SMALL.TM * VEC4_CPU_SMALL.TN).toBeLessThan(VEC4_CPU.TM * VEC4_CPU.TN);
    for (const g of [VEC4_CPU_SMALL, VEC4_CPU, VEC4_CPU_ROWS, VEC4_CPU_THIN]) {
      expect(g.TM % 4).toBe(0);
      expect(g.TN % 4).toBe(0);
    }
  });

  it("the thin block covers eight columns with its lanes down the rows", () => {
    expect(VEC4_CPU_THIN.WX * VEC4_CPU_THIN.TN).toBe(8);
    expect(VEC4_CPU_THIN.WY * VEC4_CPU_THIN.TM).toBeGreaterThanOrEqual(32);
  });

  it("the CPU ≡ WebGPU suite has matmul cases on both sides of the threshold", () => {
    const macs = casesFor(getOp("matmul")).map((c) => {
      const [a, b] = c.inputs.map((i) => i.shape);
      const batch = a.slice(0, -2).reduce((p, d) => p * d, 1);
      return batch * a[a.length - 2] * a[a.length - 1] * b[b.length - 1];
    });
    expect(macs.some((m) => m < SMALL_PRODUCT_MACS)).toBe(true);
    expect(macs.some((m) => m >= SMALL_PRODUCT_MACS)).toBe(true);
  });
});
