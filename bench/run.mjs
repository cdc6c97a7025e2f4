#!/usr/bin/env node
/**
 * `npm run bench`: webgrad vs TensorFlow.js (webgpu) vs jax-js (webgpu) in headless Chromium on
 * the same adapter. Bundles bench/page.ts with Vite (all three libraries come from node_modules:
 * nothing is fetched), serves it on localhost (WebGPU needs a secure context), drives the system
 * Chromium with Playwright, prints a table and writes bench/results.json.
 *   node bench/run.mjs [--only matmul,softmax] [--rounds 3] [--budget-ms 1500] [--min-iters 5] [--quick] [--no-write] [--geometry gpu]
 * Each round loads a fresh page and runs every case, the libraries taking turns going first
 * (bench/page.ts); a cell is the median over rounds of each round's median iteration, and the
 * table shows the spread over rounds. "vs fastest peer" compares with the fastest other library
 * in any mode (eager or jit) for the same work. --quick: one round, 5 iterations a cell, for a
 * developer's look at one case (`--quick --only "sum all"`); --no-write: print the table only
 * (bench/results.json and the README stay as they are).
 * --geometry gpu (or cpu): webgrad's kernels take that geometry whatever the adapter (docs/WEBGPU_TUNING.md:
 * the real-GPU path measured on SwiftShader); such a run prints its table only (implies --no-write).
 * Timings are for notes: compare ratios within one run, never absolute times across runs.
 */
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, findChromium } from "../scripts/test/chromium.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = arg("--only")?.split(",");
const quick = args.includes("--quick");
const budgetMs = Number(arg("--budget-ms") ?? (quick ? 0 : 1500));
const rounds = Number(arg("--rounds") ?? (quick ? 1 : 3));
const minIters = Number(arg("--min-iters") ?? 5);
const geometry = arg("--geometry") ?? "auto";
if (!["auto", "gpu", "cpu"].includes(geometry)) {
  console.log(`[bench] --geometry ${geometry}: use gpu, cpu or auto`);
  process.exit(2);
}
// The committed table is the adapter's own geometry: a forced one only prints.
const noWrite = args.includes("--no-write") || geometry !== "auto";

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>webgrad bench</title></head>
<body><script type="module" src="./bench.js"></script></body></html>`;

import { aggregateRounds, groupOf } from "../scripts/tools/bench-table.mjs";

/**
 * The machine's CPU, cores and widest SIMD: SwiftShader compiles every library's kernels for it,
 * and the ratios move with it (the same code measured matmul 1024 at 2.3× jax-js on an AVX2 host
 * and 1.7× on an AVX-512 one), so a table names its host.
 */
function hostCpu() {
  const cpus = os.cpus();
  let simd = "";
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1].split(/\s+/) ?? [];
    simd = flags.includes("avx512f") ? ", AVX-512" : flags.includes("avx2") ? ", AVX2" : flags.includes("avx") ? ", AVX" : "";
  } catch {
    // Not Linux: the model and the core count say enough.
  }
  return `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores${simd}`;
}

async function buildPage() {
  // One bundle folder per checkout: worktrees share node_modules (and so its .cache).
  const outDir = join(root, `node_modules/.cache/webgrad-bench-page-${createHash("sha1").update(root).digest("hex").slice(0, 10)}`);
  const { build } = await import("vite");
  await build({
    root,
    configFile: false,
    logLevel: "error",
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      minify: false,
      lib: { entry: join(root, "bench/page.ts"), formats: ["es"], fileName: () => "bench.js" },
    },
  });
  return outDir;
}

function serve(outDir) {
  const server = createServer(async (req, res) => {
    try {
      if (req.url === "/" || req.url === "/index.html") return void res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
      const body = await readFile(join(outDir, req.url.replace(/^\/+/, "").split("?")[0]));
      res.writeHead(200, { "content-type": "text/javascript" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

/** Adds GFLOP/s and, on webgrad rows, `vs` = peer time / webgrad time (> 1: webgrad is faster), for every peer row of the same work in any mode. */
function summarize(rows) {
  for (const r of rows) if (r.flops && r.ms > 0) r.gflops = r.flops / (r.ms * 1e6);
  for (const r of rows.filter((x) => x.lib === "webgrad" && !x.error)) {
    r.vs = {};
    for (const p of rows.filter((x) => x.lib !== "webgrad" && groupOf(x.case) === groupOf(r.case) && !x.error)) r.vs[`${p.lib} ${p.case}`] = p.ms / r.ms;
  }
  return rows;
}

function printTable(rows) {
  const cells = rows.map((r) => [
    r.case,
    r.lib,
    r.error
      ? `error: ${r.error.slice(0, 60)}`
      : `${r.ms.toFixed(1)}${r.rounds?.length > 1 ? ` (${Math.min(...r.rounds).toFixed(1)}–${Math.max(...r.rounds).toFixed(1)})` : ""}`,
    r.gflops ? r.gflops.toFixed(2) : "",
    r.dispatches !== undefined ? String(Math.round(r.dispatches * 10) / 10) : "",
    r.vs
      ? Object.entries(r.vs)
          .map(([k, v]) => `${v.toFixed(2)}× ${k.split(" ")[0]}${/\((eager|jit)\)$/.exec(k)?.[0].replace(/^/, " ") ?? ""}`)
          .join(", ")
      : "",
  ]);
  const head = ["case", "library", "ms/iter (rounds' range)", "GFLOP/s", "dispatches", "webgrad speed-up vs peer (median over rounds)"];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => x.padEnd(w[i])).join("  ");
  console.log(`\n${line(head)}\n${w.map((n) => "-".repeat(n)).join("  ")}`);
  for (const c of cells) console.log(line(c));
}

const executablePath = findChromium();
if (!executablePath) {
  console.log("[bench] no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)");
  process.exit(1);
}
const outDir = await buildPage();
const server = await serve(outDir);
const { chromium } = await import("playwright-core");
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  const t0 = Date.now();
  const perRound = [];
  let adapter = "";
  for (let round = 0; round < rounds; round++) {
    // A fresh page per round: each library starts again from its own initialization.
    const page = await browser.newPage();
    page.on("console", (m) => m.text().startsWith("[bench]") && console.log(m.text()));
    page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
    page.setDefaultTimeout(900_000);
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => typeof window.runBench === "function", null, { timeout: 60_000 });
    console.log(`[bench] round ${round + 1} of ${rounds}`);
    const r = await page.evaluate((o) => window.runBench(o), { only, budgetMs, minIters, round, geometry });
    adapter = r.adapter;
    perRound.push(r.rows);
    await page.close();
  }
  const rows = summarize(aggregateRounds(perRound));
  printTable(rows);
  const host = hostCpu();
  console.log(
    `\nadapter: ${adapter}; host: ${host}; ${rounds} round(s); ${((Date.now() - t0) / 1000).toFixed(0)} s; a readback every iteration for every library`,
  );
  if (!noWrite) {
    const file = join(root, "bench/results.json");
    await writeFile(
      file,
      JSON.stringify({ date: new Date().toISOString(), adapter, host, chromium: browser.version(), budgetMs, rounds, minIters, rows }, null, 2) + "\n",
    );
    console.log(`wrote ${file}`);
    // The README's benchmark table follows the newest results (scripts/tools/bench-table.mjs).
    const { updateReadme } = await import("../scripts/tools/bench-table.mjs");
    console.log(`[bench] ${updateReadme(root)}`);
  }
} finally {
  await browser.close();
  server.close();
}
