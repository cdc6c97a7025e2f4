/**
 * The run-time half of the per-op tables (ops/names.ts holds their types, typed over OpName): an
 * explicit "unsupported, because …" entry and the lookups that treat it as absent. A bottom-layer
 * module, so the backends' kernel tables use it without importing the op layer above them.
 * @module
 */
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
