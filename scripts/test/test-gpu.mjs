#!/usr/bin/env node
/**
 * CPU ≡ WebGPU: every op of the table on generated cases (tests/gpu/). Modes:
 *   --node      Dawn (the `webgpu` package) on SwiftShader in this Node process (fast iteration)
 *   --chromium  the same suite in headless Chromium, driven by Playwright (what `npm test` runs)
 *   --f16-native  the float16 cases' native-f16 kernels built (not run) on Dawn's null device, which
 *               has shader-f16: SwiftShader lacks it, so this is how the f16 WGSL gets validated
 * default: --chromium. `--ops add,matmul` limits the ops (`infra` names the backend checks of
 * tests/gpu/infra.ts, `geometry` the geometry pass of tests/gpu/geometry.ts: the families whose
 * kernel geometry differs per adapter, run again under the real-GPU geometry on SwiftShader).
 * WEBGRAD_GPU_GEOMETRY=gpu (or cpu) runs the whole suite under that geometry instead. Chromium (and, from Debian's package, SwiftShader's Vulkan for --node) is
 * found or installed as for e2e (scripts/test/chromium.mjs); when there is none, or no WebGPU adapter,
 * it exits with SKIPPED (3) and the reason, never 0.
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { ensureChromium } from "./chromium.mjs";
import { skipped } from "./step-skip.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const halfNative = args.includes("--f16-native");
const mode = args.includes("--node") || halfNative ? "node" : "chromium";
const opsArg = args.indexOf("--ops");
const only = opsArg >= 0 ? args[opsArg + 1].split(",") : undefined;

function summarize(report) {
  const failed = report.results.filter((r) => !r.ok);
  console.log(`\n[gpu:${mode}] ${report.results.length - failed.length}/${report.results.length} cases passed in ${report.seconds.toFixed(1)} s`);
  if (report.missingKernels.length) console.log(`[gpu:${mode}] ops with a CPU kernel and no WebGPU kernel: ${report.missingKernels.join(", ")}`);
  if (report.uncovered.length) console.log(`[gpu:${mode}] ops with no generated cases: ${report.uncovered.join(", ")}`);
  for (const [op, why] of Object.entries(report.pending)) console.log(`[gpu:${mode}] pending: ${op} — ${why}`);
  const ok = failed.length === 0 && report.missingKernels.length === 0 && (only || report.uncovered.length === 0);
  return ok ? 0 : 1;
}

async function runNode() {
  const lib = "/usr/lib/chromium";
  // SwiftShader's Vulkan comes with Debian's chromium package. The null device (--f16-native)
  // needs no Vulkan.
  if (!halfNative && !existsSync(`${lib}/libvulkan.so.1`)) {
    try {
      ensureChromium();
    } catch (error) {
      console.log(String(error.message ?? error));
    }
    if (!existsSync(`${lib}/libvulkan.so.1`))
      return skipped("[gpu:node]", `${lib}/libvulkan.so.1 is missing (Debian's chromium package brings SwiftShader's Vulkan driver)`);
  }
  // The dynamic linker reads LD_LIBRARY_PATH at process start: re-run with it set.
  if (existsSync(`${lib}/libvulkan.so.1`) && !process.env.WEBGRAD_GPU_CHILD) {
    const env = {
      ...process.env,
      WEBGRAD_GPU_CHILD: "1",
      LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? `${lib}/vk_swiftshader_icd.json`,
    };
    return spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit", env }).status ?? 1;
  }
  // Bundle the suite for Node, then run it in a fresh process: Dawn's threads do not mix well
  // with Vite's own (esbuild) in one process.
  const { build } = await import("vite");
  // One bundle folder per checkout: worktrees share node_modules (and so its .cache).
  const outDir = `${root}node_modules/.cache/webgrad-gpu-node-${createHash("sha1").update(root).digest("hex").slice(0, 10)}`;
  await build({
    root,
    configFile: false,
    logLevel: "error",
    build: {
      ssr: "tests/gpu/node.ts",
      outDir,
      emptyOutDir: true,
      target: "node20",
      minify: false,
      rollupOptions: { external: ["webgpu"], output: { entryFileNames: "suite.mjs" } },
    },
  });
  const { runNode, runNodeHalfNative } = await import(`${outDir}/suite.mjs`);
  return summarize(await (halfNative ? runNodeHalfNative(only) : runNode(only)));
}

async function runChromium() {
  const { runChromiumSuite } = await import("./gpu-chromium.mjs");
  const report = await runChromiumSuite({ root, only });
  if (report.skipped) return skipped("[gpu:chromium]", report.skipped);
  return summarize(report);
}

const code = mode === "node" ? await runNode() : await runChromium();
process.exit(code);
