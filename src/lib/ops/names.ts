/**
 * The op table's names as a type, and the typed per-op tables built on it. Every table keyed by
 * primitive (CPU kernels, WGSL expressions, ONNX rules, test cases …) `satisfies` {@link OpTable},
 * so adding an op to ./defs makes the compiler name each table that must learn about it: each
 * gives an implementation, or {@link unsupported} with the reason it has none.
 * @module
 */
import type * as Defs from "./defs";
import type { OpCategory, OpDef } from "./registry";

type DefsModule = typeof Defs;

/** The name of an exported op definition (never plain `string`: functions have a `name` too). */
type NameOf<T> = T extends OpDef<never, infer N, OpCategory> ? (string extends N ? never : N) : never;
/** The category of an exported op definition. */
type CategoryOf<T> = T extends OpDef<never, string, infer C> ? C : never;

/** The name of every primitive in the op table (src/lib/ops/defs), as a string-literal union. */
export type OpName = { [K in keyof DefsModule]: NameOf<DefsModule[K]> }[keyof DefsModule];

/** The primitives of one category, e.g. `OpsIn<"binary">` is `"add" | "sub" | …`. */
export type OpsIn<C extends OpCategory> = { [K in keyof DefsModule]: CategoryOf<DefsModule[K]> extends C ? NameOf<DefsModule[K]> : never }[keyof DefsModule];

declare const UNSUPPORTED: unique symbol;

/** An explicit "this table has nothing for this op", with the reason. */
export interface Unsupported {
  readonly [UNSUPPORTED]: true;
  readonly unsupported: string;
}

const unsupportedMarks = new WeakSet<object>();

/** Mark an op as deliberately absent from a per-op table, saying why. */
export function unsupported(reason: string): Unsupported {
  const u = { unsupported: reason } as Unsupported;
  unsupportedMarks.add(u);
  return u;
}

/** True for an {@link unsupported} entry. */
export function isUnsupported(v: unknown): v is Unsupported {
  return typeof v === "object" && v !== null && unsupportedMarks.has(v);
}

/**
 * A table with one entry per op of `Names` (every primitive by default): an implementation `T`
 * or an {@link unsupported} entry. Write tables as `{ … } satisfies OpTable<T>`.
 */
export type OpTable<T, Names extends string = OpName> = { readonly [K in Names]: T | Unsupported };

/** A table keyed by op name where most ops have no entry (e.g. simplification rules): keys must be real ops. */
export type PartialOpTable<T, Names extends string = OpName> = { readonly [K in Names]?: T };

/**
 * The implementation `op` has in a per-op table, or undefined (not an op of the table, or
 * unsupported there). `reasonIfAbsent` gives the unsupported entry's reason.
 */
export function implOf<T>(table: Readonly<Partial<Record<string, T | Unsupported>>>, op: string): T | undefined {
  const v = Object.hasOwn(table, op) ? table[op] : undefined;
  return v === undefined || isUnsupported(v) ? undefined : (v as T);
}

/** Why `op` has no implementation in a per-op table ("not in the table" when it has no entry). */
export function reasonIfAbsent(table: Readonly<Partial<Record<string, unknown>>>, op: string): string | undefined {
  const v = Object.hasOwn(table, op) ? table[op] : undefined;
  if (v === undefined) return "not in the table";
  return isUnsupported(v) ? v.unsupported : undefined;
}
