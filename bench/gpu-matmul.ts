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
 * One product spec: `n` (n×n·n×n) or `MxKxN` with optional `:ab` operand layouts, a = "n" (A as
 * stored, k contiguous) or "t" (A transposed: m contiguous), b = "n" (B as stored, n contiguous) or
 * "t" (B transposed: k contiguous), as a linear layer's forward (`nt`), input gradient (`nn`) and
 * weight gradient (`tn`) read them.
 */
function parseProduct(spec: string): { m: number; k: number; n: number; a: "n" | "t"; b: "n" | "t"; label: string } {
  const [dims, layout = "nn"] = spec.split(":");
  const v = dims.split("x").map(Number);
  const [m, k, n] = v.length === 1 ? [v[0], v[0], v[0]] : v;
  return { m, k, n, a: layout[0] === "t" ? "t" : "n", b: layout[1] === "t" ? "t" : "n", label: spec };
}

/** `reps` products C = A·B of one spec, then one read-back of the last. */
function product(gpu: NonNullable<ReturnType<typeof webgpuBackend>>, spec: ReturnType<typeof parseProduct>, reps: number): () => Promise<void> {
  const { m, k, n, a, b } = spec;
  const fill = (len: number, seed: number) => Float32Array.from({ length: len }, (_, i) => (((i + seed) * 7919) % 1000) / 1000 - 0.5);
  const view = (rows: number, cols: number, transposed: boolean, seed: number) => ({
    storage: gpu.fromArray(fill(rows * cols, seed), "float32"),
    shape: [rows, cols],
    strides: transposed ? [1, rows] : [cols, 1],
    offset: 0,
    dtype: "float32" as const,
  });
  const A = view(m, k, a === "t", 1),
    B = view(k, n, b === "t", 2);
  return async () => {
    let s = gpu.exec("matmul", [A, B], {}, { shape: [m, n], dtype: "float32" });
    for (let i = 1; i < reps; i++) s = gpu.exec("matmul", [A, B], {}, { shape: [m, n], dtype: "float32" });
    await gpu.read({ storage: s, shape: [m, n], strides: [n, 1], offset: 0, dtype: "float32" });
  };
}

/**
 * Compare vec4 matmul geometries on a CPU adapter (WX, WY, TM, TN, set on VEC4_CPU and
 * VEC4_CPU_SMALL alike) by process CPU time per product (SwiftShader runs in this process; on a
 * shared machine CPU time is steadier than wall time). Sizes are product specs (parseProduct:
 * `256`, `512x32x96:nt`). Variants alternate round by round; prints the median CPU-ms of each.
 * Run: node scripts/tools/bench-gpu-node.mjs --variants [specs…]
 */
export async function benchMatmulVariants(sizes: string[] = ["256", "1024"]): Promise<void> {
  const { VEC4_CPU, VEC4_CPU_SMALL } = await import("../src/lib/backend/webgpu/kernels/matmul");
  const gpu = await nodeGpu();
  const variants = (process.env.VARIANTS ?? "16x8x8x4,16x8x8x8,16x4x8x8,8x8x8x8,16x8x4x8,16x2x8x8").split(",").map((v) => v.split("x").map(Number));
  const base = { ...VEC4_CPU },
    baseSmall = { ...VEC4_CPU_SMALL };
  for (const size of sizes) {
    const spec = parseProduct(size);
    const small = spec.m * spec.k * spec.n < 2 ** 24;
    const reps = small ? 10 : 1;
    const once = product(gpu, spec, reps);
    const times = variants.map(() => [] as number[]);
    const set = ([WX, WY, TM, TN]: number[]) => {
      Object.assign(VEC4_CPU, { WX, WY, TM, TN });
      Object.assign(VEC4_CPU_SMALL, { WX, WY, TM, TN });
    };
    for (const v of variants) {
      set(v);
      await once(); // compile
    }
    const rounds = small ? 7 : 3;
    for (let r = 0; r < rounds; r++) {
      for (const [vi, v] of variants.entries()) {
        set(v);
        const c0 = process.cpuUsage();
        await once();
        const c = process.cpuUsage(c0);
        times[vi].push((c.user + c.system) / 1000 / reps);
      }
    }
    for (const [vi, v] of variants.entries()) {
      const s = times[vi].sort((a, b) => a - b);
      const med = s[s.length >> 1];
      console.log(
        `matmul ${spec.label.padEnd(14)} WX×WY×TM×TN ${v.join("×").padEnd(10)} median ${med.toFixed(2).padStart(8)} CPU-ms  min ${s[0].toFixed(2)}  ${((2 * spec.m * spec.k * spec.n) / (med * 1e6)).toFixed(2)} GFLOP/CPU-s`,
      );
    }
  }
  Object.assign(VEC4_CPU, base);
  Object.assign(VEC4_CPU_SMALL, baseSmall);
}
