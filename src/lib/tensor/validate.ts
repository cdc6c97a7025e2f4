/**
 * Checks of what users pass in: sizes, indices, dtype names and byte budgets. Every creation
 * function and every op that takes sizes or indices goes through these, so bad input is a
 * WebgradError naming the op and the bad value (as PyTorch does) instead of a silent answer,
 * a hang (a negative size walked by a loop) or a bare RangeError from a typed-array constructor.
 */
import { DTypeError, IndexError, OutOfMemoryError, ShapeError, WebgradError } from "../errors";
import { allocArray, DTYPES, ITEM_SIZE, type DType, type TypedArray } from "./dtype";
import { fmtShape, shapeSize } from "./shape";
import type { Tensor } from "./tensor";

/** `1.50 GiB` style text for messages. */
export function fmtBytes(b: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  let v = b;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${b} bytes` : `${v.toFixed(2)} ${units[i]}`;
}

/** A value as the user wrote it (`NaN`, `-2`, `"3"`, `undefined`) for messages. */
export function fmtValue(v: unknown, depth = 0): string {
  if (typeof v === "number" || v === undefined) return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return depth > 3 ? "[…]" : `[${v.map((e) => fmtValue(e, depth + 1)).join(", ")}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A size: a non-negative safe integer (a dimension, a count, a length). */
export function checkSize(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new ShapeError(op, `${what} must be a non-negative integer, got ${fmtValue(v)}`);
  }
  return v;
}

/** An integer argument that may be negative (a start counted from the end, a diagonal offset). */
export function checkInt(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new ShapeError(op, `${what} must be an integer, got ${fmtValue(v)}`);
  return v;
}

/** A finite number (range ends and steps). */
export function checkFinite(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new ShapeError(op, `${what} must be a finite number, got ${fmtValue(v)}`);
  return v;
}

/** A shape argument: an array of sizes. */
export function checkShapeArg(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(op, `shape must be an array of non-negative integers, got ${fmtValue(shape)}`);
  shape.forEach((d, i) => {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(op, `shape must be an array of non-negative integers, got ${fmtValue(shape)} (dimension ${i} is ${fmtValue(d)})`);
    }
  });
  return shape as number[];
}

/** A dtype name, or a DTypeError listing the ones that exist. */
export function checkDtypeName(op: string, d: unknown): DType {
  if (typeof d === "string" && (DTYPES as readonly string[]).includes(d)) return d as DType;
  throw new DTypeError(op, `unknown dtype ${fmtValue(d)}; expected one of ${DTYPES.join(", ")}`);
}

/** The default per-tensor limit: 2 GiB, about what one typed array or GPU buffer holds in a browser. */
const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
let maxTensorBytes = DEFAULT_MAX_BYTES;

/**
 * Set the largest tensor (in bytes) webgrad will allocate; larger ones throw an OutOfMemoryError
 * naming the op, shape and bytes before any memory is touched. Default 2 GiB; `null` restores it.
 * @example setMaxTensorBytes(256 * 1024 ** 2)   // refuse tensors over 256 MiB
 */
export function setMaxTensorBytes(bytes: number | null): void {
  if (bytes !== null && !(Number.isSafeInteger(bytes) && bytes > 0)) {
    throw new WebgradError("setMaxTensorBytes", `the limit must be a positive integer number of bytes (or null for the default), got ${fmtValue(bytes)}`);
  }
  maxTensorBytes = bytes ?? DEFAULT_MAX_BYTES;
}

/** The current per-tensor limit in bytes. */
export function getMaxTensorBytes(): number {
  return maxTensorBytes;
}

/** The OutOfMemoryError for a tensor of `shape`/`dtype` that needs `bytes`; `why` ends the message. */
export function outOfMemory(op: string, shape: readonly number[], dtype: DType, bytes: number, why: string): OutOfMemoryError {
  return new OutOfMemoryError(
    op,
    `a tensor of shape ${fmtShape(shape)} (${dtype}) needs ${fmtBytes(bytes)} (${bytes} bytes), ${why}`,
    [...shape],
    dtype,
    bytes,
  );
}

