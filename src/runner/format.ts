/**
 * Console formatting for the runner: turns logged values into readable text, close to what
 * browser devtools and Node print. Tensors (anything with a `Symbol.for("webgrad.inspect")`
 * method) print through that method, which is async because GPU readback is.
 * @module
 */

/** The key under which tensors (and anything else) provide their printed form. */
export const INSPECT = Symbol.for("webgrad.inspect");

const MAX_ITEMS = 100;
const MAX_DEPTH = 3;
const MAX_STRING = 10_000;

/** True when `value` has an inspect method (a tensor). */
export function hasInspect(value: unknown): value is { [INSPECT]: () => unknown } {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as Record<symbol, unknown>)[INSPECT] === "function";
}

/**
 * Formats console arguments as one line of text. Strings at the top level print raw (as in
 * devtools); `formatError` renders Errors (the runner maps their stacks to the user's lines).
 * Returns a promise only when an argument has an inspect method.
 */
export function formatArgs(args: unknown[], formatError: (e: Error) => string): string | Promise<string> {
  const parts = args.map((a): string | Promise<string> => {
    if (typeof a === "string") return a;
    if (hasInspect(a)) return inspectAsync(a);
    return formatValue(a, formatError);
  });
  if (parts.every((p) => typeof p === "string")) return (parts as string[]).join(" ");
  return Promise.all(parts).then((p) => p.join(" "));
}

async function inspectAsync(value: { [INSPECT]: () => unknown }): Promise<string> {
  try {
    const text = await value[INSPECT]();
    return String(text);
  } catch (error) {
    return `[inspect failed: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

/** Formats any value synchronously (nested strings are quoted). */
export function formatValue(value: unknown, formatError: (e: Error) => string = (e) => e.stack ?? String(e)): string {
  const seen = new Set<unknown>();
  const fmt = (v: unknown, depth: number): string => {
    switch (typeof v) {
      case "string":
        return depth === 0 ? v : JSON.stringify(v.length > MAX_STRING ? v.slice(0, MAX_STRING) + "…" : v);
      case "number":
        return Object.is(v, -0) ? "-0" : String(v);
      case "bigint":
        return `${v}n`;
      case "boolean":
      case "undefined":
        return String(v);
      case "symbol":
        return v.toString();
      case "function":
        return `[Function: ${v.name || "(anonymous)"}]`;
    }
    if (v === null) return "null";
    const obj = v as object;
    if (hasInspect(obj)) return `[${obj.constructor?.name ?? "Object"}: print it with console.log(x) at the top level]`;
    if (obj instanceof Error) return formatError(obj);
    if (seen.has(obj)) return "[Circular]";
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
    if (obj instanceof RegExp) return String(obj);
    if (depth > MAX_DEPTH) return Array.isArray(obj) ? "[Array]" : `[${obj.constructor?.name ?? "Object"}]`;
    seen.add(obj);
    try {
      if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
        const arr = obj as unknown as ArrayLike<number | bigint>;
        return `${obj.constructor.name}(${arr.length}) ${list(
          Array.from({ length: Math.min(arr.length, MAX_ITEMS) }, (_, i) => fmt(arr[i], depth + 1)),
          arr.length,
        )}`;
      }
      if (Array.isArray(obj)) {
        return list(
          obj.slice(0, MAX_ITEMS).map((x) => fmt(x, depth + 1)),
          obj.length,
        );
      }
      if (obj instanceof Map) {
        const entries = [...obj].slice(0, MAX_ITEMS).map(([k, x]) => `${fmt(k, depth + 1)} => ${fmt(x, depth + 1)}`);
        return `Map(${obj.size}) {${entries.length ? " " + entries.join(", ") + " " : ""}}`;
      }
      if (obj instanceof Set) {
        const entries = [...obj].slice(0, MAX_ITEMS).map((x) => fmt(x, depth + 1));
        return `Set(${obj.size}) {${entries.length ? " " + entries.join(", ") + " " : ""}}`;
      }
      if (obj instanceof Promise) return "Promise { … }";
      const keys = Object.keys(obj);
      const name = obj.constructor && obj.constructor !== Object ? obj.constructor.name + " " : "";
      if (keys.length === 0) return `${name}{}`;
      const body = keys
        .slice(0, MAX_ITEMS)
        .map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${fmt((obj as Record<string, unknown>)[k], depth + 1)}`);
      if (keys.length > MAX_ITEMS) body.push(`… ${keys.length - MAX_ITEMS} more`);
      return `${name}{ ${body.join(", ")} }`;
    } catch (error) {
      return `[unprintable: ${error instanceof Error ? error.message : String(error)}]`;
    } finally {
      seen.delete(obj);
    }
  };
  return fmt(value, 0);
}

/**
 * An error as console text: `Name: message`, then one `at …` line per frame given. The runner
 * passes the user's frames only ({@link userFrames} in sourcemap.ts): the library's minified
 * frames say nothing to a learner, and the console can show them on request from the entry's frames.
 */
export function formatErrorText(error: { name: string; message: string }, frames: readonly { text: string }[]): string {
  return `${error.name}: ${error.message}${frames.map((f) => `\n    at ${f.text}`).join("")}`;
}

function list(items: string[], total: number): string {
  if (total > items.length) items.push(`… ${total - items.length} more`);
  return items.length ? `[ ${items.join(", ")} ]` : "[]";
}
