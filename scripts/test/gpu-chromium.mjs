/**
 * The CPU ≡ WebGPU suite in headless Chromium: bundles tests/gpu/browser.ts with Vite, serves it
 * on localhost (WebGPU needs a secure context), drives the system Chromium with Playwright and
 * returns the page's report, or { skipped: reason } when there is no Chromium (after trying to
 * install one, as for e2e) or no WebGPU in it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { CHROMIUM_ARGS, ensureTestChromium } from "./chromium.mjs";
import { serveStatic } from "./static-server.mjs";

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>webgrad GPU tests</title></head>
<body><script type="module" src="./gpu-suite.js"></script></body></html>`;

/** Build, serve, run; returns the SuiteReport, or { skipped: reason }. */
export async function runChromiumSuite({ root, only, timeoutMs = 300_000 }) {
  let executablePath;
  try {
    executablePath = ensureTestChromium();
  } catch (error) {
    console.log(String(error.message ?? error));
    return { skipped: "no Chromium found or installed (apt-get install chromium, or set CHROMIUM_PATH)" };
  }
  // One bundle folder per checkout: worktrees share node_modules (and so its .cache).
  const outDir = join(root, `node_modules/.cache/webgrad-gpu-page-${createHash("sha1").update(root).digest("hex").slice(0, 10)}`);
  const { build } = await import("vite");
  await build({
    root,
    configFile: false,
    logLevel: "error",
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      minify: false,
      lib: { entry: join(root, "tests/gpu/browser.ts"), formats: ["es"], fileName: () => "gpu-suite.js" },
    },
  });
  writeFileSync(join(outDir, "index.html"), PAGE);
  // Port 0: any free port.
  const server = await serveStatic(outDir, 0);
  const url = `http://localhost:${server.address().port}/`;
  const { chromium } = await import("playwright-core");
  // WEBGRAD_GPU_GEOMETRY=gpu|cpu: the whole suite under that kernel geometry (tests/gpu/node.ts says the same for Dawn).
  const geometry = process.env.WEBGRAD_GPU_GEOMETRY || "auto";
  /** Runs `parts` of the suite in a browser of its own; its console lines are printed when it ends, together. */
  const runShard = async (parts) => {
    const lines = [];
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      page.on("console", (m) => lines.push(m.text()));
      page.on("pageerror", (e) => lines.push(`[page error] ${e.message}`));
      await page.goto(url);
      await page.waitForFunction(() => typeof window.runGpuSuite === "function", null, { timeout: 60_000 });
      page.setDefaultTimeout(timeoutMs);
      return await page.evaluate(([o, g, p]) => window.runGpuSuite(o ?? undefined, g, p ?? undefined), [only ?? null, geometry, parts]);
    } finally {
      for (const l of lines) console.log(l);
      await browser.close();
    }
  };
  try {
    // Two browsers, so two GPU processes: one process builds and runs pipelines on about one core,
    // and the two shares take about as long each (the ops' cases and the geometry pass; the fusion,
    // fuzz and backend checks). A run limited to some ops (`only`) stays in one browser.
    const shards = only ? [null] : SHARDS;
    const reports = await Promise.all(shards.map(runShard));
    if (shards.length > 1) console.log(`[gpu:chromium] shards: ${shards.map((p, k) => `${p.join("+")} ${reports[k].seconds?.toFixed(1)} s`).join(", ")}`);
    const failed = reports.find((r) => r.error);
    if (failed) return { skipped: `WebGPU unavailable in Chromium: ${failed.error}` };
    return { ...reports[0], results: reports.flatMap((r) => r.results), seconds: Math.max(...reports.map((r) => r.seconds)) };
  } finally {
    server.close();
  }
}

/** How the whole suite is split over browsers (tests/gpu/suite.ts names the parts; together they are all of them). */
const SHARDS = [
  ["ops", "geometry"],
  ["fusion", "fuzz", "infra"],
];
