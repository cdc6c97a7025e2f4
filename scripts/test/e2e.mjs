#!/usr/bin/env node
/**
 * `npm run test:e2e`: Playwright against the built app (scripts/test/static-server.mjs), in the system
 * Chromium. Builds first unless `--no-build`; other arguments go to `playwright test`
 * (e.g. `npm run test:e2e -- share.spec.ts`). Runs the config's "most" project (E2E_WORKERS
 * workers, two by default), then its "alone" project (one worker, nothing beside it). E2E_PORT and E2E_DIST (a build folder) let several
 * runs share one machine: `E2E_PORT=4500 E2E_DIST=/tmp/mybuild npm run test:e2e -- graph.spec.ts`.
 */
import { spawnSync } from "node:child_process";
import { ensureTestChromium } from "./chromium.mjs";
import { skipped } from "./step-skip.mjs";

const args = process.argv.slice(2);
const noBuild = args.includes("--no-build");
const rest = args.filter((a) => a !== "--no-build");

let chromium;
try {
  chromium = ensureTestChromium();
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
const playwright = (extra) => run("npx", ["playwright", "test", "-c", "tests/e2e/playwright.config.ts", ...extra, ...rest]);
// The config's two projects one after the other: the specs that time the page ("alone") must not
// share the machine with another worker. A project the arguments leave empty passes.
if (rest.some((a) => a.startsWith("--project"))) process.exit(playwright([]));
const most = playwright(["--project=most", "--pass-with-no-tests"]);
// Its own output folder: a run clears its folder first, which would take the failures' traces of the first.
const alone = playwright(["--project=alone", "--pass-with-no-tests", "--output=test-results/e2e-alone"]);
process.exit(most || alone);
