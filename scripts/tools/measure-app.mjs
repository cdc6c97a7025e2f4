#!/usr/bin/env node
/**
 * `npm run measure:app`: the playground's performance figures, in headless Chromium against
 * `vite preview` of the built app (builds it first if dist/app is missing; `--build` forces it).
 *
 *   editor ready   navigation → editable editor, cold (new profile) and warm (reload, cached)
 *   initial JS     gzip size of the JS the page loads before anything lazy (Monaco, TS, panels)
 *   run → output   Run click → first console line for `console.log(1)`, warm
 *   stop           Stop click → run stopped, inside `while (true) {}`
 *   share link     length of the share URL for a 60-line program
 *
 * Prints a table and writes test-results/measure-app.json.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, ensureChromium } from "../test/chromium.mjs";

const PORT = Number(process.env.MEASURE_PORT ?? 4318);
const BASE = `http://localhost:${PORT}/`;
const DIST = "dist/app";
const RUNS = 5;

if (process.argv.includes("--build") || !existsSync(join(DIST, "index.html"))) {
  const r = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

/** Initial JS: the entry script and its modulepreloads, as index.html lists them. */
function initialJs() {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const files = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const f of new Set(files)) {
    const bytes = readFileSync(join(DIST, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: [...new Set(files)], rawKB: round(raw / 1024), gzipKB: round(gzip / 1024) };
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(BASE)).ok) return;
    } catch {
      // Not listening yet: try again.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not start on ${BASE}`);
}

const server = spawn("npx", ["vite", "preview", "--port", String(PORT), "--strictPort"], { stdio: "ignore", detached: true });
const stopServer = () => {
  try {
    process.kill(-server.pid);
  } catch {
    // Already gone.
  }
};
process.on("exit", stopServer);

