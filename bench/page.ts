/**
 * The bench page (`npm run bench`): webgrad, TensorFlow.js (webgpu backend) and jax-js (webgpu
 * device) timed on the same adapter in the same page, each iteration ending in a readback so no
 * library can hide queued work. Cases are a table; each library supplies a runner per case, used
 * as its documentation recommends for speed (jax-js under `jit`, TensorFlow.js inside `tidy`).
 * bench/run.mjs loads a fresh page per round and passes the round, which rotates the order the
 * libraries run in within each case.
 */
import * as wg from "../src/lib/index";
import { parseKernelGeometry } from "../src/lib/backend/webgpu/webgpu";
import { webgpuBackend } from "../src/lib/backend/webgpu/init";
import { MATMUL_TUNING } from "../src/lib/backend/webgpu/kernels/matmul";
import { COMPILED_STEP } from "../src/lib/optim/optimizer";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import * as jax from "@jax-js/jax";
import { floats, labels, MLPS, mlpStep, tinyGptStep } from "./steps";
import { jaxTinyGptStep, tfjsTinyGptStep } from "./peer-gpt";
import { jaxAdamIteration } from "./jax-adam";

/** One measured (case, library) cell. */
export interface BenchRow {
  case: string;
  lib: string;
  ms: number;
  iters: number;
  /** Floating-point work per iteration, when the case has a natural count (matmul, MLP). */
  flops?: number;
  /** Dispatches per iteration (webgrad only: the backend's counter, so no event listener runs while timing). */
  dispatches?: number;
  error?: string;
}

/** A runner prepares its inputs once and returns one iteration (ending in a readback; what it returns is not used). */
type Runner = () => Promise<() => Promise<unknown>>;

declare global {
  interface Window {
    /**
     * Run the cases; `geometry` (or the page's `?geometry=gpu` query) forces webgrad's kernel geometry
     * (docs/WEBGPU_TUNING.md: "gpu" runs the real-GPU path on SwiftShader too).
     */
    runBench(opts: {
      only?: string[];
      budgetMs?: number;
      minIters?: number;
      round?: number;
      geometry?: wg.KernelGeometry;
    }): Promise<{ adapter: string; rows: BenchRow[] }>;
  }
}

const np = jax.numpy;

function oneHot(n: number, classes: number): Float32Array<ArrayBuffer> {
  const y = new Float32Array(n * classes);
  labels(n, classes).forEach((c, i) => (y[i * classes + c] = 1));
  return y;
}

// ---- webgrad ------------------------------------------------------------------------------------

// No event listener: with one, the library would also compute what panels show (the Tape panel's
// gradient norms cost dispatches and a read-back per backward pass), which no peer does.
const dispatches = () => webgpuBackend()?.dispatchCount ?? 0;

const wgT = (data: Float32Array, shape: number[]) => wg.tensor(data, { dtype: "float32" }).reshape(shape);

/** The 10 elementwise ops of the chain case, the same in every library. */
const chainWg = (x: wg.Tensor) => x.mul(1.5).add(0.25).tanh().mul(2).sigmoid().sub(0.5).abs().add(1).sqrt().neg();

const WEBGRAD: Record<string, Runner> = {};

// ---- TensorFlow.js --------------------------------------------------------------------------------

const TFJS: Record<string, Runner> = {};
const chainTf = (x: tf.Tensor) => tf.neg(tf.sqrt(tf.add(tf.abs(tf.sub(tf.sigmoid(tf.mul(tf.tanh(tf.add(tf.mul(x, 1.5), 0.25)), 2)), 0.5)), 1)));

// ---- jax-js -------------------------------------------------------------------------------------------

const JAX: Record<string, Runner> = {};
const chainJax = (x: jax.Array) => np.negative(np.sqrt(np.abs(jax.nn.sigmoid(np.tanh(x.mul(1.5).add(0.25)).mul(2)).sub(0.5)).add(1)));

// ---- cases -------------------------------------------------------------------------------------------

const MATMUL_SIZES = [256, 512, 1024];
const ROWS = [4096, 1024] as const;

