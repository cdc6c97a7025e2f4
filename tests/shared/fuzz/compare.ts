/** Comparing two modes' outcomes: dtype-aware tolerances, NaN positions equal, errors on both sides or neither. */
import type { Outcome, Value } from "./modes";

/** Absolute and relative tolerance per dtype (float16 keeps 11 significant bits). */
const TOL: Record<string, number> = { float16: 2e-2, float32: 2e-4, float64: 1e-9 };

function closeEnough(x: number, y: number, tol: number): boolean {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= tol * (1 + Math.max(Math.abs(x), Math.abs(y)));
}

const ORDER = ["float16", "float32", "float64"];
/** The looser of the value's tolerance and the program's (float16 anywhere upstream rounds what follows). */
const tolOf = (dtype: string, floor?: string): number => Math.max(TOL[dtype] ?? 0, floor ? (TOL[floor] ?? 0) : 0);
export const lowestFloat = (dtypes: Iterable<string>): string | undefined => [...dtypes].sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y))[0];

function valueDifference(a: Value, b: Value, floor?: string): string | undefined {
  if (a.data === null || b.data === null)
    return a.data === b.data ? undefined : `${a.label}: ${a.data === null ? "null" : "a tensor"} vs ${b.data === null ? "null" : "a tensor"}`;
  if (a.dtype !== b.dtype) return `${a.label}: dtype ${a.dtype} vs ${b.dtype}`;
  if (a.shape.join() !== b.shape.join()) return `${a.label}: shape [${a.shape}] vs [${b.shape}]`;
  const tol = tolOf(a.dtype, floor);
  const i = a.data.findIndex((x, k) => !closeEnough(x, b.data![k]!, tol));
  return i < 0 ? undefined : `${a.label}[${i}]: ${a.data[i]} vs ${b.data[i]}`;
}

/**
 * Errors jit raises by design where eager may run: the issue asks jit to refuse these with a clear
 * error (a BigInt cannot be keyed exactly as a graph constant). Such a refusal on the jit side agrees.
 */
const DOCUMENTED_JIT_REFUSALS: readonly RegExp[] = [/jit cannot key or trace BigInt values/];

/** Why two outcomes differ (the second is the jit or transform side), or undefined when they agree. */
export function outcomeDifference(a: Outcome, b: Outcome, floor?: string): string | undefined {
  if ("error" in a || "error" in b) {
    if ("error" in a && "error" in b) return undefined;
    if ("error" in b && DOCUMENTED_JIT_REFUSALS.some((r) => r.test(b.error))) return undefined;
    return "error" in a ? `threw only in the first: ${a.error}` : `threw only in the second: ${(b as { error: string }).error}`;
  }
  if (a.values.length !== b.values.length) return `${a.values.length} values vs ${b.values.length}`;
  for (let i = 0; i < a.values.length; i++) {
    const va = a.values[i]!,
      vb = b.values[i]!;
    if (va.label !== vb.label) return `value ${i}: ${va.label} vs ${vb.label}`;
    const d = valueDifference(va, vb, floor);
    if (d) return d;
  }
  return undefined;
}