try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "allow" });
  const page = await context.newPage();

  const editorReady = async () => {
    await page.waitForFunction(() => performance.getEntriesByName("webgrad:editor-ready").length > 0, null, { timeout: 60_000 });
    return page.evaluate(() => performance.getEntriesByName("webgrad:editor-ready")[0].startTime);
  };

  await page.goto(BASE);
  const cold = await editorReady();
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  const warmRuns = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    warmRuns.push(await editorReady());
  }
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);

  // Run → first output, warm (the runner's spare worker and the TS worker are up).
  const setCode = (code) => page.evaluate((c) => window.__webgradApp.editor.setCode(c), code);
  const runToOutput = () =>
    page.evaluate(async () => {
      const log = document.querySelector('[data-testid="console"]');
      const run = [...document.querySelectorAll("button")].find((b) => b.textContent?.trim().endsWith("Run"));
      const seen = new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (log.querySelector(".line.log")) {
            obs.disconnect();
            resolve(performance.now());
          }
        });
        obs.observe(log, { childList: true, subtree: true });
      });
      const t0 = performance.now();
      run.click();
      return (await seen) - t0;
    });
  await setCode("console.log(1);\n");
  await runToOutput(); // first run warms the TypeScript worker's emit path
  const outputRuns = [];
  for (let i = 0; i < RUNS; i++) {
    await page.waitForFunction(() => !["compiling", "running"].includes(window.__webgradApp.status));
    await page.waitForTimeout(300); // the spare worker is loaded again
    outputRuns.push(await runToOutput());
  }

  // Stop inside while (true) {}.
  await setCode('console.log("spin");\nwhile (true) {}\n');
  const stopRuns = [];
  for (let i = 0; i < RUNS; i++) {
    await page.waitForTimeout(300);
    await runToOutput();
    await page.waitForTimeout(200);
    stopRuns.push(
      await page.evaluate(async () => {
        const status = document.querySelector('[data-testid="run-status"]');
        const t0 = performance.now();
        document.querySelector("button.stop").click();
        while (!status.textContent?.includes("Stopped")) await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - t0;
      }),
    );
  }

  // Share link for a 60-line program.
  const program = [
    'import { plot } from "webgrad";',
    "",
    "// A small two-layer network trained on XOR, written out by hand (60 lines).",
    "const data = [",
    "  { x: [0, 0], y: 0 },",
    "  { x: [0, 1], y: 1 },",
    "  { x: [1, 0], y: 1 },",
    "  { x: [1, 1], y: 0 },",
    "];",
    "const hidden = 8;",
    "const rand = () => Math.random() * 2 - 1;",
    "const w1 = Array.from({ length: hidden }, () => [rand(), rand()]);",
    "const b1 = Array.from({ length: hidden }, () => 0);",
    "const w2 = Array.from({ length: hidden }, rand);",
    "let b2 = 0;",
    "const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));",
    "const lr = 0.5;",
    "",
    "function forward(x: number[]) {",
    "  const h = w1.map((w, j) => Math.tanh(w[0] * x[0] + w[1] * x[1] + b1[j]));",
    "  const out = sigmoid(h.reduce((s, hj, j) => s + hj * w2[j], b2));",
    "  return { h, out };",
    "}",
    "",
    "for (let epoch = 0; epoch < 2000; epoch++) {",
    "  let loss = 0;",
    "  for (const { x, y } of data) {",
    "    const { h, out } = forward(x);",
    "    loss += -(y * Math.log(out) + (1 - y) * Math.log(1 - out));",
    "    const dOut = out - y;",
    "    for (let j = 0; j < hidden; j++) {",
    "      const dh = dOut * w2[j] * (1 - h[j] * h[j]);",
    "      w2[j] -= lr * dOut * h[j];",
    "      w1[j][0] -= lr * dh * x[0];",
    "      w1[j][1] -= lr * dh * x[1];",
    "      b1[j] -= lr * dh;",
    "    }",
    "    b2 -= lr * dOut;",
    "  }",
    '  if (epoch % 20 === 0) plot("loss", epoch, loss / data.length);',
    "}",
    "",
    "for (const { x, y } of data) {",
    "  const { out } = forward(x);",
    '  console.log(`${x.join(" xor ")} = ${y}: predicted ${out.toFixed(3)}`);',
    "}",
    "",
    "// Things to try:",
    "// 1. Change `hidden` to 2 and watch the loss plateau.",
    "// 2. Raise the learning rate to 5: does training diverge?",
    "// 3. Replace tanh with a ReLU and compare the curves.",
    "// 4. Initialise every weight to 0: why does nothing learn?",
    "// 5. Plot the loss of each example as its own series.",
    "// 6. Count the epochs until the loss is below 0.05.",
    "// 7. Add a second hidden layer.",
    "// 8. Print w1 after training.",
    "// 9. Time the loop with console.time.",
    "// 10. Share your version with a friend.",
    "// 11. Read the Console for the predictions.",
    'console.log("done");',
  ];
  if (program.length !== 60) throw new Error(`the sample program has ${program.length} lines, not 60`);
  await setCode(program.join("\n"));
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE.slice(0, -1) });
  await page.getByRole("button", { name: "Share" }).click();
  await page.waitForFunction(() => location.hash.startsWith("#code="));
  const shareUrl = page.url();

  await browser.close();

  const js = initialJs();
  const result = {
    date: new Date().toISOString(),
    chromium: browser.version?.() ?? "",
    editorReadyColdMs: round(cold),
    editorReadyWarmMs: round(median(warmRuns)),
    warmControlledByServiceWorker: controlled,
    initialJsGzipKB: js.gzipKB,
    initialJsRawKB: js.rawKB,
    initialJsFiles: js.files,
    runToFirstOutputMs: round(median(outputRuns)),
    runToFirstOutputAllMs: outputRuns.map(round),
    stopLatencyMs: round(median(stopRuns)),
    stopLatencyAllMs: stopRuns.map(round),
    shareLinkChars60Lines: shareUrl.length,
    shareLinkHashChars60Lines: new URL(shareUrl).hash.length,
  };
  const rows = [
    ["navigation → editable editor (cold)", `${result.editorReadyColdMs} ms`, ""],
    ["navigation → editable editor (warm)", `${result.editorReadyWarmMs} ms`, "≤ 1500 ms"],
    ["initial JS (gzip, excl. lazy Monaco/TS)", `${result.initialJsGzipKB} KB`, "≤ 250 KB"],
    ["Run → first output, console.log(1) (warm)", `${result.runToFirstOutputMs} ms`, "≤ 300 ms"],
    ["Stop latency in while (true) {}", `${result.stopLatencyMs} ms`, "≤ 250 ms"],
    ["share link, 60-line program", `${result.shareLinkChars60Lines} chars`, ""],
  ];
  console.log("\nwebgrad app measurements (headless Chromium, vite preview)\n");
  for (const [name, value, target] of rows) console.log(`  ${name.padEnd(44)} ${value.padStart(12)}   ${target}`);
  mkdirSync("test-results", { recursive: true });
  writeFileSync("test-results/measure-app.json", JSON.stringify(result, null, 2) + "\n");
  console.log("\n(details in test-results/measure-app.json)");
} finally {
  stopServer();
}