for (const n of MATMUL_SIZES) {
  const name = `matmul ${n}`;
  WEBGRAD[name] = async () => {
    const a = wgT(floats(n * n, 1), [n, n]),
      b = wgT(floats(n * n, 2), [n, n]);
    return async () => void (await a.matmul(b).data());
  };
  TFJS[name] = async () => {
    const a = tf.tensor2d(floats(n * n, 1), [n, n]),
      b = tf.tensor2d(floats(n * n, 2), [n, n]);
    return async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
  };
  JAX[name] = async () => {
    const a = np.array(floats(n * n, 1)).reshape([n, n]),
      b = np.array(floats(n * n, 2)).reshape([n, n]);
    return async () => void (await np.matmul(a.ref, b.ref).data());
  };
}

WEBGRAD["softmax 4096×1024"] = async () => {
  const x = wgT(floats(ROWS[0] * ROWS[1]), [...ROWS]);
  return async () => void (await x.softmax(-1).data());
};
TFJS["softmax 4096×1024"] = async () => {
  const x = tf.tensor2d(floats(ROWS[0] * ROWS[1]), [...ROWS]);
  return async () => {
    const y = tf.softmax(x);
    await y.data();
    y.dispose();
  };
};
JAX["softmax 4096×1024"] = async () => {
  const x = np.array(floats(ROWS[0] * ROWS[1])).reshape([...ROWS]);
  const sm = jax.jit((v: jax.Array) => jax.nn.softmax(v, -1));
  return async () => void (await sm(x.ref).data());
};

WEBGRAD["layerNorm 4096×1024"] = async () => {
  const x = wgT(floats(ROWS[0] * ROWS[1]), [...ROWS]);
  return async () => void (await wg.nn.functional.layerNorm(x, [ROWS[1]]).data());
};
TFJS["layerNorm 4096×1024"] = async () => {
  const x = tf.tensor2d(floats(ROWS[0] * ROWS[1]), [...ROWS]);
  return async () => {
    const y = tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    });
    await y.data();
    y.dispose();
  };
};
JAX["layerNorm 4096×1024"] = async () => {
  const x = np.array(floats(ROWS[0] * ROWS[1])).reshape([...ROWS]);
  // jax.nn.standardize is (x - mean) / sqrt(var + eps): layerNorm without the affine part.
  const ln = jax.jit((v: jax.Array) => jax.nn.standardize(v, -1, { epsilon: 1e-5 }));
  return async () => void (await ln(x.ref).data());
};

WEBGRAD["mlp step (eager)"] = async () => mlpStep("mlp", false);
WEBGRAD["mlp step (jit)"] = async () => mlpStep("mlp", true);
TFJS["mlp step (eager)"] = async () => {
  const w1 = tf.variable(tf.randomNormal([784, 256], 0, 0.05)),
    b1 = tf.variable(tf.zeros([256]));
  const w2 = tf.variable(tf.randomNormal([256, 10], 0, 0.05)),
    b2 = tf.variable(tf.zeros([10]));
  const opt = tf.train.sgd(0.01);
  const x = tf.tensor2d(floats(128 * 784, 3), [128, 784]),
    y = tf.tensor2d(oneHot(128, 10), [128, 10]);
  return async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)) as tf.Scalar, true)!;
    await loss.data();
    loss.dispose();
  };
};
JAX["mlp step (jit)"] = async () => {
  type P = { w1: jax.Array; b1: jax.Array; w2: jax.Array; b2: jax.Array };
  let params: P = {
    w1: np
      .array(floats(784 * 256, 5))
      .reshape([784, 256])
      .mul(0.1),
    b1: np.zeros([256]),
    w2: np
      .array(floats(256 * 10, 6))
      .reshape([256, 10])
      .mul(0.1),
    b2: np.zeros([10]),
  };
  const lossFn = (p: P, x: jax.Array, y: jax.Array) => {
    const h = jax.nn.relu(np.matmul(x, p.w1).add(p.b1));
    const logits = np.matmul(h, p.w2).add(p.b2);
    return np.mean(np.sum(jax.nn.logSoftmax(logits, -1).mul(y), -1)).mul(-1);
  };
  const step = jax.jit((p: P, x: jax.Array, y: jax.Array) => {
    const [loss, g] = jax.valueAndGrad(lossFn)(jax.tree.ref(p), x, y);
    const next = jax.tree.map((w: jax.Array, d: jax.Array) => w.sub(d.mul(0.01)), p, g) as P;
    return [loss, next] as [jax.Array, P];
  });
  const x = np.array(floats(128 * 784, 3)).reshape([128, 784]),
    y = np.array(oneHot(128, 10)).reshape([128, 10]);
  return async () => {
    const [loss, next] = step(params, x.ref, y.ref);
    params = next;
    await loss.data();
  };
};

