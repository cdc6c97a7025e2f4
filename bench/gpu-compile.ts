/**
 * What the examples cost to compile on SwiftShader, kernel by kernel (Dawn in Node, pipelines
 * built synchronously so each one's time is its own): runs each named example once in Eager and
 * in Eager mode (MODE=graph: Graph) with quick runs, and prints every pipeline it built with its compile time,
 * then the totals. On a machine without a GPU, compiling is most of a quick run: each Run is a
 * fresh worker with a fresh device, so every pipeline is built again.
 * Run: node scripts/tools/bench-gpu-node.mjs --compile [example-id …]
 */
import { pathToFileURL } from "node:url";
import { setAssetUrl } from "../src/lib/data/assets";
import { mnistAssetFile } from "../scripts/vite/mnist-asset";
import { getDefaultBackend, setDefaultBackend, setMode, setStepLimit } from "../src/lib/index";
import type { WebGpuBackend } from "../src/lib/backend/webgpu/webgpu";
import { initWebGPU } from "../src/lib/backend/webgpu/init";
import { QUICK_STEP_LIMIT } from "../src/runner/protocol";
import { recordPipelineBuilds } from "./pipeline-builds";
import { VEC4_CPU, VEC4_CPU_ROWS } from "../src/lib/backend/webgpu/kernels/matmul";

const examples = import.meta.glob(["../src/examples/*.ts", "!../src/examples/*.lesson.ts", "!../src/examples/*.exercises.ts"]);

/** Compile time per example and mode, and the kernels that took it. */
export async function benchCompile(ids: string[]): Promise<void> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  setAssetUrl("mnist", pathToFileURL(mnistAssetFile()).href); // as tests/unit/setup.ts does
  // VEC4_CPU=TMxTN: another block per thread for the CPU adapter's vec4 matmul (both layouts).
  if (process.env.VEC4_CPU) {
    const [tm, tn] = process.env.VEC4_CPU.split("x").map(Number);
    Object.assign(VEC4_CPU, { TM: tm, TN: tn });
    Object.assign(VEC4_CPU_ROWS, { TM: tm, TN: tn });
  }
  // Every device's builds (a fresh device per example run).
  const built = recordPipelineBuilds((globals as unknown as { GPUDevice: { prototype: GPUDevice } }).GPUDevice.prototype);
  const byId = new Map(Object.entries(examples).map(([path, load]) => [path.replace(/^.*\//, "").replace(/\.ts$/, ""), load]));
  const chosen = ids.length ? ids : [...byId.keys()].sort();
  const all = new Map<string, number>();
  const rows: string[] = [];
  for (const id of chosen) {
    const load = byId.get(id);
    if (!load) throw new Error(`no example ${id} (ids: ${[...byId.keys()].join(", ")})`);
    // One mode per process: an example module runs once per process (MODE=graph for the other).
    for (const mode of [process.env.MODE === "graph" ? ("graph" as const) : ("eager" as const)]) {
      // A fresh device per run, as the app's fresh worker per Run has.
      const init = await initWebGPU({ gpu: create([]) as unknown as GPU, syncPipelines: true });
      if (!init.ok) throw new Error(init.reason);
      setDefaultBackend("webgpu");
      // LAZY=0: eager elementwise ops dispatch one by one (backend/webgpu/lazy.ts off), to compare.
      if (process.env.LAZY === "0") (getDefaultBackend() as WebGpuBackend).lazyFusion = false;
      setMode(mode);
      setStepLimit(QUICK_STEP_LIMIT);
      built.length = 0;
      const log = console.log;
      console.log = () => undefined;
      const t0 = performance.now();
      let failed = "";
      try {
        await load();
      } catch (e) {
        failed = `  FAILED: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
      } finally {
        console.log = log;
      }
      const wall = performance.now() - t0;
      const compile = built.reduce((s, [, ms]) => s + ms, 0);
      rows.push(
        `${id.padEnd(30)} ${mode.padEnd(5)} run ${wall.toFixed(0).padStart(6)} ms  compile ${compile.toFixed(0).padStart(6)} ms  ${built.length} pipelines${failed}`,
      );
      for (const [k, ms] of built) all.set(k, Math.max(all.get(k) ?? 0, ms));
      if (process.env.VERBOSE) for (const [k, ms] of [...built].sort((a, b) => b[1] - a[1]).slice(0, 8)) rows.push(`    ${ms.toFixed(0).padStart(6)} ms  ${k}`);
    }
  }
  for (const r of rows) console.log(r);
  const slowest = [...all].sort((a, b) => b[1] - a[1]);
  console.log(`\n${all.size} distinct kernels, ${slowest.reduce((s, [, ms]) => s + ms, 0).toFixed(0)} ms to build each once; the slowest:`);
  for (const [k, ms] of slowest.slice(0, Number(process.env.TOP ?? 25))) console.log(`${ms.toFixed(0).padStart(7)} ms  ${k}`);
}
