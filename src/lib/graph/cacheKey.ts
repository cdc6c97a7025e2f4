/**
 * The cache key of a `jit` call: one walk over the arguments (and `this`) that records everything
 * a trace depends on, so two calls share a compiled graph only when tracing them would record the
 * same program. It also lists what it saw, path by path, so a retrace can say what changed.
 *
 * What keys how (mirroring `treeFlatten`, which decides what becomes a graph input):
 * - tensors in arrays / plain objects are graph inputs: keyed by dtype, shape, layout (when not
 *   contiguous), backend and requiresGrad;
 * - numbers by exact value (`Object.is`: NaN, ±Infinity and -0 are their own keys), strings,
 *   booleans, null and undefined by type and value;
 * - arrays and plain objects by structure, keys in order; a cycle among them is refused;
 * - functions by identity (their closures are baked in when traced);
 * - class instances (nn.Module, optimizers, your own classes) by identity plus their public fields
 *   (names not starting with `_`; a module's buffers too): the trace reads their tensors by
 *   reference and their numbers and flags by value. Tensors held there are keyed by identity;
 * - Maps and Sets by contents, Dates by time, typed arrays by contents (beyond 1024 elements by a
 *   53-bit hash of their bytes, to keep a call cheap);
 * - BigInt and Promises in the arguments (outside class instances) are refused.
 * @module
 */
import { WebgradError } from "../errors";
import { Module } from "../nn/module";
import { Tensor } from "../tensor/tensor";
import { contiguousStrides, fmtShape } from "../tensor/shape";

/** One thing the walk saw: where, what (for messages), and whether it is keyed by identity. */
export interface KeyPart {
  readonly path: string;
  readonly desc: string;
  /** Its piece of the key (equal tokens: equal for the trace). */
  readonly token: string;
  /** Keyed by identity, what kind of thing ("function", "Linear"): a change here explains every change below it. */
  readonly identity?: string;
  /** With `identity`: a module (each model gets its own trace, which is expected, so no advice). */
  readonly module?: boolean;
}

/** A call's cache key and what it was made of. */
export interface CallSignature {
  /** Equal keys ⇔ the same trace applies. */
  readonly key: string;
  /** Every keyed value, in walk order (for retrace reasons). */
  readonly parts: readonly KeyPart[];
}

/** More values than this in one call's arguments: refuse (the key would cost more than the call). */
const MAX_KEYED_VALUES = 100_000;
/** Typed arrays up to this many elements key by exact contents; longer ones by a content hash. */
const EXACT_TYPED_ARRAY = 1024;

const ids = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextId = 1;
/** A stable id per object (weakly held, so the key does not keep the object alive). */
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}
function symbolId(s: symbol): number {
  let id = symbolIds.get(s);
  if (id === undefined) symbolIds.set(s, (id = nextId++));
  return id;
}

/** A number as the key sees it: exact, with -0 distinct from 0. */
export function fmtNumber(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}

function className(o: object): string {
  const c = (o as { constructor?: { name?: string } }).constructor;
  return typeof c === "function" && c.name ? c.name : "object";
}

const isPlain = (o: object): boolean => Object.getPrototypeOf(o) === Object.prototype;

/**
 * A non-contiguous tensor's layout ("" for a contiguous one): it decides what is a view of it
 * eagerly (a reshape of a transposed tensor copies), so a graph is traced per layout.
 */
function layoutDesc(t: Tensor): string {
  const { strides, offset } = t._layout();
  const plain = offset === 0 && strides.every((s, i) => t.shape[i] === 1 || s === contiguousStrides(t.shape)[i]);
  return plain ? "" : ` strides ${fmtShape(strides)} offset ${offset}`;
}

function tensorDesc(t: Tensor): string {
  const backend = t._backendOf()?.name;
  return `${t.dtype}${fmtShape(t.shape)}${layoutDesc(t)}${backend ? ` on ${backend}` : ""}${t.requiresGrad ? " requiresGrad" : ""}`;
}

