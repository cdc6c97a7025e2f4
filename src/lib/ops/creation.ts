/** Creating tensors: from data, constants, ranges, and seeded random numbers. */
import { ShapeError, DTypeError, WebgradError } from "../errors";
import { getBackend, getDefaultBackend } from "../backend/registry";
import { apply } from "./dispatch";
import { Random } from "./defs/random";
import { isFloat, type DType, type TypedArray } from "../tensor/dtype";
import { fmtShape, shapeSize } from "../tensor/shape";
import { allocFor, checkBytes, checkDtypeName, checkFinite, checkShapeArg, checkSize, fmtValue } from "../tensor/validate";
import { Tensor, type NestedArray } from "../tensor/tensor";
import * as F from "./functional";
import "./install";
import { isSimDeviceOption, placeOnSimDevice } from "../tensor/sim-placement";
import type { SimDevice } from "../cluster/device";
import type { DeviceTensor } from "../cluster/placement";

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Element type (default float32; int32 for integer data given to `tensor`/`arange` with integers). */
  dtype?: DType;
  /** Mark the new tensor as a leaf that requires grad. */
  requiresGrad?: boolean;
  /** Backend name ("cpu", "webgpu"); the default backend otherwise. A simulated device (`dist.SimDevice`) places the result there: see {@link OnSimDevice}. */
  device?: string;
  /** Name shown in the Tape panel. */
  name?: string;
}

/**
 * Creation options naming a simulated device: the result is a `dist.DeviceTensor` whose bytes are
 * accounted on that device (running out is a `dist.OutOfMemoryError` naming the device, shape and
 * bytes); its data lives on the host (CPU backend).
 * @example
 * const c = dist.cluster({ devicesPerNode: 4 });
 * const xs = c.devices.map((d) => randn([1024], { device: d }));   // DeviceTensor[]
 * dist.allReduce(xs);
 */
export type OnSimDevice<O extends { device?: unknown } = CreateOptions> = Omit<O, "device"> & {
  /** The simulated device the result is placed on (from `dist.cluster(...)`). */
  device: SimDevice;
};

/** Options of a creation function: a backend name, or a simulated device. */
type AnyCreate = CreateOptions | OnSimDevice<CreateOptions>;

/** The backend the data is made on: a simulated device's data lives on the host. */
function backendOf(opts: AnyCreate) {
  const d = opts.device;
  return typeof d === "string" ? getBackend(d) : d ? getBackend("cpu") : getDefaultBackend();
}

/** The finished tensor, placed on a simulated device when the options name one. */
function placed(t: Tensor, opts: AnyCreate, op: string): Tensor | DeviceTensor {
  return isSimDeviceOption(opts.device) ? placeOnSimDevice(t, opts.device, op) : t;
}

