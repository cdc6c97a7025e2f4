#!/usr/bin/env node
/** Trace + compile time of the MLP step on the CPU backend in Node (bench/jit-compile.ts). */
import { build } from "vite";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outDir = `${root}node_modules/.cache/webgrad-bench-jit`;
await build({
  root,
  configFile: false,
  logLevel: "error",
  build: {
    ssr: "bench/jit-compile.ts",
    outDir,
    emptyOutDir: true,
    target: "node20",
    minify: false,
    rollupOptions: { external: ["webgpu"], output: { entryFileNames: "bench.mjs" } },
  },
});
const { benchJitCompile } = await import(`${outDir}/bench.mjs`);
const rows = benchJitCompile(Number(process.argv[2] ?? 20));
for (const [k, v] of Object.entries(rows)) console.log(`${k.padEnd(56)} ${typeof v === "number" ? (Number.isInteger(v) ? v : v.toFixed(2)) : v}`);
