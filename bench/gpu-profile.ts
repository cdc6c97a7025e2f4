/**
 * Where a program's GPU time goes, kernel by kernel (Dawn + SwiftShader in Node): runs a case
 * once to warm up, records its dispatches on the next run, then replays each recorded dispatch
 * alone (REPLAYS copies per submit, then wait; the best of three) and prints the wall and CPU time
 * (process.cpuUsage: SwiftShader's threads run in this process) per kernel. Replays rewrite their outputs (in-place
 * updates apply again): figures only, the case's results are not used afterwards.
 * Run: node scripts/tools/bench-gpu-node.mjs --profile [case …] (SIZES=1: each kernel's bindings'
 * sizes in elements beside the start of its key, to tell a kernel's calls apart by shape).
 */
import * as wg from "../src/lib/index";
import { geometryFromEnv } from "./geometry-env";
import { floats, mlpStep, tinyGptSample, tinyGptStep } from "./steps";
import { initWebGPU, webgpuBackend } from "../src/lib/backend/webgpu/init";
import type { ShaderSpec } from "../src/lib/backend/webgpu/pipelines";
import type { GpuStorage } from "../src/lib/backend/webgpu/storage";
import { REDUCE_TUNING } from "../src/lib/backend/webgpu/kernels/reduce";
import { MATMUL_TUNING } from "../src/lib/backend/webgpu/kernels/matmul";
import { COMPILED_STEP } from "../src/lib/optim/optimizer";
import { ELEMENTWISE_TUNING } from "../src/lib/backend/webgpu/codegen";

type Dispatch = [ShaderSpec, GpuStorage[], Int32Array, [number, number, number]];

/** Copies of a dispatch replayed per submit and timed together. */
const REPLAYS = 10;

const wgT = (data: Float32Array, shape: number[]) => wg.tensor(data, { dtype: "float32" }).reshape(shape);
const chain = (x: wg.Tensor) => x.mul(1.5).add(0.25).tanh().mul(2).sigmoid().sub(0.5).abs().add(1).sqrt().neg();

