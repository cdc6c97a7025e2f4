/**
 * The course's training examples on WebGPU in Node (Dawn + SwiftShader), Eager against Graph:
 * runs one example program as a learner's Run does (the file itself, `steps(n)` capped at the
 * given count) and reports the whole run's wall and CPU time, and per training step (from the
 * loss points it plots every few steps, each after a readback) the wall time, dispatches, submits,
 * readbacks and buffers created. One example and mode per process (a module runs once); the
 * launcher, scripts/tools/bench-gpu-node.mjs --examples, alternates them.
 */
import * as wg from "../src/lib/index";
import { initWebGPU, webgpuBackend } from "../src/lib/backend/webgpu/init";
import { setAssetUrl } from "../src/lib/data/assets";
import { mnistAssetFile } from "../scripts/vite/mnist-asset";
import { pathToFileURL } from "node:url";
import { recordPipelineBuilds } from "./pipeline-builds";

const programs = import.meta.glob<unknown>(["../src/examples/63-mnist.ts", "../src/examples/64-tiny-transformer.ts"]);

/** One run's figures (printed as one JSON line). */
export interface ExampleRun {
  example: string;
  mode: "eager" | "graph";
  steps: number;
  wallMs: number;
  cpuMs: number;
  /** Median wall time per training step between loss points (steady state: the first interval left out). */
  stepMs: number;
  /** Per training step in the steady state: GPU dispatches, queue submits, readbacks, buffers created, host CPU-ms. */
  perStep: { dispatches: number; submits: number; reads: number; buffers: number; cpuMs: number };
  traces: number;
  /** Compute pipelines built (distinct kernels) and the main thread's ms spent building them. */
  pipelines: number;
  compileMs: number;
  /** The slowest pipeline builds: [ms, kernel key]. */
  slowest: [number, string][];
}

interface Mark {
  step: number;
  t: number;
  cpu: number;
  dispatches: number;
  submits: number;
  reads: number;
  buffers: number;
}

/** Run example `id` ("63-mnist", "64-tiny-transformer") in `mode` for `steps` training steps. */
export async function benchExample(id: string, mode: "eager" | "graph", steps: number): Promise<ExampleRun> {
  setAssetUrl("mnist", pathToFileURL(mnistAssetFile()).href);
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const init = await initWebGPU({ gpu: create([]) as unknown as GPU, syncPipelines: true });
  if (!init.ok) throw new Error(init.reason);
  const gpu = webgpuBackend()!;
  // LAZY=0: eager elementwise ops dispatch one by one (backend/webgpu/lazy.ts off), to compare.
  if (process.env.LAZY === "0") gpu.lazyFusion = false;
  // Counts the queue's submits and the backend's readbacks by wrapping them (no listener needed).
  let submits = 0,
    reads = 0,
    traces = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const q = (gpu as any).queue as { submit(batch: unknown[]): Promise<void> };
  const submit = q.submit.bind(q);
  q.submit = (batch) => (submits++, submit(batch));
  const builds = recordPipelineBuilds(gpu.device);
  const read = gpu.read.bind(gpu);
  gpu.read = (v) => (reads++, read(v));
  wg.setMode(mode);
  wg.setStepLimit(steps);
  const marks: Mark[] = [];
  const cpu0 = process.cpuUsage();
  const cpuMs = () => {
    const c = process.cpuUsage(cpu0);
    return (c.user + c.system) / 1000;
  };
  const off = wg.onEvent((e) => {
    if (e.type === "graph" && e.phase === "compiled") traces++;
    if (e.type === "plot" && e.chart === "loss")
      marks.push({
        step: e.x,
        t: performance.now(),
        cpu: cpuMs(),
        dispatches: gpu.dispatchCount,
        submits,
        reads,
        buffers: gpu.poolStats().created,
      });
  });
  const log = console.log;
  console.log = () => undefined;
  const t0 = performance.now();
  try {
    const path = Object.keys(programs).find((p) => p.includes(`/${id}.ts`));
    if (!path) throw new Error(`no example ${id}`);
    await programs[path]();
    await gpu.flush();
  } finally {
    console.log = log;
    off();
  }
  const wallMs = performance.now() - t0;
  // Consecutive loss points with no evaluation or sampling between them (those print; skip intervals
  // that hold one: they are the slowest); the first interval still compiles (graph) or warms up.
  const intervals: { per: number; m: Mark; prev: Mark }[] = [];
  for (let i = 2; i < marks.length; i++) {
    const prev = marks[i - 1],
      m = marks[i];
    const n = m.step - prev.step;
    if (n > 0) intervals.push({ per: (m.t - prev.t) / n, m, prev });
  }
  intervals.sort((a, b) => a.per - b.per);
  const mid = intervals[Math.floor(intervals.length / 2)];
  const per = (f: (m: Mark) => number) => (mid ? (f(mid.m) - f(mid.prev)) / (mid.m.step - mid.prev.step) : NaN);
  return {
    example: id,
    mode,
    steps,
    wallMs,
    cpuMs: cpuMs(),
    stepMs: mid?.per ?? NaN,
    perStep: {
      dispatches: per((m) => m.dispatches),
      submits: per((m) => m.submits),
      reads: per((m) => m.reads),
      buffers: per((m) => m.buffers),
      cpuMs: per((m) => m.cpu),
    },
    traces,
    pipelines: gpu.pipelines.size,
    compileMs: builds.reduce((sum, [, ms]) => sum + ms, 0),
    slowest: builds
      .map(([key, ms]): [number, string] => [ms, key])
      .sort((a, b) => b[0] - a[0])
      .slice(0, 8),
  };
}