/** A cheap 53-bit hash of bytes (cyrb53), for long typed arrays. */
function hashBytes(b: Uint8Array): string {
  let h1 = 0xdeadbeef,
    h2 = 0x41c6ce57;
  for (let i = 0; i < b.length; i++) {
    h1 = Math.imul(h1 ^ b[i], 2654435761);
    h2 = Math.imul(h2 ^ b[i], 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function bytesOf(v: ArrayBufferView | ArrayBuffer): Uint8Array {
  return v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * The signature of a call: `args` (and `self`, the call's `this`, when fn can see one), with the
 * parts it was made of (for messages). Throws a WebgradError naming `op` and the argument path for
 * what cannot be keyed (a cycle among arrays and plain objects, a BigInt, a Promise, an argument
 * tree too large).
 */
export function callSignature(args: readonly unknown[], self: unknown = undefined, op = "jit"): CallSignature {
  return walkCall(args, self, op, true);
}

/**
 * Only the key of {@link callSignature} (what every call computes: no paths or descriptions are
 * built, so a model and its optimizer key in microseconds). Equal to `callSignature(...).key`.
 */
export function callKey(args: readonly unknown[], self: unknown = undefined, op = "jit"): string {
  try {
    return walkCall(args, self, op, false).key;
  } catch (e) {
    // The fast walk has no paths: walk again to name the argument in the error.
    if (e instanceof WebgradError) walkCall(args, self, op, true);
    throw e;
  }
}

function walkCall(args: readonly unknown[], self: unknown, op: string, full: boolean): CallSignature {
  const key: string[] = [];
  const parts: KeyPart[] = [];
  /** Every object gets a visit number in walk order (so back-references key the same way each call). */
  let visits = 0;
  const visitPaths: string[] = [];
  /** Arrays and plain objects on the path from the root, by visit number: meeting one again in the arguments is a cycle. */
  const ancestors = new Map<object, number>();
  /** Objects inside class instances and non-plain objects, by visit number: met again, a back-reference. */
  const seen = new Map<object, number>();
  let count = 0;

  const leaf = (path: string, token: string, desc: () => string, identity?: string, module?: boolean) => {
    key.push(token);
    if (full) parts.push(identity ? { path, desc: desc(), token, identity, ...(module ? { module } : {}) } : { path, desc: desc(), token });
  };
  const at = (path: string, suffix: string) => (full ? path + suffix : "");

  const walk = (v: unknown, path: string, inInstance: boolean): void => {
    if (++count > MAX_KEYED_VALUES) {
      throw new WebgradError(
        op,
        `${path}: the arguments hold more than ${MAX_KEYED_VALUES} values to key (jit keys every JS value it is passed); pass large data as a tensor (tensor(data)), or let fn read it from its closure`,
      );
    }
    switch (typeof v) {
      case "number":
        return leaf(path, `n${fmtNumber(v)}`, () => fmtNumber(v));
      case "string":
        return leaf(path, `s${v.length}:${v}`, () => JSON.stringify(v));
      case "boolean":
        return leaf(path, v ? "T" : "F", () => String(v));
      case "undefined":
        return leaf(path, "u", () => "undefined");
      case "bigint":
        // Inside a class instance it may be bookkeeping fn never reads: key it. As an argument it is refused.
        if (inInstance) return leaf(path, `g${v}`, () => `${v}n`);
        throw new WebgradError(
          op,
          `${path} is a BigInt (${v}n): jit cannot key or trace BigInt values; pass a number (Number(${path})) or an int32 tensor (tensor([...], { dtype: "int32" }))`,
        );
      case "symbol":
        return leaf(path, `y${symbolId(v)}`, () => v.toString(), "symbol");
      case "function":
        return leaf(path, `f${idOf(v)}`, () => `a function${v.name ? ` (${v.name})` : ""}`, "function");
    }
    if (v === null) return leaf(path, "null", () => "null");
    const o = v as object;
    if (o instanceof Tensor) {
      // An argument tensor is a graph input (its shape matters); a tensor inside a class instance is
      // read by reference (which tensor matters).
      if (!inInstance)
        return leaf(path, `t${o.dtype}[${o.shape.join(",")}]${layoutDesc(o)}${o._backendOf()?.name ?? ""}${o.requiresGrad ? "+" : ""}`, () => tensorDesc(o));
      return leaf(path, `r${idOf(o)}`, () => `a tensor ${tensorDesc(o)}`, "tensor");
    }
    if (o instanceof Promise && !inInstance) {
      throw new WebgradError(op, `${path} is a Promise: await it before calling the jit function (jit traces synchronous code on tensors)`);
    }
    const tree = Array.isArray(o) || isPlain(o);
    // Arrays and plain objects of the arguments are copied by treeFlatten (shared ones twice), so
    // only a cycle among them is an error; anything else met again is the same object: say so.
    // (treeFlatten does not enter class instances, so a cycle through one is no error either.)
    if (inInstance || !tree) {
      const before = seen.get(o) ?? ancestors.get(o);
      if (before !== undefined) return leaf(path, `@${before}`, () => `the same object as ${visitPaths[before]}`);
    }
    const no = visits++;
    if (full) visitPaths.push(path);
    if (inInstance || !tree) seen.set(o, no);
    if (tree) {
      const cycleTo = ancestors.get(o);
      if (cycleTo !== undefined) {
        throw new WebgradError(
          op,
          `${path} refers back to ${visitPaths[cycleTo]} (a cyclic argument): jit walks arrays and plain objects to find tensors and cannot walk a cycle; pass an acyclic structure, or hold the cycle in a class instance (keyed by identity)`,
        );
      }
      ancestors.set(o, no);
      if (Array.isArray(o)) {
        key.push(`[${o.length}`);
        for (let i = 0; i < o.length; i++) walk(o[i], at(path, `[${i}]`), inInstance);
        key.push("]");
      } else {
        key.push("{");
        for (const k of Object.keys(o)) {
          key.push(`${k.length}:${k}`); // length-prefixed: no key text can fake the separators
          walk((o as Record<string, unknown>)[k], at(path, `.${k}`), inInstance);
        }
        key.push("}");
      }
      ancestors.delete(o);
      return;
    }
    if (o instanceof Map) {
      leaf(path, `M${o.size}`, () => `a Map of ${o.size}`);
      let i = 0;
      for (const [k, x] of o) {
        const prim = k === null || (typeof k !== "object" && typeof k !== "function");
        walk(k, at(path, `.keys[${i}]`), true);
        walk(x, full ? `${path}.get(${prim ? (typeof k === "string" ? JSON.stringify(k) : String(k)) : `keys[${i}]`})` : "", true);
        i++;
      }
      key.push("/M");
      return;
    }
    if (o instanceof Set) {
      leaf(path, `S${o.size}`, () => `a Set of ${o.size}`);
      let i = 0;
      for (const x of o) walk(x, at(path, `.values[${i++}]`), true);
      key.push("/S");
      return;
    }
    if (o instanceof Date) return leaf(path, `d${o.getTime()}`, () => `Date ${Number.isNaN(o.getTime()) ? "invalid" : o.toISOString()}`);
    if (o instanceof RegExp) return leaf(path, `x${String(o).length}:${String(o)}`, () => String(o));
    if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer) {
      // Values read from a typed array while tracing become constants of the graph: key the values.
      const bytes = bytesOf(o);
      const n = "length" in o ? (o as { length: number }).length : bytes.length;
      const kind = className(o);
      const content =
        n <= EXACT_TYPED_ARRAY
          ? Array.from(o instanceof ArrayBuffer || o instanceof DataView ? bytes : (o as unknown as ArrayLike<number | bigint>), (x) => String(x)).join(",")
          : `#${bytes.length}:${hashBytes(bytes)}`;
      return leaf(path, `b${kind}${n}:${content}`, () => `a ${kind} of ${n}${n <= 8 ? ` [${content}]` : ""}`);
    }
    // Any other object (nn.Module, an optimizer, a class of yours): which one, then its public fields.
    const cls = className(o);
    const isModule = o instanceof Module;
    leaf(path, `i${idOf(o)}`, () => `${/^[AEIOU]/.test(cls) ? "an" : "a"} ${cls}`, cls, isModule);
    key.push("(");
    for (const k of Object.keys(o)) {
      // `_` fields are internal (the library keeps, e.g., an optimizer's lr there as a tensor the
      // graph reads); a module's buffers are state the graph reads by reference, so they count.
      if (k.charCodeAt(0) === 95 /* _ */ && !(isModule && k === "_buffers")) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d === undefined || !("value" in d)) continue; // a getter may compute anything: not read
      key.push(`${k.length}:${k}`);
      walk(d.value, at(path, `.${k}`), true);
    }
    key.push(")");
  };

  key.push(`${args.length}(`);
  for (let i = 0; i < args.length; i++) walk(args[i], full ? `arg${i}` : "", false);
  key.push(")");
  // `this` is not flattened into graph inputs: the tensors fn reads from it are captured by reference.
  if (self !== undefined) walk(self, "this", true);
  return { key: key.join("\u0000"), parts };
}

/** "a → b", leaving out a tensor's backend when it did not change ("float32[2] → float32[3]"). */
function withoutCommonSuffix(a: string, b: string): string {
  const on = / on \S+( requiresGrad)?$/;
  const sa = on.exec(a)?.[0],
    sb = on.exec(b)?.[0];
  const backendOf = (x: string | undefined) => x?.replace(" requiresGrad", "");
  if (sa !== undefined && backendOf(sa) === backendOf(sb)) {
    const strip = (x: string) => x.replace(/ on \S+/, "");
    return `${strip(a)} → ${strip(b)}`;
  }
  return `${a} → ${b}`;
}

/**
 * Why `next` needs another trace than `prev` (the previous call): each changed path, e.g.
 * "arg0.lr: 0.1 → 0.01", "arg1 (a function): a different function than in the previous call".
 */
export function describeChange(prev: CallSignature, next: CallSignature, maxItems = 4): string {
  const before = new Map(prev.parts.map((p) => [p.path, p] as const));
  const after = new Set(next.parts.map((p) => p.path));
  const changes: string[] = [];
  const replaced: string[] = [];
  const below = (path: string) => replaced.some((r) => path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
  for (const p of next.parts) {
    if (below(p.path)) continue;
    const q = before.get(p.path);
    if (q === undefined) changes.push(`${p.path}: added (${p.desc})`);
    else if (q.token === p.token) continue;
    else if (q.desc !== p.desc) {
      changes.push(`${p.path}: ${withoutCommonSuffix(q.desc, p.desc)}`);
      if (p.identity) replaced.push(p.path);
    } else if (p.identity) {
      // Same kind of thing, another object: what is below it changed with it.
      const hint =
        p.identity === "function"
          ? " (functions key by identity: create it once, outside the loop, to reuse the trace)"
          : p.identity === "tensor" || p.identity === "symbol" || p.module
            ? ""
            : " (objects of a class key by identity: pass the same object, or a plain object, to reuse the trace)";
      changes.push(`${p.path} (${p.desc}): a different ${p.identity} than in the previous call${hint}`);
      replaced.push(p.path);
    } else changes.push(`${p.path}: other values (${p.desc})`);
  }
  for (const q of prev.parts) if (!after.has(q.path) && !below(q.path)) changes.push(`${q.path}: removed (was ${q.desc})`);
  if (changes.length === 0) return "the same values with object keys in another order (key order is part of the signature)";
  const shown = changes.slice(0, maxItems).join("; ");
  return changes.length > maxItems ? `${shown}; and ${changes.length - maxItems} more` : shown;
}
