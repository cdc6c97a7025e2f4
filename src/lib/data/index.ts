/**
 * `data`: small seeded toy datasets for the playground, a bundled MNIST subset (`mnist`), a short
 * text (`alice`), and a batching helper. Every dataset is
 * `{ x, y }`: x float32 [n, features]; y int32 class indices [n] for classification, float32
 * [n, 1] for regression. The same seed gives the same data everywhere.
 * @example
 * const { x, y } = data.spirals({ n: 300, classes: 3, seed: 0 });
 * for (const b of data.batches({ x, y }, 32, { shuffle: true, seed: 0 })) { … b.x, b.y … }
 * @module
 */
import { Tensor } from "../tensor/tensor";
import { tensor } from "../ops/creation";
import { ShapeError } from "../errors";
import { fmtShape } from "../tensor/shape";
import { fmtValue } from "../tensor/validate";

/** A dataset: inputs and targets with the same first dimension. */
export type Dataset = {
  x: Tensor;
  y: Tensor;
};

/** Options shared by the toy datasets. */
export interface DatasetOptions {
  /** Number of samples (in total). */
  n?: number;
  /** Standard deviation of the Gaussian noise added to the inputs (for sine: to the targets). */
  noise?: number;
  /** Seed of the generator (default 0). */
  seed?: number;
}

/** A small seeded generator (mulberry32) with Gaussian draws (Box–Muller): plain JS, fast, reproducible. */
export class Rng {
  private s: number;
  private spare: number | null = null;
  constructor(seed = 0) {
    this.s = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** A random permutation of 0 … n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

function count(n: number | undefined, dflt: number, name: string): number {
  const v = n ?? dflt;
  if (!Number.isSafeInteger(v) || v <= 0) throw new ShapeError(`data.${name}`, `n must be a positive integer, got ${fmtValue(v)}`);
  return v;
}

function make(xs: Float32Array, ys: Int32Array | Float32Array, n: number, features: number): Dataset {
  const x = tensor(xs, { shape: [n, features] });
  const y = ys instanceof Int32Array ? tensor(ys, { shape: [n], dtype: "int32" }) : tensor(ys, { shape: [n, 1] });
  return { x, y };
}

/**
 * XOR: points uniform in [−1, 1]²; class 1 where the coordinates have different signs (x₀·x₁ < 0).
 * Not linearly separable: the first thing an MLP must learn.
 * @example const { x, y } = data.xor({ n: 200, noise: 0.05 });
 */
export function xor(opts: DatasetOptions = {}): Dataset {
  const n = count(opts.n, 200, "xor");
  const rng = new Rng(opts.seed ?? 0),
    noise = opts.noise ?? 0;
  const xs = new Float32Array(2 * n),
    ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = 2 * rng.uniform() - 1,
      b = 2 * rng.uniform() - 1;
    ys[i] = a * b < 0 ? 1 : 0;
    xs[2 * i] = a + noise * rng.normal();
    xs[2 * i + 1] = b + noise * rng.normal();
  }
  return make(xs, ys, n, 2);
}

/**
 * Two concentric circles (scikit-learn's make_circles): class 0 on the unit circle, class 1 on
 * the circle of radius `factor` (default 0.5).
 * @example const { x, y } = data.circles({ n: 200, noise: 0.05 });
 */
export function circles(opts: DatasetOptions & { factor?: number } = {}): Dataset {
  const n = count(opts.n, 200, "circles");
  const rng = new Rng(opts.seed ?? 0),
    noise = opts.noise ?? 0,
    factor = opts.factor ?? 0.5;
  const nOut = Math.floor(n / 2);
  const xs = new Float32Array(2 * n),
    ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i >= nOut;
    const m = inner ? n - nOut : nOut,
      k = inner ? i - nOut : i;
    const t = (2 * Math.PI * k) / m;
    const r = inner ? factor : 1;
    ys[i] = inner ? 1 : 0;
    xs[2 * i] = r * Math.cos(t) + noise * rng.normal();
    xs[2 * i + 1] = r * Math.sin(t) + noise * rng.normal();
  }
  return make(xs, ys, n, 2);
}

/**
 * Two interleaving half circles (scikit-learn's make_moons).
 * @example const { x, y } = data.moons({ n: 200, noise: 0.1 });
 */
export function moons(opts: DatasetOptions = {}): Dataset {
  const n = count(opts.n, 200, "moons");
  const rng = new Rng(opts.seed ?? 0),
    noise = opts.noise ?? 0;
  const nOut = Math.floor(n / 2),
    nIn = n - nOut;
  const xs = new Float32Array(2 * n),
    ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let a: number, b: number;
    if (i < nOut) {
      const t = nOut > 1 ? (Math.PI * i) / (nOut - 1) : 0;
      a = Math.cos(t);
      b = Math.sin(t);
    } else {
      const k = i - nOut;
      const t = nIn > 1 ? (Math.PI * k) / (nIn - 1) : 0;
      a = 1 - Math.cos(t);
      b = 1 - Math.sin(t) - 0.5;
      ys[i] = 1;
    }
    xs[2 * i] = a + noise * rng.normal();
    xs[2 * i + 1] = b + noise * rng.normal();
  }
  return make(xs, ys, n, 2);
}

