/**
 * Matmul GFLOP/s of the WebGPU backend (Dawn + SwiftShader in Node), a readback every iteration.
 * Run: node scripts/bench-gpu-node.mjs
 */
import { initWebGPU, webgpuBackend } from "../src/lib/backend/webgpu/init";
import { contiguousStrides } from "../src/lib/tensor/shape";

/** Time C = A·B at each size; returns rows of { n, ms, gflops }. */
export async function benchMatmul(sizes = [256, 512, 1024]): Promise<{ n: number; ms: number; gflops: number }[]> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const init = await initWebGPU({ gpu: create([]) as unknown as GPU, makeDefault: false });
  if (!init.ok) throw new Error(init.reason);
  const gpu = webgpuBackend()!;
  const rows = [];
  for (const n of sizes) {
    const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const view = { storage: gpu.fromArray(data, "float32"), shape: [n, n], strides: contiguousStrides([n, n]), offset: 0, dtype: "float32" as const };
    const once = async () => {
      const s = gpu.exec("matmul", [view, view], {}, { shape: [n, n], dtype: "float32" });
      await gpu.read({ storage: s, shape: [n, n], strides: [n, 1], offset: 0, dtype: "float32" });
    };
    await once();
    const iters = n <= 256 ? 10 : n <= 512 ? 5 : 3;
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) await once();
    const ms = (performance.now() - t0) / iters;
    rows.push({ n, ms, gflops: (2 * n ** 3) / (ms * 1e6) });
    console.log(`matmul ${n}×${n}: ${ms.toFixed(1)} ms, ${((2 * n ** 3) / (ms * 1e6)).toFixed(2)} GFLOP/s`);
  }
  return rows;
}
