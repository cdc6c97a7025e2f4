#!/usr/bin/env node
/**
 * `npm run test:e2e`: Playwright against the built app served by `vite preview`, in the system
 * Chromium. Builds first unless `--no-build`; other arguments go to `playwright test`
 * (e.g. `npm run test:e2e -- share.spec.ts`). E2E_PORT and E2E_DIST (a build folder) let several
 * runs share one machine: `E2E_PORT=4500 E2E_DIST=/tmp/mybuild npm run test:e2e -- graph.spec.ts`.
 */
import { spawnSync } from "node:child_process";
import { ensureChromium } from "./chromium.mjs";
import { skipped } from "./step-skip.mjs";

const args = process.argv.slice(2);
const noBuild = args.includes("--no-build");
const rest = args.filter((a) => a !== "--no-build");

let chromium;
try {
  chromium = ensureChromium();
} catch (error) {
  console.error(String(error.message ?? error));
  process.exit(skipped("[e2e]", "no Chromium found or installed (apt-get install chromium, or set CHROMIUM_PATH)"));
}
const env = { ...process.env, CHROMIUM_PATH: chromium };
const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { stdio: "inherit", env }).status ?? 1;

if (!noBuild) {
  const status = run("npx", ["vite", "build", "--logLevel", "warn", ...(process.env.E2E_DIST ? ["--outDir", process.env.E2E_DIST, "--emptyOutDir"] : [])]);
  if (status !== 0) process.exit(status);
}
process.exit(run("npx", ["playwright", "test", "-c", "tests/e2e/playwright.config.ts", ...rest]));
