#!/usr/bin/env node
/**
 * docs/screenshot.png for the README: builds the app into a private folder, serves it with
 * `vite preview`, opens it in the system Chromium (Playwright), loads an example from the
 * Examples menu, runs it and takes a 1280×800 screenshot with its lesson and a panel open
 * (by default the graph-and-autodiff example in the Graph panel).
 *   node scripts/tools/readme-screenshot.mjs [--dist folder (an existing build; no build)] [--example "title"] [--panel Graph]
 * Fails if the PNG is 300 KB or more (it is committed).
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, ensureChromium } from "../test/chromium.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const example = arg("--example", "The graph and autodiff: forward and generated backward");
const panel = arg("--panel", "Graph");
const dist = arg("--dist");
const outDir = dist ?? join(root, "node_modules/.cache/webgrad-screenshot-build");
const file = join(root, "docs/screenshot.png");
const port = Number(process.env.SCREENSHOT_PORT ?? 4641);
const MAX_BYTES = 300 * 1024;

if (!dist) {
  const built = spawnSync("npx", ["vite", "build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const { preview } = await import("vite");
const server = await preview({ root, logLevel: "warn", build: { outDir }, preview: { port, strictPort: true } });
const { chromium } = await import("playwright-core");
const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, colorScheme: "light", serviceWorkers: "block" });
  // A returning visitor: no first-run tour over the picture.
  await page.addInitScript(() => localStorage.setItem("webgrad.tour.v1", "seen"));
  await page.goto(`http://localhost:${port}/`);
  await page.locator(".monaco-editor textarea").waitFor({ state: "attached", timeout: 60_000 });
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("menuitem", { name: example, exact: true }).click();
  await page.getByRole("button", { name: "Dismiss message" }).click();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page
    .getByTestId("run-status")
    .filter({ hasText: /Finished|Failed/ })
    .waitFor({ timeout: 180_000 });
  await page.getByRole("tab", { name: new RegExp(panel) }).click();
  await page.waitForTimeout(800); // charts settle
  await page.screenshot({ path: file });
} finally {
  await browser.close();
  await server.close();
}
const bytes = statSync(file).size;
console.log(`[screenshot] ${file}: ${(bytes / 1024).toFixed(0)} KB`);
if (bytes >= MAX_BYTES) {
  console.error(`[screenshot] over ${MAX_BYTES / 1024} KB: pick a simpler view`);
  process.exit(1);
}
