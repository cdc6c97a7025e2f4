#!/usr/bin/env node
/**
 * Renders bench/results.json (written by `npm run bench`, see bench/run.mjs) as a Markdown table
 * into README.md, between `<!-- bench:start -->` and `<!-- bench:end -->`. bench/run.mjs calls it
 * after each run; `node scripts/tools/bench-table.mjs` redoes it by hand. Without a results file it says
 * so, in the terminal and in the README.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const START = "<!-- bench:start -->";
export const END = "<!-- bench:end -->";

/** The libraries in column order, with the names the table shows. */
const LIBRARIES = [
  ["webgrad", "webgrad"],
  ["tfjs", "TensorFlow.js"],
  ["jax-js", "jax-js"],
];

const ms = (row) => (row === undefined ? "—" : row.error ? "error" : row.ms >= 100 ? row.ms.toFixed(0) : row.ms.toFixed(1));

/**
 * The Markdown for one results object (`{ date, adapter, chromium, budgetMs, rows }`): one line
 * per case, milliseconds per iteration per library (— where a library does not run that case),
 * webgrad's dispatches per iteration, and how webgrad compares with the fastest peer.
 */
export function renderBenchTable(results) {
  const cases = [...new Set(results.rows.map((r) => r.case))];
  const lines = [
    `| case | ${LIBRARIES.map(([, name]) => `${name} ms`).join(" | ")} | webgrad dispatches | webgrad vs fastest peer |`,
    `| --- | ${LIBRARIES.map(() => "---:").join(" | ")} | ---: | ---: |`,
  ];
  for (const c of cases) {
    const rows = Object.fromEntries(results.rows.filter((r) => r.case === c).map((r) => [r.lib, r]));
    const wg = rows.webgrad;
    const peers = LIBRARIES.slice(1)
      .map(([lib]) => rows[lib])
      .filter((r) => r && !r.error && r.ms > 0);
    const best = peers.length ? Math.min(...peers.map((r) => r.ms)) : undefined;
    // > 1: webgrad is that many times faster; < 1: slower.
    const ratio = wg && !wg.error && best !== undefined ? `${(best / wg.ms).toFixed(2)}×` : "—";
    lines.push(`| ${c} | ${LIBRARIES.map(([lib]) => ms(rows[lib])).join(" | ")} | ${wg?.dispatches ?? "—"} | ${ratio} |`);
  }
  const date = results.date ? results.date.slice(0, 10) : "unknown date";
  lines.push(
    "",
    `Milliseconds per iteration (the median iteration, lower is better), each ending in a read-back; ${results.adapter ?? "unknown adapter"}, ` +
      `Chromium ${results.chromium ?? "?"}, ${date}, about ${results.budgetMs ?? "?"} ms of timing per cell. ` +
      `"webgrad vs fastest peer" is the fastest other library's time over webgrad's (above 1: webgrad is faster). ` +
      "Compare ratios within one run, not absolute times across machines.",
  );
  return lines.join("\n");
}

/** `text` with everything between the markers replaced by `block`; throws if a marker is missing. */
export function replaceBetweenMarkers(text, block) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section to fill`);
  return `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`;
}

/** Fills the README from the results file; returns what it did, in a sentence. */
export function updateReadme(root = fileURLToPath(new URL("../..", import.meta.url))) {
  const resultsFile = join(root, "bench/results.json");
  const readmeFile = join(root, "README.md");
  const block = existsSync(resultsFile)
    ? renderBenchTable(JSON.parse(readFileSync(resultsFile, "utf8")))
    : "No benchmark results yet: `npm run bench` measures them and writes `bench/results.json`.";
  writeFileSync(readmeFile, replaceBetweenMarkers(readFileSync(readmeFile, "utf8"), block));
  return existsSync(resultsFile)
    ? `README.md: benchmark table updated from bench/results.json`
    : `no bench/results.json yet (run npm run bench); README.md says so`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(`[bench-table] ${updateReadme()}`);
  } catch (error) {
    console.error(`[bench-table] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
