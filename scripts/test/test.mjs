#!/usr/bin/env node
/**
 * `npm test`: type check, lint, unit tests, GPU suites, library build, app build, e2e tests — each step
 * timed, then a summary. Exits non-zero if any step failed.
 *
 * A step that could not do its work (no Chromium, no WebGPU adapter: exit SKIPPED, see
 * scripts/test/step-skip.mjs) is shown as not run and counts as failed: a green run must have run
 * everything. To leave steps out knowingly, name them: `WEBGRAD_SKIP=gpu,f16-native npm test`
 * (shown as skipped, not failed). `npm test -- --only gpu,f16-native` runs just those steps.
 * Steps after a failed build that need its output are not run (and say so).
 *
 * `npm run test:quick` (`--quick`): the steps a developer runs often — types, lint and the unit
 * tests with the fuzzer cut to QUICK_FUZZ_COUNT programs and without the whole-program files of
 * QUICK_LEAVES_OUT — meant to stay under 90 s on two idle cores once ESLint's and Prettier's caches
 * are warm (node_modules/.cache). `npm test` runs all of it, the whole fuzzer included.
 * The lint step runs `npm run lint` when package.json has that script, and is shown as left out
 * otherwise.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SKIPPED } from "./step-skip.mjs";

/** Fuzz programs in the quick run (tests/unit/fuzz; the full run has 1000). */
const QUICK_FUZZ_COUNT = 100;
/**
 * Unit files the quick run leaves to `npm test`: they run whole programs (every example in both
 * modes, MNIST training, the collectives over every topology, the Cluster panel's examples, a
 * 1000-step leak check, the spirals training) or type-check the whole public API as the editor
 * does — about two minutes of the two cores together.
 */
const QUICK_LEAVES_OUT = [
  "tests/unit/app/examples-run.test.ts",
  "tests/unit/app/mnist-train.test.ts",
  "tests/unit/cluster/collectives.test.ts",
  "tests/unit/app/cluster-panel.test.ts",
  "tests/unit/nn/memory.test.ts",
  "tests/unit/nn/spirals.test.ts",
  "tests/unit/app/webgrad-dts.test.ts",
];
const quick = process.argv.includes("--quick");
const scripts = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).scripts ?? {};

const steps = [
  // svelte-check (the whole project), then the library and the wire schema without DOM types
  // (tsconfig.lib.json); both run, and the step fails if either does. Both keep what they worked
  // out on disk (svelte-check in .svelte-check/, tsc in node_modules/.cache), so a second run
  // checks again only what changed: svelte-check 25 s → 9 s, tsc 7 s → 2 s on two idle cores.
  {
    id: "types",
    name: "type check (svelte-check, tsconfig.lib)",
    cmd: [
      "sh",
      "-c",
      "npx svelte-check --incremental --tsconfig ./tsconfig.json --fail-on-warnings=false --output human; a=$?; npx tsc --noEmit --incremental --tsBuildInfoFile node_modules/.cache/webgrad/tsconfig.lib.tsbuildinfo -p tsconfig.lib.json && echo 'tsconfig.lib.json: no errors'; b=$?; [ $a -eq 0 ] && [ $b -eq 0 ]",
    ],
    quick: true,
  },
  { id: "lint", name: "lint (npm run lint)", cmd: ["npm", "run", "--silent", "lint"], needsScript: "lint", quick: true },
  quick
    ? {
        id: "unit",
        name: `unit tests (vitest, ${QUICK_FUZZ_COUNT} fuzz programs, ${QUICK_LEAVES_OUT.length} files left out)`,
        cmd: ["npx", "vitest", "run", ...QUICK_LEAVES_OUT.flatMap((f) => ["--exclude", f])],
        env: { FUZZ_COUNT: process.env.FUZZ_COUNT ?? String(QUICK_FUZZ_COUNT) },
        quick: true,
      }
    : { id: "unit", name: "unit tests (vitest)", cmd: ["npx", "vitest", "run"] },
  { id: "gpu", name: "gpu tests (CPU ≡ WebGPU, headless chromium)", cmd: ["node", "scripts/test/test-gpu.mjs", "--chromium"] },
  { id: "f16-native", name: "native f16 kernels (Dawn null device)", cmd: ["node", "scripts/test/test-gpu.mjs", "--f16-native"] },
  { id: "lib", name: "library build (dist/lib)", cmd: ["npm", "run", "--silent", "build:lib"], libGate: true },
  { id: "lib-node", name: "library in Node (dist/lib, node:test)", cmd: ["node", "--test", "tests/node/"], needsLib: true },
  { id: "app", name: "app build (dist/app)", cmd: ["npx", "vite", "build", "--logLevel", "warn"], gate: true },
  { id: "e2e", name: "e2e tests (playwright, system chromium)", cmd: ["node", "scripts/test/e2e.mjs", "--no-build"], needsGate: true },
];

/** Step ids from a comma list; an unknown id is an error (a typo must not skip nothing). */
function ids(list, from) {
  const out = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = out.filter((id) => !steps.some((s) => s.id === id));
  if (unknown.length) {
    console.error(`${from}: unknown step ${unknown.join(", ")} (steps: ${steps.map((s) => s.id).join(", ")})`);
    process.exit(2);
  }
  return out;
}
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? ids(process.argv[onlyAt + 1] ?? "", "--only") : undefined;
const optedOut = ids(process.env.WEBGRAD_SKIP ?? "", "WEBGRAD_SKIP");

