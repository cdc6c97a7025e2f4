#!/usr/bin/env node
/**
 * Where a command's CPU time goes, by Chromium process type and thread (Linux /proc): runs the
 * command, samples every thread of every Chromium process twice a second, and prints the CPU
 * seconds of each (process type, thread name), the largest first. On SwiftShader the GPU
 * process's `ThreadPoolForeg…` threads are Dawn's pipeline builds, its `Thread<n>` threads the
 * kernels themselves; a renderer's `DedicatedWorker` is the runner (or another worker), its
 * `ThreadPoolForeg…` V8's background compiles and GC (docs/WEBGPU_TUNING.md, "Measuring").
 *   node scripts/tools/cpu-by-thread.mjs [--top n] -- <command …>
 * e.g. `node scripts/tools/cpu-by-thread.mjs -- node scripts/test/e2e.mjs --no-build examples.spec.ts`.
 * Threads that end between two samples lose at most their last half second.
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

const args = process.argv.slice(2);
const dash = args.indexOf("--");
if (dash < 0 || dash === args.length - 1) {
  console.error("usage: node scripts/tools/cpu-by-thread.mjs [--top n] -- <command …>");
  process.exit(2);
}
const top = args.includes("--top") ? Number(args[args.indexOf("--top") + 1]) : 20;
const command = args.slice(dash + 1);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** A Chromium process's type (`--type=…`, the browser when none), or null for other processes. */
function processType(pid) {
  let cmdline;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ");
  } catch {
    return null;
  }
  if (!/chrom|headless/.test(cmdline)) return null;
  return /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? "browser";
}

/** A thread's name (digits at the end folded, so a pool's threads add up) and its CPU ticks. */
function threadTicks(pid, tid) {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "latin1");
  const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/\d+$/, "#");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { name, ticks: Number(fields[11]) + Number(fields[12]) };
}

const seen = new Map(); // "pid/tid" → ticks counted so far
const types = new Map(); // pid → type (or null)
const total = new Map(); // "type: thread" → ticks
function sample() {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    if (!types.has(pid)) types.set(pid, processType(pid));
    const type = types.get(pid);
    if (!type) continue;
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const { name, ticks } = threadTicks(pid, tid);
        const key = `${pid}/${tid}`;
        const label = `${type}: ${name}`;
        total.set(label, (total.get(label) ?? 0) + ticks - (seen.get(key) ?? 0));
        seen.set(key, ticks);
      } catch {
        // The thread ended between listing and reading.
      }
    }
  }
}

const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
const timer = setInterval(sample, 500);
child.on("close", (code) => {
  clearInterval(timer);
  const rows = [...total].filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]);
  const sum = rows.reduce((s, [, t]) => s + t, 0);
  console.log(`\nChromium CPU by process type and thread (${(sum / TICKS_PER_SECOND).toFixed(1)} CPU-s in all):`);
  for (const [label, t] of rows.slice(0, top)) console.log(`${(t / TICKS_PER_SECOND).toFixed(1).padStart(8)} CPU-s  ${label}`);
  process.exit(code ?? 1);
});