function finish(t: Tensor, opts: AnyCreate): Tensor {
  if (opts.name !== undefined) t.name = opts.name;
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

function fromTyped(data: TypedArray, shape: number[], dtype: DType, opts: AnyCreate, op = "tensor"): Tensor {
  const backend = backendOf(opts);
  if (!backend.dtypes.includes(dtype)) throw new DTypeError(op, `the ${backend.name} backend has no ${dtype}; use the CPU backend (device: "cpu")`);
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
 * @example tensor([1, 2], { device: c.devices[0] })   // a dist.DeviceTensor on a simulated device
 */
export function tensor(data: NestedArray | TypedArray, opts: OnSimDevice<CreateOptions & { shape?: number[] }>): DeviceTensor;
export function tensor(data: NestedArray | TypedArray, opts?: CreateOptions & { shape?: number[] }): Tensor;
export function tensor(data: NestedArray | TypedArray, opts: AnyCreate & { shape?: number[] } = {}): Tensor | DeviceTensor {
  return placed(tensorOnBackend(data, opts), opts, "tensor");
}

function tensorOnBackend(data: NestedArray | TypedArray, opts: AnyCreate & { shape?: number[] }): Tensor {
  const given = opts.shape === undefined ? undefined : checkShapeArg("tensor", opts.shape);
  // A shape that does not hold exactly the data would pad or drop values silently.
  const fits = (n: number, what: string) => {
    if (given !== undefined && shapeSize(given) !== n)
      throw new ShapeError("tensor", `shape ${fmtShape(given)} needs ${shapeSize(given)} elements, ${what} has ${n}`);
  };
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const dtype =
      opts.dtype !== undefined
        ? checkDtypeName("tensor", opts.dtype)
        : arr instanceof Float64Array
          ? "float64"
          : arr instanceof Int32Array
            ? "int32"
            : arr instanceof Uint8Array
              ? "bool"
              : "float32";
    fits(arr.length, "the array");
    const shape = given ?? [arr.length];
    const out = allocFor("tensor", dtype, shape);
    out.set(arr as never);
    return fromTyped(out, [...shape], dtype, opts);
  }
  const shape = inferShape(data as NestedArray);
  const flat: (number | boolean)[] = [];
  const walk = (d: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(d)) throw new ShapeError("tensor", `ragged nested array: expected a number at depth ${dim}`);
      if (typeof d !== "number" && typeof d !== "boolean")
        throw new WebgradError("tensor", `elements must be numbers or booleans, got ${typeof d} ${fmtValue(d)}`);
      flat.push(d);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[dim]) {
      throw new ShapeError("tensor", `ragged nested array: dimension ${dim} should have length ${shape[dim]}, got ${Array.isArray(d) ? d.length : "a number"}`);
    }
    for (const e of d) walk(e, dim + 1);
  };
  walk(data as NestedArray, 0);
  const dtype =
    opts.dtype !== undefined ? checkDtypeName("tensor", opts.dtype) : flat.length > 0 && flat.every((v) => typeof v === "boolean") ? "bool" : "float32";
  fits(flat.length, "the data");
  const out = allocFor("tensor", dtype, given ?? shape);
  for (let i = 0; i < flat.length; i++) out[i] = Number(flat[i]);
  return fromTyped(out, [...(given ?? shape)], dtype, opts);
}

function fullOnBackend(op: string, shape: number[], value: number | boolean, opts: AnyCreate): Tensor {
  checkShapeArg(op, shape);
  if (typeof value !== "number" && typeof value !== "boolean")
    throw new WebgradError(op, `the fill value must be a number or a boolean, got ${fmtValue(value)}`);
  const dtype = opts.dtype !== undefined ? checkDtypeName(op, opts.dtype) : typeof value === "boolean" ? "bool" : "float32";
  const arr = allocFor(op, dtype, shape);
  if (value !== 0) arr.fill(Number(value) as never);
  return fromTyped(arr, [...shape], dtype, opts, op);
}

/**
 * A tensor filled with `value`.
 * @example full([2, 3], 7)
 * @example full([1024], 1, { device: c.devices[2] })   // on a simulated device
 */
export function full(shape: number[], value: number | boolean, opts: OnSimDevice): DeviceTensor;
export function full(shape: number[], value: number | boolean, opts?: CreateOptions): Tensor;
export function full(shape: number[], value: number | boolean, opts: AnyCreate = {}): Tensor | DeviceTensor {
  return placed(fullOnBackend("full", shape, value, opts), opts, "full");
}

/**
 * A tensor of zeros.
 * @example zeros([4, 4])
 * @example zeros([1024], { device: c.devices[0] })   // a dist.DeviceTensor
 */
export function zeros(shape: number[], opts: OnSimDevice): DeviceTensor;
export function zeros(shape: number[], opts?: CreateOptions): Tensor;
export function zeros(shape: number[], opts: AnyCreate = {}): Tensor | DeviceTensor {
  return placed(fullOnBackend("zeros", shape, 0, opts), opts, "zeros");
}

/**
 * A tensor of ones.
 * @example ones([3])
 * @example ones([1024], { device: c.devices[1] })   // a dist.DeviceTensor
 */
