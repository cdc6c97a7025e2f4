#!/usr/bin/env node
/**
 * What a learner waits for: whole example runs in the built app, in Chromium (WebGPU: SwiftShader
 * here), Eager against Graph. Builds the app into a private folder (or takes `--dist`), serves it
 * with `vite preview`, puts each example's code in the editor with its training loop's
 * `steps(n)` for n ≥ 100 set to `--steps` (default: the example's own), and runs it in both
 * modes, alternating which goes first, `--rounds` times on one page. Prints each run's time (the
 * status bar's "Finished in …") and the medians with Eager ÷ Graph.
 *   node scripts/tools/bench-examples-browser.mjs [--dist folder] [--steps n] [--rounds r] [example-id …]
 * Example ids default to 63-mnist and 64-tiny-transformer. Two --steps values (e.g. 20 and 100)
 * give the time per training step by difference, without the compile and the sampling.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, ensureChromium } from "../test/chromium.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dist = arg("--dist");
const steps = arg("--steps");
const rounds = Number(arg("--rounds", "2"));
const valued = new Set(["--dist", "--steps", "--rounds"]);
const ids = args.filter((a, i) => !a.startsWith("--") && !valued.has(args[i - 1]));
const examples = ids.length ? ids : ["63-mnist", "64-tiny-transformer"];
const outDir = dist ?? join(root, "node_modules/.cache/webgrad-bench-examples-build");
const port = Number(process.env.BENCH_PORT ?? 4643);

if (!dist) {
  const built = spawnSync("npx", ["vite", "build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** The example's source with its training loop's length set (loops under 100 steps, such as sampling, keep theirs). */
function codeOf(id) {
  const code = readFileSync(join(root, "src/examples", `${id}.ts`), "utf8");
  return steps ? code.replaceAll(/steps\((\d+)\)/g, (m, n) => (Number(n) >= 100 ? `steps(${steps})` : m)) : code;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { preview } = await import("vite");
const server = await preview({ root, logLevel: "warn", build: { outDir }, preview: { port, strictPort: true } });
const { chromium } = await import("playwright-core");
const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  await page.addInitScript(() => {
    localStorage.setItem("webgrad.tour.v1", "seen");
    localStorage.setItem("webgrad.typecheck.v1", "off");
  });
  await page.goto(`http://localhost:${port}/`);
  await page.locator(".monaco-editor textarea").waitFor({ state: "attached", timeout: 120_000 });
  const status = page.getByTestId("run-status");
  for (const id of examples) {
    await page.evaluate((c) => window.__webgradApp.editor.setCode(c), codeOf(id));
    const times = { Eager: [], Graph: [] };
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 ? ["Graph", "Eager"] : ["Eager", "Graph"]) {
        await page.getByRole("button", { name: mode, exact: true }).click();
        await page.getByRole("button", { name: /^(Run|运行)$/ }).click();
        await status.filter({ hasText: /Finished|Failed/ }).waitFor({ timeout: 600_000 });
        const text = (await status.textContent()) ?? "";
        const s = /Finished in ([\d.]+) s/.exec(text);
        if (!s) throw new Error(`${id} (${mode}): ${text}`);
        times[mode].push(Number(s[1]));
        console.log(`${id.padEnd(20)} ${mode.padEnd(5)} ${steps ? `${steps} steps` : "as written"}: ${s[1]} s`);
      }
    }
    const [e, g] = [median(times.Eager), median(times.Graph)];
    console.log(`${id}: median Eager ${e.toFixed(1)} s, Graph ${g.toFixed(1)} s (Eager ÷ Graph ${(e / g).toFixed(2)}×)`);
  }
} finally {
  await browser.close();
  await server.close();
}
