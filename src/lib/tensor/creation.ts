/** Creating tensors: from data, constants, ranges, and seeded random numbers. */
import { ShapeError, DTypeError } from "../errors";
import { getBackend, getDefaultBackend } from "../backend/registry";
import { apply } from "../ops/dispatch";
import { Random } from "../ops/defs/random";
import { allocArray, checkDtype, isFloat, type DType, type TypedArray } from "./dtype";
import { checkShape, fmtShape, shapeSize } from "./shape";
import { Tensor, type NestedArray } from "./tensor";
import * as F from "../ops/functional";

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Element type (default float32; int32 for integer data given to `tensor`/`arange` with integers). */
  dtype?: DType;
  /** Mark the new tensor as a leaf that requires grad. */
  requiresGrad?: boolean;
  /** Backend name ("cpu", "webgpu"); the default backend otherwise. */
  device?: string;
  /** Name shown in the Tape panel. */
  name?: string;
}

function finish(t: Tensor, opts: CreateOptions): Tensor {
  if (opts.name !== undefined) t.name = opts.name;
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

function fromTyped(data: TypedArray, shape: number[], dtype: DType, opts: CreateOptions): Tensor {
  const backend = opts.device ? getBackend(opts.device) : getDefaultBackend();
  if (!backend.dtypes.includes(dtype)) throw new DTypeError("tensor", `the ${backend.name} backend has no ${dtype}; use the CPU backend (device: "cpu")`);
  return finish(Tensor._fromStorage(backend.fromArray(data, dtype), shape, dtype), opts);
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let d: NestedArray = data;
  while (Array.isArray(d)) {
    shape.push(d.length);
    if (d.length === 0) break;
    d = d[0];
  }
  return shape;
}

/**
 * A tensor from nested arrays, a typed array, or a number.
 * @example tensor([[1, 2], [3, 4]])            // float32 [2, 2]
 * @example tensor([1, 2, 3], { dtype: "int32" })
 */
export function tensor(data: NestedArray | TypedArray, opts: CreateOptions & { shape?: number[] } = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const dtype = opts.dtype ?? (arr instanceof Float64Array ? "float64" : arr instanceof Int32Array ? "int32" : arr instanceof Uint8Array ? "bool" : "float32");
    const shape = opts.shape ?? [arr.length];
    if (shapeSize(shape) !== arr.length) throw new ShapeError("tensor", `shape ${fmtShape(shape)} needs ${shapeSize(shape)} elements, the array has ${arr.length}`);
    const out = allocArray(checkDtype(dtype, "tensor"), arr.length);
    out.set(arr as never);
    return fromTyped(out, shape, dtype, opts);
  }
  const shape = inferShape(data as NestedArray);
  const flat: (number | boolean)[] = [];
  const walk = (d: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(d)) throw new ShapeError("tensor", `ragged nested array: expected a number at depth ${dim}`);
      if (typeof d !== "number" && typeof d !== "boolean") throw new TypeError(`tensor: elements must be numbers or booleans, got ${typeof d}`);
      flat.push(d);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[dim]) {
      throw new ShapeError("tensor", `ragged nested array: dimension ${dim} should have length ${shape[dim]}, got ${Array.isArray(d) ? d.length : "a number"}`);
    }
    for (const e of d) walk(e, dim + 1);
  };
  walk(data as NestedArray, 0);
  const dtype = opts.dtype ? checkDtype(opts.dtype, "tensor") : flat.length > 0 && flat.every((v) => typeof v === "boolean") ? "bool" : "float32";
  const out = allocArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) out[i] = Number(flat[i]);
  return fromTyped(out, opts.shape ?? shape, dtype, opts);
}

