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

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ms = (row) => (row === undefined ? "—" : row.error ? "error" : fmt(row.ms));

/** Cases of different libraries that measure the same work share a group: the name without its mode, " (eager)" or " (jit)". */
export const groupOf = (c) => c.replace(/ \((eager|jit)\)$/, "");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * One row per (case, library) from each round's rows (bench/run.mjs, one page per round): `ms` is
 * the median over rounds of each round's median iteration, `rounds` each round's figure (NaN where
 * that round failed), `iters` the fewest timed iterations of a round; an error in every round is
 * the row's error.
 */
export function aggregateRounds(perRound) {
  const byKey = new Map();
  perRound.forEach((rows, i) => {
    for (const r of rows) {
      const k = `${r.case}\u0000${r.lib}`;
      if (!byKey.has(k)) byKey.set(k, { rows: Array(perRound.length).fill(undefined) });
      byKey.get(k).rows[i] = r;
    }
  });
  return [...byKey.values()].map(({ rows }) => {
    const first = rows.find((r) => r);
    const ok = rows.filter((r) => r && !r.error);
    if (!ok.length) return { ...first };
    return {
      ...ok[0],
      ms: median(ok.map((r) => r.ms)),
      rounds: rows.map((r) => (r && !r.error ? r.ms : NaN)),
      iters: Math.min(...ok.map((r) => r.iters)),
    };
  });
}

/**
 * webgrad against the fastest peer row of the same work in any mode (`groupOf`): the median over
 * rounds of the per-round ratio (the fastest peer's time that round over webgrad's; above 1
 * webgrad is faster), its range, and which peer row was fastest overall. Rows without `rounds`
 * (older results) give one ratio of their `ms`.
 */
function versusFastestPeer(wg, peers) {
  const n = wg.rounds?.length ?? 0;
  const best = peers.reduce((a, b) => (b.ms < a.ms ? b : a));
  const ratios = [];
  for (let i = 0; i < n; i++) {
    const times = peers.map((p) => p.rounds?.[i]).filter((t) => t > 0);
    if (times.length && wg.rounds[i] > 0) ratios.push(Math.min(...times) / wg.rounds[i]);
  }
  if (!ratios.length) ratios.push(best.ms / wg.ms);
  return { ratio: median(ratios), lo: Math.min(...ratios), hi: Math.max(...ratios), best };
}

/** LIBRARIES' display name of a peer row, with its mode when the row names one. */
const peerName = (r) => `${LIBRARIES.find(([lib]) => lib === r.lib)?.[1] ?? r.lib}${/ \((eager|jit)\)$/.exec(r.case)?.[0] ?? ""}`;

/**
 * The Markdown for one results object (`{ date, adapter, chromium, budgetMs, rounds, rows }`): one
 * line per case, milliseconds per iteration per library with the range over rounds (— where a
 * library does not run that case), webgrad's dispatches per iteration, and how webgrad compares
 * with the fastest peer of the same work in any mode (named when it is another case's row).
 */
export function renderBenchTable(results) {
  const cases = [...new Set(results.rows.map((r) => r.case))];
  const lines = [
    `| case | ${LIBRARIES.map(([, name]) => `${name} ms`).join(" | ")} | webgrad dispatches | webgrad vs fastest peer |`,
    `| --- | ${LIBRARIES.map(() => "---:").join(" | ")} | ---: | ---: |`,
  ];
  const cell = (row) => {
    const r = row?.rounds?.filter((t) => t > 0) ?? [];
    return r.length > 1 && !row.error ? `${ms(row)} (${fmt(Math.min(...r))}–${fmt(Math.max(...r))})` : ms(row);
  };
  for (const c of cases) {
    const rows = Object.fromEntries(results.rows.filter((r) => r.case === c).map((r) => [r.lib, r]));
    const wg = rows.webgrad;
    const peers = results.rows.filter((r) => r.lib !== "webgrad" && groupOf(r.case) === groupOf(c) && !r.error && r.ms > 0);
    let ratio = "—";
    if (wg && !wg.error && peers.length) {
      const v = versusFastestPeer(wg, peers);
      const spread = v.hi > v.lo ? ` (${v.lo.toFixed(2)}–${v.hi.toFixed(2)})` : "";
      const who = v.best.case === c ? "" : ` vs ${peerName(v.best)}`;
      ratio = `${v.ratio.toFixed(2)}×${spread}${who}`;
    }
    // A mean over iterations (a lazy eager chain runs op by op until its kernel is built) reads to one decimal.
    const dispatches = wg?.dispatches === undefined ? "—" : String(Math.round(wg.dispatches * 10) / 10);
    lines.push(`| ${c} | ${LIBRARIES.map(([lib]) => cell(rows[lib])).join(" | ")} | ${dispatches} | ${ratio} |`);
  }
  const date = results.date ? results.date.slice(0, 10) : "unknown date";
  const rounds = results.rounds ?? 1;
  lines.push(
    "",
    `Milliseconds per iteration (lower is better), each iteration ending in a read-back: the median over ${rounds} round${rounds === 1 ? "" : "s"} ` +
      `(a fresh page each, the libraries taking turns going first) of each round's median iteration (at least ${results.minIters ?? 2} per cell), ` +
      `the range over rounds in brackets; ${results.adapter ?? "unknown adapter"}${results.host ? ` on ${results.host}` : ""}, Chromium ${results.chromium ?? "?"}, ${date}, about ${results.budgetMs ?? "?"} ms of timing per cell. ` +
      `"webgrad vs fastest peer" is the fastest other library's time over webgrad's for the same work in any mode (eager or jit; named when it is the other mode), ` +
      "the median of the per-round ratios with their range (above 1: webgrad is faster). Compare ratios within one run, not absolute times across machines: " +
      "SwiftShader compiles every library's kernels for the host CPU, so even the ratios move from one host to another.",
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
