#!/usr/bin/env node
/** Matmul GFLOP/s of the WebGPU backend in Node (Dawn + SwiftShader): bench/gpu-matmul.ts;
 * `--phases`: where one op + readback spends its time (bench/gpu-phases.ts);
 * `--variants [specs…]`: vec4 matmul geometries by CPU time (VARIANTS=WXxWYxTMxTN,…; specs `256` or `512x32x96:nt`);
 * `--profile [case …]`: time per kernel of the chain, MLP and matmul cases (bench/gpu-profile.ts);
 * `--compile [example …]`: each example's pipelines and their compile times, quick runs (bench/gpu-compile.ts; MODE=graph);
 * `--examples [steps] [rounds]`: the MNIST and tiny-Transformer examples, Eager vs Graph, whole run
 * and per step, with dispatches, submits, readbacks and buffers per step (bench/gpu-examples.ts);
 * each run in a fresh process, the modes alternating. EXAMPLES=63-mnist limits the examples;
 * `--ab caseA caseB`: the two cases alternating in one process, median wall and CPU time and b/a.
 * WEBGRAD_GPU_GEOMETRY=gpu: the kernels' real-GPU geometry on SwiftShader (docs/WEBGPU_TUNING.md). */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const lib = "/usr/lib/chromium";
if (!process.env.WEBGRAD_GPU_CHILD) {
  const env = {
    ...process.env,
    WEBGRAD_GPU_CHILD: "1",
    LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
    VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? `${lib}/vk_swiftshader_icd.json`,
  };
  process.exit(spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit", env }).status ?? 1);
}
const { build } = await import("vite");
const examples = process.argv.includes("--examples");
// One build folder per checkout: worktrees share node_modules, and two benches must not overwrite each other's bundle.
const outDir = `${root}node_modules/.cache/webgrad-bench-node-${createHash("sha1").update(root).digest("hex").slice(0, 8)}${examples ? "-examples" : ""}`;
const phases = process.argv.includes("--phases");
const ab = process.argv.includes("--ab");
const profile = process.argv.includes("--profile") || ab;
const variants = process.argv.includes("--variants");
const compile = process.argv.includes("--compile");
await build({
  root,
  configFile: false,
  logLevel: "error",
  // The examples import "webgrad", as a learner's program does.
  resolve: { alias: { webgrad: `${root}src/lib/index.ts` } },
  build: {
    ssr: examples
      ? "bench/gpu-examples.ts"
      : compile
        ? "bench/gpu-compile.ts"
        : profile
          ? "bench/gpu-profile.ts"
          : phases
            ? "bench/gpu-phases.ts"
            : "bench/gpu-matmul.ts",
    outDir,
    emptyOutDir: true,
    target: "node20",
    minify: false,
    rollupOptions: { external: ["webgpu"], output: { entryFileNames: "bench.mjs" } },
  },
});
if (examples) {
  const [steps = 60, rounds = 1] = process.argv.slice(2).map(Number).filter(Boolean);
  const ids = (process.env.EXAMPLES ?? "63-mnist,64-tiny-transformer").split(",").filter(Boolean);
  const runs = [];
  for (let r = 0; r < rounds; r++)
    for (const id of ids)
      for (const mode of r % 2 ? ["graph", "eager"] : ["eager", "graph"]) {
        // A fresh process per run: an example module runs once per process.
        const code = `const m = await import(${JSON.stringify(`${outDir}/bench.mjs`)}); console.log("RESULT " + JSON.stringify(await m.benchExample(${JSON.stringify(id)}, "${mode}", ${steps}))); process.exit(0);`;
        const out = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", env: process.env, maxBuffer: 1 << 26 });
        const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
        if (!line) {
          console.error(out.stdout, out.stderr);
          process.exit(1);
        }
        const run = JSON.parse(line.slice(7));
        runs.push(run);
        const p = run.perStep;
        console.log(
          `${id.padEnd(20)} ${mode.padEnd(5)} ${steps} steps: ${(run.wallMs / 1000).toFixed(1)} s wall, ${(run.cpuMs / 1000).toFixed(1)} s CPU; per step ${run.stepMs.toFixed(1)} ms wall, ${p.cpuMs.toFixed(1)} CPU-ms, ${p.dispatches.toFixed(0)} dispatches, ${p.submits.toFixed(2)} submits, ${p.reads.toFixed(2)} reads, ${p.buffers.toFixed(1)} buffers created; ${run.traces} traces, ${run.pipelines} pipelines built in ${(run.compileMs / 1000).toFixed(1)} s`,
        );
        if (process.env.SLOWEST) for (const [ms, key] of run.slowest) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${key.slice(0, 200)}`);
      }
  for (const id of ids) {
    const med = (mode, f) => {
      const xs = runs
        .filter((r) => r.example === id && r.mode === mode)
        .map(f)
        .sort((a, b) => a - b);
      return xs[Math.floor(xs.length / 2)];
    };
    const [ew, gw] = [med("eager", (r) => r.wallMs), med("graph", (r) => r.wallMs)];
    const [es, gs] = [med("eager", (r) => r.stepMs), med("graph", (r) => r.stepMs)];
    console.log(
      `${id}: whole run eager ${(ew / 1000).toFixed(1)} s, graph ${(gw / 1000).toFixed(1)} s (${(ew / gw).toFixed(2)}×); per step eager ${es.toFixed(1)} ms, graph ${gs.toFixed(1)} ms (${(es / gs).toFixed(2)}×)`,
    );
  }
  process.exit(0);
}
const mod = await import(`${outDir}/bench.mjs`);
if (compile) await mod.benchCompile(process.argv.slice(2).filter((a) => !a.startsWith("--")));
else if (ab) await mod.benchAB(...process.argv.slice(2).filter((a) => !a.startsWith("--")));
else if (profile) await mod.benchProfile(process.argv.slice(2).filter((a) => !a.startsWith("--")));
else if (phases) await mod.benchPhases();
else if (variants) {
  const specs = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  await mod.benchMatmulVariants(specs.length ? specs : undefined);
} else await mod.benchMatmul(process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number) : undefined);
process.exit(0);