/**
 * Steps that share the two cores well run side by side, each phase's lanes at once and each lane's
 * steps in order: svelte-check and ESLint are single-threaded, and the GPU suite waits on
 * SwiftShader while the builds run. A lane's output is held until it ends when it has company, so
 * the log reads step by step. Phases run in order; a step's gates (the builds) are in earlier lanes.
 */
const PHASES = [
  // svelte-check and ESLint use one core each; Vitest's workers fill what they leave.
  [["types"], ["lint"], ["unit"]],
  [
    ["gpu", "f16-native"],
    ["lib", "lib-node", "app"],
  ],
  [["e2e"]],
];
for (const step of steps) if (!PHASES.flat(2).includes(step.id)) throw new Error(`step ${step.id} is in no phase`);

const noteDir = mkdtempSync(join(tmpdir(), "webgrad-test-"));
const results = [];
let gateFailed = false;
let libFailed = false;

/** Runs a command; with `hold`, its output is collected and returned instead of shown as it comes. */
function spawnStep(cmd, env, hold) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: hold ? ["ignore", "pipe", "pipe"] : "inherit", env });
    const chunks = [];
    if (hold) {
      child.stdout.on("data", (c) => chunks.push(c));
      child.stderr.on("data", (c) => chunks.push(c));
    }
    child.on("error", (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on("close", (code) => resolve({ status: code ?? 1, output: Buffer.concat(chunks).toString() }));
  });
}

/** Runs one step (or records why it does not run); returns the text to print when output is held. */
async function runStep(step, hold) {
  const result = { id: step.id, name: step.name, seconds: 0 };
  results.push(result);
  if (optedOut.includes(step.id)) {
    Object.assign(result, { outcome: "skipped", status: "skipped (WEBGRAD_SKIP)" });
    return "";
  }
  if (step.needsScript && !scripts[step.needsScript]) {
    Object.assign(result, { outcome: "skipped", status: `skipped (no "${step.needsScript}" script)` });
    return "";
  }
  if ((step.needsLib && libFailed) || (step.needsGate && gateFailed)) {
    Object.assign(result, { outcome: "failed", status: `not run (the ${step.needsLib ? "library " : ""}build failed)` });
    return "";
  }
  const envText = Object.entries(step.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join("");
  const heading = `\n━━ ${step.name} ━━ ${envText}${step.cmd.join(" ")}`;
  if (!hold) console.log(heading);
  const note = join(noteDir, step.id);
  const t0 = Date.now();
  const { status, output } = await spawnStep(step.cmd, { ...process.env, ...step.env, WEBGRAD_STEP_NOTE: note }, hold);
  result.seconds = (Date.now() - t0) / 1000;
  if (status === 0) Object.assign(result, { outcome: "passed", status: "passed" });
  else if (status === SKIPPED) {
    let why = "see its output above";
    try {
      why = readFileSync(note, "utf8");
    } catch {
      // The step left no note: keep the pointer to its output.
    }
    Object.assign(result, { outcome: "failed", status: "NOT RUN", why, couldNotRun: true });
  } else Object.assign(result, { outcome: "failed", status: `FAILED (exit ${status})` });
  if (step.gate && status !== 0) gateFailed = true;
  if (step.libGate && status !== 0) libFailed = true;
  return hold ? `${heading}\n${output}${output.endsWith("\n") ? "" : "\n"}(${result.seconds.toFixed(1)} s)` : "";
}

const selected = (id) => {
  const step = steps.find((s) => s.id === id);
  return step && !(only && !only.includes(id)) && !(quick && !step.quick) ? step : undefined;
};
for (const phase of PHASES) {
  const lanes = phase.map((lane) => lane.map(selected).filter(Boolean)).filter((lane) => lane.length > 0);
  const hold = lanes.length > 1;
  if (hold) console.log(`\n━━ side by side: ${lanes.map((lane) => lane.map((s) => s.id).join(" → ")).join("  ∥  ")} (output after each lane ends)`);
  await Promise.all(
    lanes.map(async (lane) => {
      for (const step of lane) {
        const text = await runStep(step, hold);
        if (text) console.log(text);
      }
    }),
  );
}
// The summary in the steps' own order.
results.sort((a, b) => steps.findIndex((s) => s.id === a.id) - steps.findIndex((s) => s.id === b.id));
rmSync(noteDir, { recursive: true, force: true });

const count = (o) => results.filter((r) => r.outcome === o).length;
const mark = { passed: "✔", failed: "✘", skipped: "–" };
console.log("\n━━ summary ━━");
for (const r of results)
  console.log(`${mark[r.outcome]} ${r.name.padEnd(44)} ${r.status.padEnd(28)} ${r.seconds.toFixed(1).padStart(6)} s${r.why ? `  ${r.why}` : ""}`);
const failed = count("failed");
const notRun = results.filter((r) => r.couldNotRun).map((r) => r.id);
if (notRun.length)
  console.log(`\n${notRun.length} step(s) could not run and count as failed; to leave them out knowingly: WEBGRAD_SKIP=${notRun.join(",")} npm test`);
if (optedOut.length) console.log(`\nleft out by WEBGRAD_SKIP=${optedOut.join(",")}`);
if (only) console.log(`\nonly these steps (--only): ${only.join(",")}`);
const left = count("skipped");
const command = quick ? "npm run test:quick" : "npm test";
console.log(
  failed ? `\n${command}: ${failed} step(s) did not pass.` : left ? `\n${command}: the steps run passed; ${left} left out.` : `\n${command}: all steps passed.`,
);
// The plain closing line CI reads.
console.log(`steps: ${count("passed")} passed, ${failed} failed, ${count("skipped")} skipped`);
process.exit(failed ? 1 : 0);