const CASES: Record<string, () => () => Promise<unknown>> = {
  "chain-eager": () => {
    const x = wgT(floats(1 << 20), [1 << 20]);
    return async () => void (await chain(x).data());
  },
  // As the bench page's eager chain: a tidy scope releases the intermediates at once.
  "chain-eager-tidy": () => {
    const x = wgT(floats(1 << 20), [1 << 20]);
    return async () => {
      const y = wg.tidy(() => chain(x));
      await y.data();
      y.dispose();
    };
  },
  "chain-jit": () => {
    const x = wgT(floats(1 << 20), [1 << 20]);
    const f = wg.jit(chain, { name: "chain" });
    return async () => void (await f(x).data());
  },
  "sum-4M": () => {
    const x = wgT(floats(1 << 22), [1 << 22]);
    return async () => void (await x.sum().data());
  },
  "mean-last-4096x1024": () => {
    const x = wgT(floats(1 << 22), [4096, 1024]);
    return async () => void (await x.mean(-1).data());
  },
  "sum-first-1024x1024": () => {
    const x = wgT(floats(1 << 20), [1024, 1024]);
    return async () => void (await x.sum(0).data());
  },
  "sum-middle-64x256x64": () => {
    const x = wgT(floats(1 << 20), [64, 256, 64]);
    return async () => void (await x.sum(1).data());
  },
  "max-last-3x100003": () => {
    const x = wgT(floats(300009), [3, 100003]);
    return async () => void (await x.max(1).data());
  },
  // Rows that neither start nor end on a multiple of four (vec4 body + masked head and tail), and
  // the same element by element (REDUCE_TUNING.vec4Unaligned = false), for --ab.
  "sum-last-4097x257": () => {
    const x = wgT(floats(4097 * 257), [4097, 257]);
    return async () => void (await x.sum(-1).data());
  },
  "sum-last-4097x257-scalar": () => {
    const x = wgT(floats(4097 * 257), [4097, 257]);
    return async () => {
      REDUCE_TUNING.vec4Unaligned = false;
      const y = x.sum(-1);
      REDUCE_TUNING.vec4Unaligned = undefined;
      await y.data();
    };
  },
  "sum-4M+3": () => {
    const x = wgT(floats((1 << 22) + 3), [(1 << 22) + 3]);
    return async () => void (await x.sum().data());
  },
  "sum-4M+3-scalar": () => {
    const x = wgT(floats((1 << 22) + 3), [(1 << 22) + 3]);
    return async () => {
      REDUCE_TUNING.vec4Unaligned = false;
      const y = x.sum();
      REDUCE_TUNING.vec4Unaligned = undefined;
      await y.data();
    };
  },
  // The bench page's training steps (bench/steps.ts).
  "mlp-eager": () => mlpStep("mlp", false),
  "mlp-jit": () => mlpStep("mlp", true),
  "mnist-eager": () => mlpStep("mnist", false),
  "mnist-jit": () => mlpStep("mnist", true),
  "gpt-eager": () => tinyGptStep(false),
  "gpt-jit": () => tinyGptStep(true),
  "gpt-sample": () => tinyGptSample(),
  // As the playground runs it: a listener takes the events, so each submit is timed per kernel
  // (a timestamp pass per dispatch where the adapter has timestamp-query, see queue.ts).
  "gpt-jit-listened": () => {
    const step = tinyGptStep(true);
    return async () => {
      const off = wg.onEvent(() => undefined);
      try {
        await step();
      } finally {
        off();
      }
    };
  },
  // The tiny Transformer's token embedding (65 × 32 table, 512 ids): gather forward, scatterAdd backward.
  "embedding-512x32": () => {
    const table = wgT(floats(65 * 32, 1), [65, 32]);
    const ids = wg.tensor(
      Int32Array.from({ length: 512 }, (_, i) => (i * 7) % 65),
      { dtype: "int32" },
    );
    const dy = wgT(floats(512 * 32, 2), [512, 32]);
    return async () => {
      const rows = wg.indexSelect(table, 0, ids);
      await rows.data();
      const idx = ids.reshape([512, 1]).broadcastTo([512, 32]);
      await wg.scatterAdd(wg.zeros([65, 32]), 0, idx, dy).data();
    };
  },
  // A row statistic broadcast over its row (layerNorm's x·rstd): a rank-2 operand ("2").
  "rowscale-512x32": () => {
    const x = wgT(floats(512 * 32, 1), [512, 32]),
      r = wgT(floats(512, 2), [512, 1]);
    return async () => void (await x.mul(r).data());
  },
  // Attention's scores with a [query, key] mask and a row statistic: rank-3 operands ("3").
  "scores-64x32x32": () => {
    const x = wgT(floats(64 * 32 * 32, 1), [64, 32, 32]),
      m = wgT(floats(32 * 32, 2), [32, 32]),
      s = wgT(floats(64 * 32, 3), [64, 32, 1]);
    return async () => void (await x.add(m).mul(s).data());
  },
  // The bench's softmax, and attention's probabilities in the tiny Transformer (rows of 32).
  "softmax-4096x1024": () => {
    const x = wgT(floats(1 << 22), [4096, 1024]);
    return async () => void (await x.softmax(-1).data());
  },
  "softmax-2048x32": () => {
    const x = wgT(floats(2048 * 32), [64, 32, 32]);
    return async () => void (await x.softmax(-1).data());
  },
  // The bench's layerNorm, and the tiny Transformer's (rows of 32).
  "layernorm-4096x1024": () => {
    const x = wgT(floats(1 << 22), [4096, 1024]);
    return async () => void (await wg.nn.functional.layerNorm(x, [1024]).data());
  },
  "layernorm-512x32": () => {
    const x = wgT(floats(512 * 32), [512, 32]);
    return async () => void (await wg.nn.functional.layerNorm(x, [32]).data());
  },
  "add-512x32": () => {
    const a = wgT(floats(512 * 32, 1), [512, 32]),
      b = wgT(floats(512 * 32, 2), [512, 32]);
    return async () => void (await a.add(b).data());
  },
  "matmul-256": () => {
    const a = wgT(floats(1 << 16, 1), [256, 256]),
      b = wgT(floats(1 << 16, 2), [256, 256]);
    return async () => void (await a.matmul(b).data());
  },
  "matmul-1024": () => {
    const a = wgT(floats(1 << 20, 1), [1024, 1024]),
      b = wgT(floats(1 << 20, 2), [1024, 1024]);
    return async () => void (await a.matmul(b).data());
  },
};

