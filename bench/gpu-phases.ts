/**
 * Where the time of one op + readback goes on the WebGPU backend (Dawn + SwiftShader in Node):
 * queue (kernel call), submit (flush), GPU (onSubmittedWorkDone), map + copy out, conversion.
 * Run: node scripts/tools/bench-gpu-node.mjs --phases
 */
import { geometryFromEnv } from "./geometry-env";
import { initWebGPU, webgpuBackend } from "../src/lib/backend/webgpu/init";
import type { StridedView } from "../src/lib/backend/backend";
import { contiguousStrides } from "../src/lib/tensor/shape";

type Phases = Record<string, number>;

/** Time each phase of `op` (returns a storage) followed by a readback, averaged over `iters`. */
export async function benchPhases(iters = 5): Promise<void> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const init = await initWebGPU({ gpu: create([]) as unknown as GPU, makeDefault: false, geometry: geometryFromEnv() });
  if (!init.ok) throw new Error(init.reason);
  const gpu = webgpuBackend()!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const queue = (gpu as any).queue as { flush(): Promise<void> };
  const N = 1 << 20;
  const view = (s: unknown, shape: number[], strides = contiguousStrides(shape)): StridedView => ({
    storage: s as StridedView["storage"],
    shape,
    strides,
    offset: 0,
    dtype: "float32",
  });
  const data = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const x = view(gpu.fromArray(data, "float32"), [N]);
  const one = view(gpu.fromArray(new Float32Array([0.25]), "float32"), [N], [0]);
  const rows = view(gpu.fromArray(new Float32Array(4096 * 1024).fill(0.5), "float32"), [4096, 1024]);
  const cases: Record<string, () => StridedView> = {
    "add 1M (x + x)": () => view(gpu.exec("add", [x, x], {}, { shape: [N], dtype: "float32" }), [N]),
    "add 1M (x + scalar)": () => view(gpu.exec("add", [x, one], {}, { shape: [N], dtype: "float32" }), [N]),
    "10 × add 1M queued": () => {
      let y = x;
      for (let i = 0; i < 10; i++) y = view(gpu.exec(i % 2 ? "mul" : "add", [y, one], {}, { shape: [N], dtype: "float32" }), [N]);
      return y;
    },
    "softmax 4096×1024": () => view(gpu.exec("softmax", [rows], { axis: 1 }, { shape: [4096, 1024], dtype: "float32" }), [4096, 1024]),
  };
  for (const [name, run] of Object.entries(cases)) {
    const acc: Phases = {};
    const add = (k: string, ms: number) => (acc[k] = (acc[k] ?? 0) + ms / iters);
    await gpu.read(run());
    for (let i = 0; i < iters; i++) {
      const t0 = performance.now();
      const y = run();
      const t1 = performance.now();
      await queue.flush();
      const t2 = performance.now();
      await gpu.device.queue.onSubmittedWorkDone();
      const t3 = performance.now();
      await gpu.read(y); // copy to staging + submit + map + slice + view
      const t4 = performance.now();
      add("queue", t1 - t0);
      add("submit", t2 - t1);
      add("gpu", t3 - t2);
      add("read", t4 - t3);
      add("total", t4 - t0);
    }
    console.log(
      `${name.padEnd(24)} ${Object.entries(acc)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join("  ")} ms`,
    );
  }
  // Raw device timings: a 4 MiB copy + map, and the typed-array copy out.
  const dev = gpu.device;
  const src = dev.createBuffer({ size: 4 * N, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const st = dev.createBuffer({ size: 4 * N, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const enc = dev.createCommandEncoder();
    enc.copyBufferToBuffer(src, 0, st, 0, 4 * N);
    dev.queue.submit([enc.finish()]);
    await dev.queue.onSubmittedWorkDone();
    const t1 = performance.now();
    await st.mapAsync(GPUMapMode.READ);
    const t2 = performance.now();
    const out = new Float32Array(st.getMappedRange().slice(0));
    st.unmap();
    const t3 = performance.now();
    console.log(`raw 4 MiB: copy ${(t1 - t0).toFixed(1)}  mapAsync ${(t2 - t1).toFixed(1)}  slice ${(t3 - t2).toFixed(1)} ms (${out.length})`);
  }
}
