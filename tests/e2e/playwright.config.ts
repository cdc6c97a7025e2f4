import { defineConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS } from "../../scripts/test/chromium.mjs";

/**
 * E2E tests against the built app served by scripts/test/static-server.mjs, driving the system Chromium
 * (scripts/test/e2e.mjs finds it and sets CHROMIUM_PATH; Playwright's browser download is not used).
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 4317);
// E2E_DIST serves a private build (several people or helpers testing on one machine at once).
const dist = process.env.E2E_DIST ?? "dist/app";

/**
 * Tests that assert how fast the page answers (Stop latency, a redraw, a graph drawn) carry the
 * tag "@alone" (`test(title, { tag: "@alone" }, …)`) and are the "alone" project, run after the
 * rest and never beside another test (scripts/test/e2e.mjs), so E2E_WORKERS > 1 does not make
 * them measure the machine. Only those: the rest of their spec files runs with "most".
 */
const ALONE = /@alone/;

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: `${root}/test-results/e2e`,
  // Two spec files at a time, even on two cores: each test runs slower, but the pair finishes sooner
  // (the same 136 tests: 22.9 min with two workers, 25.0 with one). E2E_WORKERS=1 runs one at a time.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  projects: [
    { name: "most", grepInvert: ALONE },
    { name: "alone", grep: ALONE, workers: 1 },
  ],
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}/`,
    viewport: { width: 1280, height: 800 },
    // Most tests do not want the service worker precaching 11 MB in the background; the offline test allows it.
    serviceWorkers: "block",
    // Recording a trace for every test costs about a third of the suite's CPU time (cluster +
    // shell specs: 255 CPU-s with "retain-on-failure", 173 without): only a retried test records
    // one. To trace a failing test locally: `npm run test:e2e -- x.spec.ts --trace on`.
    trace: "on-first-retry",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // Not `vite preview`: it gzips every response, for every test's fresh context (see the script).
    command: `node scripts/test/static-server.mjs ${dist} --port ${port}`,
    cwd: root,
    url: `http://localhost:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
