import { defineConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS } from "../../scripts/test/chromium.mjs";

/**
 * E2E tests against the built app served by `vite preview`, driving the system Chromium
 * (scripts/test/e2e.mjs finds it and sets CHROMIUM_PATH; Playwright's browser download is not used).
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 4317);
// E2E_DIST serves a private build (several people or helpers testing on one machine at once).
const dist = process.env.E2E_DIST ? ` --outDir ${process.env.E2E_DIST}` : "";

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: `${root}/test-results/e2e`,
  // One worker: timing assertions (Stop latency) must not compete with another test for 2 cores.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}/`,
    viewport: { width: 1280, height: 800 },
    // Most tests do not want the service worker precaching 11 MB in the background; the offline test allows it.
    serviceWorkers: "block",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort${dist}`,
    cwd: root,
    url: `http://localhost:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