/** A tensor filled with `value`. */
export function full(shape: number[], value: number | boolean, opts: CreateOptions = {}): Tensor {
  checkShape("full", shape);
  const dtype = opts.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  const arr = allocArray(dtype, shapeSize(shape));
  if (value !== 0) arr.fill(Number(value) as never);
  return fromTyped(arr, [...shape], dtype, opts);
}
/** A tensor of zeros. */ export const zeros = (shape: number[], opts: CreateOptions = {}): Tensor => full(shape, 0, opts);
/** A tensor of ones. */ export const ones = (shape: number[], opts: CreateOptions = {}): Tensor => full(shape, 1, opts);
/** Zeros with the shape (and dtype) of `t`. */ export const zerosLike = (t: Tensor, opts: CreateOptions = {}): Tensor => full([...t.shape], 0, { dtype: t.dtype, ...opts });
/** Ones with the shape (and dtype) of `t`. */ export const onesLike = (t: Tensor, opts: CreateOptions = {}): Tensor => full([...t.shape], 1, { dtype: t.dtype, ...opts });
/** `value` with the shape (and dtype) of `t`. */ export const fullLike = (t: Tensor, value: number, opts: CreateOptions = {}): Tensor => full([...t.shape], value, { dtype: t.dtype, ...opts });

/**
 * Evenly spaced values in [start, stop) with `step`. `arange(5)` is 0 … 4.
 * Integer arguments give int32, others float32.
 */
export function arange(start: number, stop?: number, step = 1, opts: CreateOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new ShapeError("arange", "step must not be 0");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = opts.dtype ?? ([start, stop, step].every(Number.isInteger) ? "int32" : "float32");
  const arr = allocArray(dtype, n);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return fromTyped(arr, [n], dtype, opts);
}

/** `num` evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, num: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ShapeError("linspace", `num must be a non-negative integer, got ${num}`);
  const dtype = opts.dtype ?? "float32";
  const arr = allocArray(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) arr[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return fromTyped(arr, [num], dtype, opts);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  const dtype = opts.dtype ?? "float32";
  const arr = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) arr[i * m + i] = 1;
  return fromTyped(arr, [n, m], dtype, opts);
}

// ------------------------------------------------------------------ random

const rng = { seed: 0, offset: 0 };

/** Seed the global generator: the same seed gives the same numbers on every backend. */
export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`manualSeed: the seed must be a non-negative integer, got ${seed}`);
  rng.seed = seed;
  rng.offset = 0;
}

/** Options of random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** Draw from this seed (and offset 0) instead of the global generator, without advancing it. */
  seed?: number;
}

/**
 * @internal Take `n` numbers from the global generator: its seed and the counter offset to start at.
 * Compiled graphs call this on every run, so a random op inside `jit` draws fresh numbers each step.
 */
export function takeGlobalRandom(n: number): { seed: number; offset: number } {
  const r = { seed: rng.seed, offset: rng.offset };
  rng.offset += n;
  return r;
}

function draw(shape: number[], dist: "uniform" | "normal", opts: RandomOptions): Tensor {
  checkShape(dist === "normal" ? "randn" : "rand", shape);
  const dtype = opts.dtype ?? "float32";
  if (!isFloat(dtype)) throw new DTypeError(dist === "normal" ? "randn" : "rand", `draws floats, not ${dtype}`);
  const fromGlobal = opts.seed === undefined;
  const { seed, offset } = fromGlobal ? takeGlobalRandom(shapeSize(shape)) : { seed: opts.seed!, offset: 0 };
  const t = apply(Random, [], { shape: [...shape], dtype, seed, offset, dist, fromGlobal });
  if (opts.device && t.device !== opts.device) return finish(F.to(t, opts.device), opts);
  return finish(t, opts);
}

/** Uniform random numbers in [0, 1). */
export const rand = (shape: number[], opts: RandomOptions = {}): Tensor => draw(shape, "uniform", opts);
/** Standard normal random numbers. */
export const randn = (shape: number[], opts: RandomOptions = {}): Tensor => draw(shape, "normal", opts);
/** Random integers in [low, high) (int32). */
export function randint(low: number, high: number, shape: number[], opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) throw new RangeError(`randint: needs integers low < high, got ${low} and ${high}`);
  const u = draw(shape, "uniform", { ...opts, dtype: "float64" === opts.dtype ? "float64" : "float32", requiresGrad: false, name: undefined });
  const t = F.cast(F.floor(F.add(F.mul(u, high - low), low)), "int32");
  return finish(t, { ...opts, requiresGrad: false });
}
