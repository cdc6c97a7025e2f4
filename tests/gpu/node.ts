/** Entry for `node scripts/test/test-gpu.mjs --node`: the suite on Dawn (the `webgpu` package) in Node. */
import { initWebGPU, webgpuBackend } from "../../src/lib/backend/webgpu/init";
import v8 from "node:v8";
import vm from "node:vm";
import { runSuite, type SuiteReport } from "./suite";
import { runMemoryChecks } from "./memory";
import { parseKernelGeometry } from "../../src/lib/backend/webgpu/webgpu";

/**
 * Native float16 kernels, built on Dawn's null device: it offers shader-f16 (no adapter here
 * does) and validates every shader with Tint, but runs nothing, so values are not compared.
 */
export async function runNodeHalfNative(only?: string[]): Promise<SuiteReport> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const init = await initWebGPU({
    gpu: create(["backend=null"]) as unknown as GPU,
    makeDefault: false,
    syncPipelines: true,
    float16: "native",
    checkIndices: false,
  });
  if (!init.ok) throw new Error(`no Dawn null device with shader-f16: ${init.reason}`);
  console.log(`[gpu:node] native float16 kernels on Dawn's null device (compile only)`);
  return runSuite(webgpuBackend()!, only, (l) => console.log(l), { halfCompileOnly: true });
}

/** Run the suite in this Node process; `only` limits it to some ops. */
export async function runNode(only?: string[]): Promise<SuiteReport> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  // Dawn in Node crashes now and then when async pipeline compiles race: compile synchronously.
  // WEBGRAD_GPU_GEOMETRY=gpu|cpu: the whole suite under that kernel geometry (docs/WEBGPU_TUNING.md);
  // unset or "auto": the adapter's own, plus the geometry pass over the families where they differ.
  const geometry = parseKernelGeometry(process.env.WEBGRAD_GPU_GEOMETRY, "WEBGRAD_GPU_GEOMETRY");
  const init = await initWebGPU({
    gpu: create([]) as unknown as GPU,
    makeDefault: false,
    syncPipelines: process.env.WEBGRAD_SYNC_PIPELINES !== "0",
    geometry,
  });
  if (!init.ok) throw new Error(`no WebGPU device in Node: ${init.reason}`);
  // WEBGRAD_LAZY=0: eager elementwise ops dispatch one by one (to tell a lazy-fusion failure from another).
  if (process.env.WEBGRAD_LAZY === "0") webgpuBackend()!.lazyFusion = false;
  console.log(`[gpu:node] ${init.reason}${geometry === "auto" ? "" : ` · kernel geometry forced: ${geometry}`}`);
  const log = (l: string) => console.log(l);
  // Flat GPU memory needs forced GC, which only Node offers: checked here, not in Chromium.
  const memory = !only || only.includes("memory");
  const report = await runSuite(
    webgpuBackend()!,
    only?.filter((o) => o !== "memory"),
    log,
    { geometryPass: geometry === "auto" },
  );
  if (memory) {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const rs = await runMemoryChecks(gc, log);
    report.results.push(...rs);
  }
  return report;
}
