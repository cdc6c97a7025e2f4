/**
 * Element types. float64 exists on the CPU backend, for gradient checks. float16 (IEEE half) is
 * held as f16 on a WebGPU adapter with `shader-f16` and emulated everywhere else (f32 storage,
 * every result rounded to the nearest half), so it behaves the same on every backend.
 */
export type DType = "float16" | "float32" | "float64" | "int32" | "bool";

/** The typed array that holds elements of each dtype on the CPU. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** All dtypes, ordered by promotion rank. */
export const DTYPES: readonly DType[] = ["bool", "int32", "float16", "float32", "float64"];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float16: 2, float32: 3, float64: 4 };

/** Bytes per element (as the dtype is defined; see each backend for what it holds). */
export const ITEM_SIZE: Record<DType, number> = { bool: 1, int32: 4, float16: 2, float32: 4, float64: 8 };

/** True for floating-point dtypes (the only ones that carry gradients). */
export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64" || d === "float16";
}

/** Allocate a zeroed typed array of `n` elements of dtype `d` (float16 values live in a Float32Array). */
export function allocArray(d: DType, n: number): TypedArray {
  switch (d) {
    case "float32":
    case "float16":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int32":
      return new Int32Array(n);
    case "bool":
      return new Uint8Array(n);
  }
}

/** The dtype of `a op b` under NumPy/PyTorch-style promotion (bool < int32 < float16 < float32 < float64). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype a plain JS number takes: "weak", so `float16 + 1.5` stays float16 and `int32 + 2` stays int32. */
export function scalarDtype(x: number | boolean): DType {
  if (typeof x === "boolean") return "bool";
  return Number.isInteger(x) ? "int32" : "float32";
}

/** Promote a tensor dtype with a weakly typed scalar: the scalar only raises the kind (bool → int → float). */
export function promoteWithScalar(t: DType, s: DType): DType {
  if (RANK[s] <= RANK[t]) return t;
  return isFloat(s) ? (isFloat(t) ? t : "float32") : s;
}
