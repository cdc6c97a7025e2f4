#!/usr/bin/env node
/** Matmul GFLOP/s of the WebGPU backend in Node (Dawn + SwiftShader): bench/gpu-matmul.ts;
 * `--phases`: where one op + readback spends its time (bench/gpu-phases.ts);
 * `--variants [sizes…]`: vec4 matmul geometries by CPU time (VARIANTS=WXxWYxTMxTN,…);
 * `--profile [case …]`: time per kernel of the chain, MLP and matmul cases (bench/gpu-profile.ts);
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
// One bundle folder per checkout: worktrees share node_modules (and so its .cache).
const outDir = `${root}node_modules/.cache/webgrad-bench-node-${createHash("sha1").update(root).digest("hex").slice(0, 10)}`;
const phases = process.argv.includes("--phases");
const ab = process.argv.includes("--ab");
const profile = process.argv.includes("--profile") || ab;
const variants = process.argv.includes("--variants");
await build({
  root,
  configFile: false,
  logLevel: "error",
  build: {
    ssr: profile ? "bench/gpu-profile.ts" : phases ? "bench/gpu-phases.ts" : "bench/gpu-matmul.ts",
    outDir,
    emptyOutDir: true,
    target: "node20",
    minify: false,
    rollupOptions: { external: ["webgpu"], output: { entryFileNames: "bench.mjs" } },
  },
});
const mod = await import(`${outDir}/bench.mjs`);
if (ab) await mod.benchAB(...process.argv.slice(2).filter((a) => !a.startsWith("--")));
else if (profile) await mod.benchProfile(process.argv.slice(2).filter((a) => !a.startsWith("--")));
else if (phases) await mod.benchPhases();
else if (variants)
  await mod.benchMatmulVariants(process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number).filter(Boolean) : undefined);
else await mod.benchMatmul(process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number) : undefined);
process.exit(0);