/** Profile each named case (all when none is named). */
export async function benchProfile(names: string[]): Promise<void> {
  // REDUCE_THREADS=… / REDUCE_MIN_PER_SPLIT=…: try other reduction splits (kernels/reduce.ts).
  if (process.env.REDUCE_THREADS) REDUCE_TUNING.threads = Number(process.env.REDUCE_THREADS);
  if (process.env.REDUCE_MIN_PER_SPLIT) REDUCE_TUNING.minPerSplit = Number(process.env.REDUCE_MIN_PER_SPLIT);
  // ELEMENTWISE_GROUPS=…: another cap on an elementwise kernel's workgroups; ELEMENTWISE_VEC4=0: the scalar kernels.
  if (process.env.ELEMENTWISE_GROUPS) ELEMENTWISE_TUNING.cpuGroups = Number(process.env.ELEMENTWISE_GROUPS);
  if (process.env.ELEMENTWISE_VEC4 === "0") ELEMENTWISE_TUNING.vec4 = false;
  MATMUL_TUNING.tierUpMacs = 0; // steady state: each product's fastest block from the first call
  COMPILED_STEP.after = 1; // and an eager step's optimizer update compiled from the first
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const init = await initWebGPU({ gpu: create([]) as unknown as GPU, syncPipelines: true, geometry: geometryFromEnv() });
  if (!init.ok) throw new Error(init.reason);
  const gpu = webgpuBackend()!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const q = (gpu as any).queue as { dispatch(...d: Dispatch): void; flush(): Promise<void> };
  const original = q.dispatch.bind(q);
  for (const name of names.length ? names : Object.keys(CASES)) {
    const once = CASES[name]();
    await once();
    let t0 = performance.now();
    const reps = 3;
    let host = 0; // the synchronous part of a run: tracing/executor/encoding up to the first await
    for (let i = 0; i < reps; i++) {
      const h0 = performance.now();
      const p = once();
      host += performance.now() - h0;
      await p;
    }
    const whole = (performance.now() - t0) / reps;
    const created0 = gpu.poolStats().created;
    for (let i = 0; i < 20; i++) await once();
    console.log(
      `[pool] ${name}: ${((gpu.poolStats().created - created0) / 20).toFixed(1)} buffers created per run (20 runs), ${(gpu.poolStats().liveBytes / 2 ** 20).toFixed(0)} MiB live`,
    );
    const rec: Dispatch[] = [];
    q.dispatch = (...d: Dispatch) => {
      rec.push(d);
      original(...d);
    };
    await once();
    q.dispatch = original;
    const per = new Map<string, { ms: number; cpu: number; n: number; wg: string }>();
    let sum = 0;
    for (const d of rec) {
      let best = Infinity,
        bestCpu = Infinity;
      // REPLAYS copies per submit: a submit's fixed cost (~0.15 ms) would otherwise swamp the small kernels.
      for (let r = 0; r < 3; r++) {
        for (let i = 0; i < REPLAYS; i++) original(...d);
        t0 = performance.now();
        const c0 = process.cpuUsage();
        await q.flush();
        await gpu.device.queue.onSubmittedWorkDone();
        const c = process.cpuUsage(c0);
        best = Math.min(best, (performance.now() - t0) / REPLAYS);
        bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000 / REPLAYS);
      }
      sum += best;
      const k = process.env.SIZES ? `${d[0].key.slice(0, 60)} [${d[1].map((b) => b.byteLength / 4).join(",")}]` : d[0].key.slice(0, 1000);
      const e = per.get(k) ?? { ms: 0, cpu: 0, n: 0, wg: d[3].join("×") };
      e.ms += best;
      e.cpu += bestCpu;
      e.n++;
      per.set(k, e);
    }
    console.log(`\n${name}: ${whole.toFixed(1)} ms per run (host ${(host / reps).toFixed(1)} ms), ${rec.length} dispatches, Σ replayed ${sum.toFixed(1)} ms`);
    for (const [k, e] of [...per].sort((a, b) => b[1].ms - a[1].ms))
      console.log(`  ${e.ms.toFixed(2).padStart(8)} ms ${e.cpu.toFixed(2).padStart(8)} CPU-ms  ×${e.n}  wg ${e.wg.padEnd(12)} ${k}`);
  }
}

/**
 * A/B in one process: `a` and `b` alternate for `rounds` rounds of `iters` runs each (after a
 * warm-up); prints each one's median wall and CPU time per run (process.cpuUsage: SwiftShader's
 * threads run in this process) and b/a. On a loaded machine only such ratios mean anything.
 */
export async function benchAB(a: string, b: string, rounds = 8, iters = 5): Promise<void> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const init = await initWebGPU({ gpu: create([]) as unknown as GPU, syncPipelines: true, geometry: geometryFromEnv() });
  if (!init.ok) throw new Error(init.reason);
  const gpu = webgpuBackend()!;
  const runs = [a, b].map((name) => {
    if (!CASES[name]) throw new Error(`no case ${name} (cases: ${Object.keys(CASES).join(", ")})`);
    return CASES[name]();
  });
  for (const once of runs) for (let i = 0; i < 3; i++) await once();
  const wall: number[][] = [[], []],
    cpu: number[][] = [[], []],
    created = [0, 0];
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 ? [1, 0] : [0, 1]) {
      const c0 = gpu.poolStats().created;
      for (let i = 0; i < iters; i++) {
        const t0 = performance.now();
        const u0 = process.cpuUsage();
        await runs[k]();
        const u = process.cpuUsage(u0);
        wall[k].push(performance.now() - t0);
        cpu[k].push((u.user + u.system) / 1000);
      }
      created[k] += gpu.poolStats().created - c0;
    }
  }
  const med = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
  for (const k of [0, 1])
    console.log(
      `${[a, b][k].padEnd(28)} ${med(wall[k]).toFixed(1).padStart(8)} ms ${med(cpu[k]).toFixed(1).padStart(8)} CPU-ms  ${(created[k] / (rounds * iters)).toFixed(1)} buffers created per run`,
    );
  console.log(`b/a: wall ${(med(wall[1]) / med(wall[0])).toFixed(2)}×, CPU ${(med(cpu[1]) / med(cpu[0])).toFixed(2)}×`);
}