/** Refuse, before allocating, a tensor over the per-tensor limit. */
export function checkBytes(op: string, shape: readonly number[], dtype: DType): void {
  const bytes = shapeSize(shape) * ITEM_SIZE[dtype];
  if (bytes > maxTensorBytes) throw overLimit(op, shape, dtype, bytes);
}

/** The OutOfMemoryError for a tensor over the per-tensor limit. */
export function overLimit(op: string, shape: readonly number[], dtype: DType, bytes: number): OutOfMemoryError {
  return outOfMemory(op, shape, dtype, bytes, `more than the ${fmtBytes(maxTensorBytes)} limit for one tensor (setMaxTensorBytes changes it)`);
}

/** Run an allocation; a RangeError from it (the host could not give the memory) becomes an OutOfMemoryError. */
export function allocating<T>(op: string, shape: readonly number[], dtype: DType, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    // Typed-array and ArrayBuffer constructors throw RangeError when the host cannot give the memory
    // (a stack overflow is a RangeError too, and stays one).
    if (e instanceof RangeError && !/call stack/i.test(e.message)) {
      throw outOfMemory(op, shape, dtype, shapeSize(shape) * ITEM_SIZE[dtype], `which could not be allocated (${e.message})`);
    }
    throw e;
  }
}

/** A zeroed host array for a tensor of `shape`, with the byte budget checked first. */
export function allocFor(op: string, dtype: DType, shape: readonly number[]): TypedArray {
  checkBytes(op, shape, dtype);
  return allocating(op, shape, dtype, () => allocArray(dtype, shapeSize(shape)));
}

/** Where an index tensor's values must lie, for `checkIndexValues`. */
export interface IndexRule {
  /** What one value is, for the message ("index", "class id", "target class"). */
  what: string;
  /** The argument holding them, for the message ("index", "ids", "target"). */
  name: string;
  /** Values must be in 0 … size − 1. */
  size: number;
  /** What `size` counts, for the message ("dimension 1 of size 4", "3 classes"). */
  of: string;
  /** Shapes that explain `size`, appended to the message ("input shape [3, 4]"). */
  context?: string;
  /** A value that is allowed anyway (crossEntropy's ignoreIndex). */
  ignore?: number;
}

/** The first value of `data` outside the rule, as an error, or null. */
function indexValueError(op: string, data: ArrayLike<number>, shape: readonly number[], rule: IndexRule): IndexError | null {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if ((v < 0 || v >= rule.size) && v !== rule.ignore) {
      const valid = rule.size === 0 ? "none" : `0 … ${rule.size - 1}${rule.ignore !== undefined ? `, or ignoreIndex ${rule.ignore}` : ""}`;
      const where = shape.length === 0 ? "" : `, at position ${fmtShape(unravel(i, shape))} of ${rule.name} (shape ${fmtShape(shape)})`;
      return new IndexError(op, `${rule.what} ${v} is out of range for ${rule.of} (valid: ${valid})${where}${rule.context ? `; ${rule.context}` : ""}`);
    }
  }
  return null;
}

/**
 * Check the values of an index tensor where they can be read now: concrete and on a backend that
 * reads synchronously (CPU). Tracers (jit, vmap, jvp) and WebGPU tensors are checked where the
 * values exist: the CPU kernels of gather, scatterAdd and crossEntropy check them, and the WebGPU
 * kernels clamp and raise a flag that the next read-back turns into this error.
 */
export function checkIndexValues(op: string, t: Tensor, rule: IndexRule): void {
  const view = t._concreteValue()?._view;
  const backend = view?.storage.backend;
  if (!view || !backend?.readSync) return;
  const err = indexValueError(op, backend.readSync(view), t.shape, rule);
  if (err !== null) throw err;
}

/** Row-major position of flat element `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    pos[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return pos;
}
