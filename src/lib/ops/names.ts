/**
 * The op table's names as a type, and the typed per-op tables built on it. Every table keyed by
 * primitive (CPU kernels, WGSL expressions, ONNX rules, test cases …) `satisfies` {@link OpTable},
 * so adding an op to ./defs makes the compiler name each table that must learn about it: each
 * gives an implementation, or {@link unsupported} with the reason it has none.
 * @module
 */
import type * as Defs from "./defs";
import type { OpCategory, OpDef } from "./registry";
import type { Unsupported } from "../op-table";

type DefsModule = typeof Defs;

/** The name of an exported op definition (never plain `string`: functions have a `name` too). */
type NameOf<T> = T extends OpDef<never, infer N, OpCategory> ? (string extends N ? never : N) : never;
/** The category of an exported op definition. */
type CategoryOf<T> = T extends OpDef<never, string, infer C> ? C : never;

/** The name of every primitive in the op table (src/lib/ops/defs), as a string-literal union. */
export type OpName = { [K in keyof DefsModule]: NameOf<DefsModule[K]> }[keyof DefsModule];

/** The primitives of one category, e.g. `OpsIn<"binary">` is `"add" | "sub" | …`. */
export type OpsIn<C extends OpCategory> = { [K in keyof DefsModule]: CategoryOf<DefsModule[K]> extends C ? NameOf<DefsModule[K]> : never }[keyof DefsModule];

// The run-time half (the unsupported marker and lookups) sits below the backends, which use it.
export { implOf, isUnsupported, reasonIfAbsent, unsupported, type Unsupported } from "../op-table";

/**
 * A table with one entry per op of `Names` (every primitive by default): an implementation `T`
 * or an {@link unsupported} entry. Write tables as `{ … } satisfies OpTable<T>`.
 */
export type OpTable<T, Names extends string = OpName> = { readonly [K in Names]: T | Unsupported };

/** A table keyed by op name where most ops have no entry (e.g. simplification rules): keys must be real ops. */
export type PartialOpTable<T, Names extends string = OpName> = { readonly [K in Names]?: T };