export function ones(shape: number[], opts: OnSimDevice): DeviceTensor;
export function ones(shape: number[], opts?: CreateOptions): Tensor;
export function ones(shape: number[], opts: AnyCreate = {}): Tensor | DeviceTensor {
  return placed(fullOnBackend("ones", shape, 1, opts), opts, "ones");
}

/** Zeros with the shape (and dtype) of `t`. */
export function zerosLike(t: Tensor, opts: OnSimDevice): DeviceTensor;
export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor;
export function zerosLike(t: Tensor, opts: AnyCreate = {}): Tensor | DeviceTensor {
  const o = { dtype: t.dtype, ...opts };
  return placed(fullOnBackend("zerosLike", [...t.shape], 0, o), o, "zerosLike");
}

/** Ones with the shape (and dtype) of `t`. */
export function onesLike(t: Tensor, opts: OnSimDevice): DeviceTensor;
export function onesLike(t: Tensor, opts?: CreateOptions): Tensor;
export function onesLike(t: Tensor, opts: AnyCreate = {}): Tensor | DeviceTensor {
  const o = { dtype: t.dtype, ...opts };
  return placed(fullOnBackend("onesLike", [...t.shape], 1, o), o, "onesLike");
}

/** `value` with the shape (and dtype) of `t`. */
export function fullLike(t: Tensor, value: number, opts: OnSimDevice): DeviceTensor;
export function fullLike(t: Tensor, value: number, opts?: CreateOptions): Tensor;
export function fullLike(t: Tensor, value: number, opts: AnyCreate = {}): Tensor | DeviceTensor {
  const o = { dtype: t.dtype, ...opts };
  return placed(fullOnBackend("fullLike", [...t.shape], value, o), o, "fullLike");
}

/**
 * Evenly spaced values in [start, stop) with `step`. `arange(5)` is 0 … 4.
 * Integer arguments give int32, others float32.
 * @example arange(0, 1, 0.25)   // [0, 0.25, 0.5, 0.75]
 * @example arange(0, 8, 1, { device: c.devices[0], dtype: "float32" })   // on a simulated device
 */
export function arange(start: number, stop: number | undefined, step: number | undefined, opts: OnSimDevice): DeviceTensor;
export function arange(start: number, stop?: number, step?: number, opts?: CreateOptions): Tensor;
export function arange(start: number, stop?: number, step = 1, opts: AnyCreate = {}): Tensor | DeviceTensor {
  if (stop === undefined) [start, stop] = [0, start];
  checkFinite("arange", "start", start);
  checkFinite("arange", "end", stop);
  checkFinite("arange", "step", step);
  if (step === 0) throw new ShapeError("arange", "step must not be 0");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = opts.dtype !== undefined ? checkDtypeName("arange", opts.dtype) : [start, stop, step].every(Number.isInteger) ? "int32" : "float32";
  const arr = allocFor("arange", dtype, [n]);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return placed(fromTyped(arr, [n], dtype, opts, "arange"), opts, "arange");
}

/**
 * `num` evenly spaced values from start to stop, both included.
 * @example linspace(0, 1, 5)   // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num: number, opts: OnSimDevice): DeviceTensor;
export function linspace(start: number, stop: number, num: number, opts?: CreateOptions): Tensor;
export function linspace(start: number, stop: number, num: number, opts: AnyCreate = {}): Tensor | DeviceTensor {
  checkFinite("linspace", "start", start);
  checkFinite("linspace", "end", stop);
  checkSize("linspace", "num", num);
  const dtype = opts.dtype !== undefined ? checkDtypeName("linspace", opts.dtype) : "float32";
  const arr = allocFor("linspace", dtype, [num]);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) arr[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return placed(fromTyped(arr, [num], dtype, opts, "linspace"), opts, "linspace");
}

/**
 * The n×m identity matrix (m defaults to n).
 * @example eye(3)
 */