const N_CHAIN = 1 << 20;
// As TensorFlow.js's: a tidy scope gives the nine intermediates' buffers back at once (without it they
// wait for the garbage collector, and each iteration allocates fresh GPU buffers: docs/WEBGPU_TUNING.md).
WEBGRAD["10-op chain 1M (eager)"] = async () => {
  const x = wgT(floats(N_CHAIN), [N_CHAIN]);
  return async () => {
    const y = wg.tidy(() => chainWg(x));
    await y.data();
    y.dispose();
  };
};
WEBGRAD["10-op chain 1M (jit)"] = async () => {
  const x = wgT(floats(N_CHAIN), [N_CHAIN]);
  const f = wg.jit(chainWg, { name: "chain" });
  return async () => void (await f(x).data());
};
TFJS["10-op chain 1M (eager)"] = async () => {
  const x = tf.tensor1d(floats(N_CHAIN));
  return async () => {
    const y = tf.tidy(() => chainTf(x));
    await y.data();
    y.dispose();
  };
};
JAX["10-op chain 1M (jit)"] = async () => {
  const x = np.array(floats(N_CHAIN));
  const f = jax.jit(chainJax);
  return async () => void (await f(x.ref).data());
};

// Reductions over everything and the last axis (4M elements), the first axis and a middle axis (1M:
// TensorFlow.js took 26 s an iteration over the first axis of 1024×4096 on SwiftShader).
interface ReduceCase {
  shape: number[];
  /** Reduced axis, or undefined for all. */
  axis?: number;
  mean: boolean;
}
const REDUCE_CASES: Record<string, ReduceCase> = {
  "sum all 4M": { shape: [1 << 22], mean: false },
  "mean last axis 4096×1024": { shape: [4096, 1024], axis: 1, mean: true },
  "sum first axis 1024×1024": { shape: [1024, 1024], axis: 0, mean: false },
  "sum middle axis 64×256×64": { shape: [64, 256, 64], axis: 1, mean: false },
};
for (const [name, { shape, axis, mean }] of Object.entries(REDUCE_CASES)) {
  const n = shape.reduce((a, b) => a * b, 1);
  WEBGRAD[name] = async () => {
    const x = wgT(floats(n), shape);
    const f = (v: wg.Tensor) => (mean ? (axis === undefined ? v.mean() : v.mean(axis)) : axis === undefined ? v.sum() : v.sum(axis));
    return async () => void (await f(x).data());
  };
  TFJS[name] = async () => {
    const x = tf.tensor(floats(n), shape);
    return async () => {
      const y = mean ? tf.mean(x, axis) : tf.sum(x, axis);
      await y.data();
      y.dispose();
    };
  };
  JAX[name] = async () => {
    const x = np.array(floats(n)).reshape(shape);
    const f = jax.jit((v: jax.Array) => (mean ? np.mean(v, axis) : np.sum(v, axis)));
    return async () => void (await f(x.ref).data());
  };
}

