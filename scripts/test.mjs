#!/usr/bin/env node
/**
 * `npm test`: type check, unit tests, library build, app build, e2e tests — each step timed,
 * then a pass/fail summary. Exits non-zero if any step failed. Steps after a failed build that
 * need its output are skipped (and say so).
 */
import { spawnSync } from "node:child_process";

const steps = [
  { name: "type check (svelte-check)", cmd: ["npx", "svelte-check", "--tsconfig", "./tsconfig.json", "--fail-on-warnings=false", "--output", "human"] },
  { name: "unit tests (vitest)", cmd: ["npx", "vitest", "run"] },
  { name: "gpu tests (CPU ≡ WebGPU, headless chromium)", cmd: ["node", "scripts/test-gpu.mjs", "--chromium"] },
  { name: "native f16 kernels (Dawn null device)", cmd: ["node", "scripts/test-gpu.mjs", "--f16-native"] },
  { name: "library build (dist/lib)", cmd: ["npm", "run", "--silent", "build:lib"], libGate: true },
  { name: "library in Node (dist/lib, node:test)", cmd: ["node", "--test", "tests/node/"], needsLib: true },
  { name: "app build (dist/app)", cmd: ["npx", "vite", "build", "--logLevel", "warn"], gate: true },
  { name: "e2e tests (playwright, system chromium)", cmd: ["node", "scripts/e2e.mjs", "--no-build"], needsGate: true },
];

const results = [];
let gateFailed = false;
let libFailed = false;
for (const step of steps) {
  if (step.needsLib && libFailed) {
    results.push({ name: step.name, status: "skipped (the library build failed)", seconds: 0 });
    continue;
  }
  if (step.needsGate && gateFailed) {
    results.push({ name: step.name, status: "skipped (the build failed)", seconds: 0 });
    continue;
  }
  console.log(`\n━━ ${step.name} ━━ ${step.cmd.join(" ")}`);
  const t0 = Date.now();
  const { status } = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: "inherit", env: process.env });
  const ok = status === 0;
  if (step.gate && !ok) gateFailed = true;
  if (step.libGate && !ok) libFailed = true;
  results.push({ name: step.name, status: ok ? "passed" : `FAILED (exit ${status})`, seconds: (Date.now() - t0) / 1000 });
}

console.log("\n━━ summary ━━");
for (const r of results) console.log(`${r.status.startsWith("passed") ? "✔" : "✘"} ${r.name.padEnd(44)} ${r.status.padEnd(28)} ${r.seconds.toFixed(1)} s`);
const failed = results.filter((r) => !r.status.startsWith("passed"));
console.log(failed.length ? `\nnpm test: ${failed.length} step(s) did not pass.` : "\nnpm test: all steps passed.");
// The plain closing line CI reads: steps passed and failed.
console.log(`steps: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