export function eye(n: number, m: number | undefined, opts: OnSimDevice): DeviceTensor;
export function eye(n: number, m?: number, opts?: CreateOptions): Tensor;
export function eye(n: number, m = n, opts: AnyCreate = {}): Tensor | DeviceTensor {
  checkSize("eye", "n", n);
  checkSize("eye", "m", m);
  const dtype = opts.dtype !== undefined ? checkDtypeName("eye", opts.dtype) : "float32";
  const arr = allocFor("eye", dtype, [n, m]);
  for (let i = 0; i < Math.min(n, m); i++) arr[i * m + i] = 1;
  return placed(fromTyped(arr, [n, m], dtype, opts, "eye"), opts, "eye");
}

// ------------------------------------------------------------------ random

const rng = { seed: 0, offset: 0 };

/** Seed the global generator: the same seed gives the same numbers on every backend. */
export function manualSeed(seed: number): void {
  checkSize("manualSeed", "the seed", seed);
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

type AnyRandom = RandomOptions | OnSimDevice<RandomOptions>;

function draw(shape: number[], dist: "uniform" | "normal", opts: AnyRandom): Tensor {
  const op = dist === "normal" ? "randn" : "rand";
  checkShapeArg(op, shape);
  const dtype = opts.dtype !== undefined ? checkDtypeName(op, opts.dtype) : "float32";
  if (!isFloat(dtype)) throw new DTypeError(op, `draws floats, not ${dtype}`);
  if (opts.seed !== undefined) checkSize(op, "seed", opts.seed);
  checkBytes(op, shape, dtype);
  const fromGlobal = opts.seed === undefined;
  const { seed, offset } = fromGlobal ? takeGlobalRandom(shapeSize(shape)) : { seed: opts.seed!, offset: 0 };
  const t = apply(Random, [], { shape: [...shape], dtype, seed, offset, dist, fromGlobal });
  // A simulated device's data lives on the host.
  const target = typeof opts.device === "string" ? opts.device : opts.device ? "cpu" : undefined;
  if (target && t.device !== target) return finish(F.to(t, target), opts);
  return finish(t, opts);
}

/**
 * Uniform random numbers in [0, 1).
 * @example rand([2, 2], { seed: 1 })
 * @example rand([1024], { device: c.devices[0] })   // a dist.DeviceTensor
 */
export function rand(shape: number[], opts: OnSimDevice<RandomOptions>): DeviceTensor;
export function rand(shape: number[], opts?: RandomOptions): Tensor;
export function rand(shape: number[], opts: AnyRandom = {}): Tensor | DeviceTensor {
  return placed(draw(shape, "uniform", opts), opts, "rand");
}

/**
 * Standard normal random numbers.
 * @example randn([3, 4], { seed: 0 })
 * @example const xs = c.devices.map((d) => randn([1024], { device: d }));   // one dist.DeviceTensor per device
 */
export function randn(shape: number[], opts: OnSimDevice<RandomOptions>): DeviceTensor;
export function randn(shape: number[], opts?: RandomOptions): Tensor;
export function randn(shape: number[], opts: AnyRandom = {}): Tensor | DeviceTensor {
  return placed(draw(shape, "normal", opts), opts, "randn");
}

/**
 * Random integers in [low, high) (int32).
 * @example randint(0, 10, [5], { seed: 2 })
 */
export function randint(low: number, high: number, shape: number[], opts: OnSimDevice<RandomOptions>): DeviceTensor;
export function randint(low: number, high: number, shape: number[], opts?: RandomOptions): Tensor;
export function randint(low: number, high: number, shape: number[], opts: AnyRandom = {}): Tensor | DeviceTensor {
  checkShapeArg("randint", shape);
  checkBytes("randint", shape, "int32");
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low)
    throw new ShapeError("randint", `needs integers low < high, got ${fmtValue(low)} and ${fmtValue(high)}`);
  const u = draw(shape, "uniform", { ...opts, dtype: "float64" === opts.dtype ? "float64" : "float32", requiresGrad: false, name: undefined });
  const t = F.cast(F.floor(F.add(F.mul(u, high - low), low)), "int32");
  return placed(finish(t, { ...opts, requiresGrad: false }), opts, "randint");
}
