/**
 * Matmul GFLOP/s of the WebGPU backend (Dawn + SwiftShader in Node), a readback every iteration.
 * Run: node scripts/tools/bench-gpu-node.mjs
 */
import { geometryFromEnv } from "./geometry-env";
import { MATMUL_TUNING } from "../src/lib/backend/webgpu/kernels/matmul";
import { initWebGPU, webgpuBackend } from "../src/lib/backend/webgpu/init";
import { contiguousStrides } from "../src/lib/tensor/shape";

/** The WebGPU backend on Dawn (the `webgpu` package) in this process. */
async function nodeGpu() {
  MATMUL_TUNING.tierUpMacs = 0; // steady state: each product's fastest block from the first call
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const init = await initWebGPU({ gpu: create([]) as unknown as GPU, makeDefault: false, geometry: geometryFromEnv() });
  if (!init.ok) throw new Error(init.reason);
  return webgpuBackend()!;
}

/** One n×n product A·A with its read-back (A fixed, deterministic values). */
function squareProduct(gpu: NonNullable<ReturnType<typeof webgpuBackend>>, n: number): () => Promise<void> {
  const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const view = { storage: gpu.fromArray(data, "float32"), shape: [n, n], strides: contiguousStrides([n, n]), offset: 0, dtype: "float32" as const };
  return async () => {
    const s = gpu.exec("matmul", [view, view], {}, { shape: [n, n], dtype: "float32" });
    await gpu.read({ storage: s, shape: [n, n], strides: [n, 1], offset: 0, dtype: "float32" });
  };
}

/** Time C = A·B at each size; returns rows of { n, ms, gflops }. */
export async function benchMatmul(sizes = [256, 512, 1024]): Promise<{ n: number; ms: number; gflops: number }[]> {
  const gpu = await nodeGpu();
  const rows = [];
  for (const n of sizes) {
    const once = squareProduct(gpu, n);
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

/**
 * Compare vec4 matmul geometries on a CPU adapter (VEC4_CPU: WX, WY, TM, TN) by process CPU time per product
 * (SwiftShader runs in this process; on a shared machine CPU time is steadier than wall time).
 * Variants alternate round by round; prints the median CPU-ms of each.
 * Run: node scripts/tools/bench-gpu-node.mjs --variants [sizes…]
 */
export async function benchMatmulVariants(sizes = [256, 1024]): Promise<void> {
  const { VEC4_CPU: VEC4 } = await import("../src/lib/backend/webgpu/kernels/matmul");
  const gpu = await nodeGpu();
  const variants = (process.env.VARIANTS ?? "16x8x8x4,16x8x8x8,16x4x8x8,8x8x8x8,16x8x4x8,16x2x8x8").split(",").map((v) => v.split("x").map(Number));
  const base = { ...VEC4 };
  for (const n of sizes) {
    const once = squareProduct(gpu, n);
    const times = variants.map(() => [] as number[]);
    const set = ([WX, WY, TM, TN]: number[]) => Object.assign(VEC4, { WX, WY, TM, TN });
    for (const v of variants) {
      set(v);
      await once(); // compile
    }
    const rounds = n <= 256 ? 7 : 3;
    const reps = n <= 256 ? 5 : 1;
    for (let r = 0; r < rounds; r++) {
      for (const [vi, v] of variants.entries()) {
        set(v);
        const c0 = process.cpuUsage();
        for (let i = 0; i < reps; i++) await once();
        const c = process.cpuUsage(c0);
        times[vi].push((c.user + c.system) / 1000 / reps);
      }
    }
    for (const [vi, v] of variants.entries()) {
      const s = times[vi].sort((a, b) => a - b);
      console.log(`matmul ${n}  WX×WY×TM×TN ${v.join("×").padEnd(10)} median ${s[s.length >> 1].toFixed(1).padStart(8)} CPU-ms  min ${s[0].toFixed(1)}`);
    }
  }
  Object.assign(VEC4, base);
}