// Matmul off the square power-of-two sizes: a non-tile [500, 300]·[300, 700], and a batch of 16 [128, 64]·[64, 128].
const MATMUL_SHAPES: Record<string, { a: number[]; b: number[] }> = {
  "matmul 500×300·300×700": { a: [500, 300], b: [300, 700] },
  "batched matmul 16×128×64·64×128": { a: [16, 128, 64], b: [16, 64, 128] },
};
for (const [name, { a: sa, b: sb }] of Object.entries(MATMUL_SHAPES)) {
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  WEBGRAD[name] = async () => {
    const a = wgT(floats(size(sa), 1), sa),
      b = wgT(floats(size(sb), 2), sb);
    return async () => void (await a.matmul(b).data());
  };
  TFJS[name] = async () => {
    const a = tf.tensor(floats(size(sa), 1), sa),
      b = tf.tensor(floats(size(sb), 2), sb);
    return async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
  };
  JAX[name] = async () => {
    const a = np.array(floats(size(sa), 1)).reshape(sa),
      b = np.array(floats(size(sb), 2)).reshape(sb);
    const mm = jax.jit((x: jax.Array, y: jax.Array) => np.matmul(x, y));
    return async () => void (await mm(a.ref, b.ref).data());
  };
}

// Convolution: 16 images of 32×32 with 32 channels, 64 3×3 filters, "same" padding (TensorFlow.js
// takes channels last, its native layout on WebGPU; the work is the same).
const CONV = { n: 16, c: 32, h: 32, w: 32, o: 64, k: 3 };
const CONV_NAME = `conv2d ${CONV.n}×${CONV.c}×${CONV.h}×${CONV.w} · ${CONV.o}×${CONV.k}×${CONV.k}`;
{
  const { n, c, h, w, o, k } = CONV;
  WEBGRAD[CONV_NAME] = async () => {
    const x = wgT(floats(n * c * h * w, 1), [n, c, h, w]),
      f = wgT(floats(o * c * k * k, 2), [o, c, k, k]);
    return async () => void (await wg.nn.functional.conv2d(x, f, null, { padding: (k - 1) / 2 }).data());
  };
  TFJS[CONV_NAME] = async () => {
    const x = tf.tensor4d(floats(n * h * w * c, 1), [n, h, w, c]),
      f = tf.tensor4d(floats(k * k * c * o, 2), [k, k, c, o]);
    return async () => {
      const y = tf.conv2d(x, f, 1, "same");
      await y.data();
      y.dispose();
    };
  };
  JAX[CONV_NAME] = async () => {
    const x = np.array(floats(n * c * h * w, 1)).reshape([n, c, h, w]),
      f = np.array(floats(o * c * k * k, 2)).reshape([o, c, k, k]);
    const conv = jax.jit((a: jax.Array, b: jax.Array) => jax.lax.conv(a, b, [1, 1], "SAME"));
    return async () => void (await conv(x.ref, f.ref).data());
  };
}

// Causal self-attention: 8 sequences of 128 tokens, 4 heads of 32 (jax-js takes [batch, tokens,
// heads, size]; the others [batch, heads, tokens, size]: the same work).
const ATT = { b: 8, heads: 4, t: 128, d: 32 };
const ATT_NAME = `causal attention ${ATT.b}×${ATT.heads}×${ATT.t}×${ATT.d}`;
{
  const { b, heads, t, d } = ATT;
  const size = b * heads * t * d;
  const attentionWg = (q: wg.Tensor, k: wg.Tensor, v: wg.Tensor) => wg.nn.functional.scaledDotProductAttention(q, k, v, { causal: true });
  for (const jitted of [false, true]) {
    WEBGRAD[`${ATT_NAME} (${jitted ? "jit" : "eager"})`] = async () => {
      const [q, k, v] = [1, 2, 3].map((seed) => wgT(floats(size, seed), [b, heads, t, d]));
      const f = jitted ? wg.jit(attentionWg, { name: "attention" }) : attentionWg;
      return async () => void (await f(q, k, v).data());
    };
  }
  TFJS[`${ATT_NAME} (eager)`] = async () => {
    const [q, k, v] = [1, 2, 3].map((seed) => tf.tensor4d(floats(size, seed), [b, heads, t, d]));
    // 0 where key j ≤ query i, -∞ above the diagonal.
    const mask = tf.tensor2d(
      Float32Array.from({ length: t * t }, (_, i) => (i % t <= Math.floor(i / t) ? 0 : -Infinity)),
      [t, t],
    );
    return async () => {
      const y = tf.tidy(() => tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d)), mask)), v));
      await y.data();
      y.dispose();
    };
  };
  JAX[`${ATT_NAME} (jit)`] = async () => {
    const [q, k, v] = [1, 2, 3].map((seed) => np.array(floats(size, seed)).reshape([b, t, heads, d]));
    const att = jax.jit((qq: jax.Array, kk: jax.Array, vv: jax.Array) => jax.nn.dotProductAttention(qq, kk, vv, { isCausal: true }));
    return async () => void (await att(q.ref, k.ref, v.ref).data());
  };
}

