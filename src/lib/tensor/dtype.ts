/** Element types. float64 exists on the CPU backend, for gradient checks. */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The typed array that holds elements of each dtype on the CPU. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** All dtypes, ordered by promotion rank. */
export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Bytes per element. */
export const ITEM_SIZE: Record<DType, number> = { bool: 1, int32: 4, float32: 4, float64: 8 };

/** True for floating-point dtypes (the only ones that carry gradients). */
export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64";
}

/** Allocate a zeroed typed array of `n` elements of dtype `d`. */
export function allocArray(d: DType, n: number): TypedArray {
  switch (d) {
    case "float32": return new Float32Array(n);
    case "float64": return new Float64Array(n);
    case "int32": return new Int32Array(n);
    case "bool": return new Uint8Array(n);
  }
}

/** The dtype of `a op b` under NumPy/PyTorch-style promotion (bool < int32 < float32 < float64). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype a plain JS number takes: "weak", so `float32 + 1.5` stays float32 and `int32 + 2` stays int32. */
export function scalarDtype(x: number | boolean): DType {
  if (typeof x === "boolean") return "bool";
  return Number.isInteger(x) ? "int32" : "float32";
}

/** Promote a tensor dtype with a weakly typed scalar: the scalar only raises the kind (bool → int → float). */
export function promoteWithScalar(t: DType, s: DType): DType {
  if (RANK[s] <= RANK[t]) return t;
  return s === "float32" || s === "float64" ? (t === "float64" ? t : "float32") : s;
}

/** Check that `d` is a dtype name, with a helpful error. */
export function checkDtype(d: unknown, where: string): DType {
  if (typeof d === "string" && (DTYPES as readonly string[]).includes(d)) return d as DType;
  throw new TypeError(`${where}: unknown dtype ${JSON.stringify(d)}; expected one of ${DTYPES.join(", ")}`);
}