/**
 * `classes` interleaved spiral arms (the CS231n dataset): for class c, radius r ∈ [0, 1] and angle
 * 4c + 4r (+ noise·N(0,1) on the angle, noise default 0.2). n samples in total, split evenly.
 * @example const { x, y } = data.spirals({ n: 300, classes: 3 });
 */
export function spirals(opts: DatasetOptions & { classes?: number } = {}): Dataset {
  const k = opts.classes ?? 3;
  if (!Number.isSafeInteger(k) || k < 2) throw new ShapeError("data.spirals", `classes must be an integer ≥ 2, got ${fmtValue(k)}`);
  const n = count(opts.n, 100 * k, "spirals");
  const rng = new Rng(opts.seed ?? 0),
    noise = opts.noise ?? 0.2;
  const xs = new Float32Array(2 * n),
    ys = new Int32Array(n);
  const per = Math.floor(n / k);
  for (let i = 0; i < n; i++) {
    const c = Math.min(Math.floor(i / per), k - 1);
    const j = i - c * per,
      m = c === k - 1 ? n - c * per : per;
    const r = m > 1 ? j / (m - 1) : 0;
    const t = 4 * c + 4 * r + noise * rng.normal();
    ys[i] = c;
    xs[2 * i] = r * Math.sin(t);
    xs[2 * i + 1] = r * Math.cos(t);
  }
  return make(xs, ys, n, 2);
}

/**
 * Regression: x uniform in [lo, hi] (default [−π, π]), y = sin(x) + noise·N(0,1); both [n, 1].
 * @example const { x, y } = data.sine({ n: 100, noise: 0.1 });
 */
export function sine(opts: DatasetOptions & { range?: [number, number] } = {}): Dataset {
  const n = count(opts.n, 100, "sine");
  const rng = new Rng(opts.seed ?? 0),
    noise = opts.noise ?? 0;
  const [lo, hi] = opts.range ?? [-Math.PI, Math.PI];
  const xs = new Float32Array(n),
    ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = lo + (hi - lo) * rng.uniform();
    ys[i] = Math.sin(xs[i]) + noise * rng.normal();
  }
  return make(xs, ys, n, 1);
}

/** Options of `batches`. */
export interface BatchOptions {
  /** Visit the samples in a new random order each epoch (default false). */
  shuffle?: boolean;
  /** Seed of the shuffling (default 0); epoch e uses seed + e, so epochs differ but runs repeat. */
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
}

/** Mini-batches of a dataset: iterate it once per epoch (each iteration is one epoch). */
export class Batches<T extends Record<string, Tensor>> implements Iterable<T> {
  private epoch = 0;
  readonly n: number;
  constructor(
    readonly dataset: T,
    readonly batchSize: number,
    readonly opts: BatchOptions = {},
  ) {
    if (!Number.isSafeInteger(batchSize) || batchSize <= 0)
      throw new ShapeError("data.batches", `batchSize must be a positive integer, got ${fmtValue(batchSize)}`);
    const entries = Object.entries(dataset);
    if (entries.length === 0) throw new ShapeError("batches", "the dataset has no tensors");
    const n0 = entries[0][1].shape[0];
    for (const [k, t] of entries) {
      if (!(t instanceof Tensor) || t.ndim === 0) throw new ShapeError("batches", `${k} must be a tensor with a batch dimension`);
      if (t.shape[0] !== n0)
        throw new ShapeError(
          "batches",
          `all tensors need the same first dimension: ${entries[0][0]} ${fmtShape(entries[0][1].shape)} vs ${k} ${fmtShape(t.shape)}`,
        );
    }
    this.n = n0;
  }
  /** Number of batches per epoch. */
  get length(): number {
    return this.opts.dropLast ? Math.floor(this.n / this.batchSize) : Math.ceil(this.n / this.batchSize);
  }
  *[Symbol.iterator](): Iterator<T> {
    const e = this.epoch++;
    const order = this.opts.shuffle ? new Rng((this.opts.seed ?? 0) + e).permutation(this.n) : null;
    for (let start = 0; start < this.n; start += this.batchSize) {
      const end = Math.min(start + this.batchSize, this.n);
      if (this.opts.dropLast && end - start < this.batchSize) break;
      const out: Record<string, Tensor> = {};
      if (order) {
        const idx = tensor(order.subarray(start, end), { dtype: "int32" });
        for (const [k, t] of Object.entries(this.dataset)) out[k] = t.indexSelect(0, idx);
      } else {
        for (const [k, t] of Object.entries(this.dataset)) out[k] = t.narrow(0, start, end - start);
      }
      yield out as T;
    }
  }
}

/**
 * Mini-batches of `{ x, y }` (or any record of tensors with one first dimension); iterate once per epoch.
 * @example
 * const loader = data.batches(data.moons({ n: 512 }), 64, { shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) for (const { x, y } of loader) { … }
 */
export function batches<T extends Record<string, Tensor>>(dataset: T, batchSize: number, opts: BatchOptions = {}): Batches<T> {
  return new Batches(dataset, batchSize, opts);
}

export { mnist, type Mnist, type MnistSplit, type MnistOptions } from "./mnist";
export { alice } from "./text";
export { setAssetUrl } from "./assets";