// The MNIST example's training step (bench/steps.ts): 784 → 64 → 10, a batch of 100,
// cross-entropy, Adam (lr 3e-3), the parameters updated in place every iteration.
const MNIST = MLPS.mnist;
WEBGRAD["MNIST step (eager)"] = async () => mlpStep("mnist", false);
WEBGRAD["MNIST step (jit)"] = async () => mlpStep("mnist", true);
TFJS["MNIST step (eager)"] = async () => {
  const { batch, hidden, lr } = MNIST;
  const w1 = tf.variable(tf.randomNormal([784, hidden], 0, 0.05)),
    b1 = tf.variable(tf.zeros([hidden]));
  const w2 = tf.variable(tf.randomNormal([hidden, 10], 0, 0.05)),
    b2 = tf.variable(tf.zeros([10]));
  const opt = tf.train.adam(lr);
  const x = tf.tensor2d(floats(batch * 784, 3), [batch, 784]),
    y = tf.tensor2d(oneHot(batch, 10), [batch, 10]);
  return async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)) as tf.Scalar, true)!;
    await loss.data();
    loss.dispose();
  };
};
JAX["MNIST step (jit)"] = async () => {
  const { batch, hidden, lr } = MNIST;
  type P = { w1: jax.Array; b1: jax.Array; w2: jax.Array; b2: jax.Array };
  const zeros = (): P => ({ w1: np.zeros([784, hidden]), b1: np.zeros([hidden]), w2: np.zeros([hidden, 10]), b2: np.zeros([10]) });
  const params: P = {
    w1: np
      .array(floats(784 * hidden, 5))
      .reshape([784, hidden])
      .mul(0.1),
    b1: np.zeros([hidden]),
    w2: np
      .array(floats(hidden * 10, 6))
      .reshape([hidden, 10])
      .mul(0.1),
    b2: np.zeros([10]),
  };
  const lossFn = (p: P, xb: jax.Array, yb: jax.Array) => {
    const h = jax.nn.relu(np.matmul(xb, p.w1).add(p.b1));
    const logits = np.matmul(h, p.w2).add(p.b2);
    return np.mean(np.sum(jax.nn.logSoftmax(logits, -1).mul(yb), -1)).mul(-1);
  };
  const x = np.array(floats(batch * 784, 3)).reshape([batch, 784]),
    y = np.array(oneHot(batch, 10)).reshape([batch, 10]);
  return jaxAdamIteration(lossFn, params, zeros, lr, x, y);
};

// The tiny-Transformer example's training step (bench/steps.ts), the peers' written out by hand
// (bench/peer-gpt.ts): the same weights, inputs and losses in every library.
WEBGRAD["tiny-Transformer step (eager)"] = async () => tinyGptStep(false);
WEBGRAD["tiny-Transformer step (jit)"] = async () => tinyGptStep(true);
TFJS["tiny-Transformer step (eager)"] = tfjsTinyGptStep;
JAX["tiny-Transformer step (jit)"] = jaxTinyGptStep;

