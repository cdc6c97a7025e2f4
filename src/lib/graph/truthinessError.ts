/**
 * Turns the truthiness tests `findTensorTruthiness` finds in a jit function into an error at the
 * user's line. The source positions are relative to the function; the function's place in its
 * script comes from V8's structured stack (`CallSite.getEnclosingLineNumber`) of a frame inside
 * it, taken when the trace records its first op. A frame built from that position is put on top
 * of the error's stack, so the runner maps it to the user's line like any other frame. Engines
 * without that API get the line within the function.
 */
import { WebgradError } from "../errors";
import { userLineOfStack } from "../debug/source";
import { sourceOf } from "../debug/scope";
import { Tensor } from "../tensor/tensor";
import { findTensorTruthiness, type TruthinessSite } from "./truthiness";

/* eslint-disable @typescript-eslint/no-explicit-any */
type CallSite = any;

/** V8's structured stack from the caller of `above` on, or null on engines without it. */
function callSites(above: (...a: any[]) => unknown): CallSite[] | null {
  const E = Error as any;
  if (typeof E.captureStackTrace !== "function") return null;
  const prevPrepare = E.prepareStackTrace,
    prevLimit = E.stackTraceLimit;
  E.prepareStackTrace = (_e: unknown, sites: CallSite[]) => sites;
  E.stackTraceLimit = 200;
  try {
    const holder: { stack?: unknown } = {};
    E.captureStackTrace(holder, above);
    const s = holder.stack;
    return Array.isArray(s) && s.length > 0 && typeof s[0]?.getEnclosingLineNumber === "function" ? s : null;
  } catch {
    return null;
  } finally {
    E.prepareStackTrace = prevPrepare;
    E.stackTraceLimit = prevLimit;
  }
}

const frameId = (c: CallSite) => `${c.getFileName()}:${c.getEnclosingLineNumber()}:${c.getEnclosingColumnNumber()}`;

/** Where the function starts in its script (1-based line and column), from a frame inside it. */
interface FunctionPlace {
  file: string;
  line: number;
  column: number;
  name: string;
}

/** A check armed for one trace of `fn`: null when its source tests no tensor for truthiness. */
export interface TruthinessGuard {
  /** Call from the function that calls fn, just before calling it (to find fn's frame later). */
  enter(): void;
  /** Call from inside fn's dynamic extent (the trace's first op): throws the error. */
  fail(): never;
}

/** Inspect `fn`'s source for `args`; a guard when it tests a tensor for truthiness. */
export function truthinessGuard(fn: (...args: any[]) => unknown, args: readonly unknown[], name: string): TruthinessGuard | null {
  const isTensor = (i: number, key?: string | number) => {
    const a = args[i];
    const v = key === undefined ? a : a !== null && typeof a === "object" ? (a as Record<string | number, unknown>)[key] : undefined;
    return v instanceof Tensor;
  };
  const sites = findTensorTruthiness(sourceOf(fn), isTensor);
  if (sites.length === 0) return null;
  let caller: string | null = null;
  const guard: TruthinessGuard = {
    enter() {
      const s = callSites(guard.enter);
      caller = s ? frameId(s[0]) : null;
    },
    fail() {
      let place: FunctionPlace | null = null;
      const s = caller === null ? null : callSites(guard.fail);
      const at = s ? s.findIndex((c) => frameId(c) === caller) : -1;
      if (s && at > 0) {
        const f = s[at - 1];
        place = { file: f.getFileName(), line: f.getEnclosingLineNumber(), column: f.getEnclosingColumnNumber(), name: f.getFunctionName() || name };
      }
      throw truthinessError(sites, name, place);
    },
  };
  return guard;
}

/** The error for these sites; with the function's place, its stack starts at the first site. */
function truthinessError(sites: readonly TruthinessSite[], name: string, place: FunctionPlace | null): WebgradError {
  const frames = sites.map((s) => {
    if (!place) return null;
    const line = place.line + s.line - 1;
    const column = s.line === 1 ? place.column + s.column : s.column + 1;
    return `    at ${place.name} (${place.file}:${line}:${column})`;
  });
  const where = (s: TruthinessSite, k: number) => {
    const user = frames[k] ? userLineOfStack(`Error\n${frames[k]}`) : undefined;
    return user !== undefined ? `line ${user}` : `line ${s.line} of ${name}`;
  };
  const [first, ...rest] = sites;
  const also = rest.length ? ` (also: ${rest.map((s, k) => `\`${s.text}\` at ${where(s, k + 1)}`).join("; ")})` : "";
  const error = new WebgradError(
    "jit",
    `\`${first.text}\` at ${where(first, 0)} tests ${first.tensor}, a tensor traced by jit, for truthiness${also}. ` +
      "While tracing a tensor has no value, and JS counts every object as true, so this would always take the same path. " +
      "For a decision on the tensor's value use cond(pred, then, else) or whileLoop (graph ops), where(pred, a, b) to pick elementwise, " +
      `or jit(fn, { autograph: true }) / convert(fn) to turn if / while / ?: on tensors into them` +
      // Only a bare name can be an optional argument; a method call's result always exists.
      (/^[A-Za-z_$][\w$]*$/.test(first.tensor) ? `; to ask whether an optional tensor was passed, write \`${first.tensor} !== undefined\`.` : "."),
  );
  if (frames[0])
    error.stack = `${error.name}: ${error.message}\n${frames[0]}\n${(error.stack ?? "")
      .split("\n")
      .filter((l) => /^\s+at /.test(l))
      .join("\n")}`;
  return error;
}