const LIBS: [string, Record<string, Runner>][] = [
  ["webgrad", WEBGRAD],
  ["tfjs", TFJS],
  ["jax-js", JAX],
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** FLOPs per iteration for the cases where GFLOP/s means something. */
function flopsOf(c: string): number | undefined {
  const m = /^matmul (\d+)$/.exec(c);
  if (m) return 2 * Number(m[1]) ** 3;
  const shapes = MATMUL_SHAPES[c];
  if (shapes) return 2 * shapes.a.reduce((x, y) => x * y, 1) * (shapes.b.at(-1) ?? 1);
  // forward 2·B·(784·256 + 256·10), backward twice that.
  if (c.startsWith("mlp step")) return 3 * 2 * 128 * (784 * 256 + 256 * 10);
  if (c.startsWith("MNIST step")) return 3 * 2 * MNIST.batch * (784 * MNIST.hidden + MNIST.hidden * 10);
  if (c === CONV_NAME) return 2 * CONV.n * CONV.o * CONV.h * CONV.w * CONV.c * CONV.k * CONV.k;
  return undefined;
}

/** Timed iterations per cell at most. */
const MAX_ITERS = 30;

/**
 * Warm up once (pipelines compile), then iterate at least `minIters` times and until `budgetMs`
 * is spent (at most MAX_ITERS); the row's time is the median iteration. On a shared machine single
 * iterations stall now and then (SwiftShader's threads wait for a core), and a mean let one stall
 * move a row by 10–20 %; the median of at least five is the same rule for every library.
 */
async function measure(lib: string, c: string, runner: Runner, budgetMs: number, minIters: number): Promise<BenchRow> {
  try {
    const once = await runner();
    await once();
    const d0 = dispatches();
    const times: number[] = [];
    const t0 = performance.now();
    while (times.length < minIters || (performance.now() - t0 < budgetMs && times.length < MAX_ITERS)) {
      const t = performance.now();
      await once();
      times.push(performance.now() - t);
    }
    const iters = times.length;
    const ms = median(times);
    const row: BenchRow = { case: c, lib, ms, iters, flops: flopsOf(c) };
    if (lib === "webgrad") row.dispatches = (dispatches() - d0) / iters;
    return row;
  } catch (e) {
    return { case: c, lib, ms: NaN, iters: 0, error: (e as Error).message ?? String(e) };
  }
}

window.runBench = async ({ only, budgetMs = 1500, minIters = 5, round = 0, geometry }) => {
  geometry ??= parseKernelGeometry(new URLSearchParams(location.search).get("geometry"), "?geometry=");
  // Steady state, as the peers' rows measure theirs: each product's fastest kernel from the warm-up
  // on, not the quicker-to-build block a learner's first runs use on SwiftShader (docs/WEBGPU_TUNING.md).
  MATMUL_TUNING.tierUpMacs = 0;
  // Likewise an eager step's optimizer update: compiled from the warm-up on, not after COMPILED_STEP.after repeats.
  COMPILED_STEP.after = 1;
  const init = await wg.initWebGPU({ geometry });
  if (!init.ok) throw new Error(`webgrad: no WebGPU (${init.reason})`);
  const adapter = geometry === "auto" ? init.reason : `${init.reason} · webgrad kernel geometry forced: ${geometry}`;
  await tf.setBackend("webgpu");
  await tf.ready();
  const devices = await jax.init();
  if (!devices.includes("webgpu")) throw new Error(`jax-js: no webgpu device (${devices.join(", ")})`);
  jax.defaultDevice("webgpu");
  const rows: BenchRow[] = [];
  const cases = [...new Set(LIBS.flatMap(([, t]) => Object.keys(t)))].filter((c) => !only || only.some((o) => c.startsWith(o)));
  for (const [ci, c] of cases.entries()) {
    // The libraries take turns going first: the order rotates with the case and the round, so no
    // library always runs on a machine its predecessor warmed (or left busy).
    const k = (round + ci) % LIBS.length;
    for (const [lib, table] of [...LIBS.slice(k), ...LIBS.slice(0, k)]) {
      if (!table[c]) continue;
      const row = await measure(lib, c, table[c], budgetMs, minIters);
      console.log(
        `[bench] ${c.padEnd(32)} ${lib.padEnd(8)} ${row.error ? `error: ${row.error}` : `${row.ms.toFixed(1)} ms × ${row.iters}${row.dispatches !== undefined ? `, ${row.dispatches} dispatches` : ""}`}`,
      );
      rows.push(row);
    }
  }
  return { adapter, rows };
};
