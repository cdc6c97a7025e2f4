/**
 * `convert(fn)`: recompile a function from its source with its control flow rewritten by
 * autograph. A recompiled function is cut from its closure (JS cannot reach it), so names it
 * reads from its enclosing scope must be passed in `scope`; webgrad's functions are in scope.
 */
import { WebgradError } from "../../errors";
import { sourceOf } from "../../debug/scope";
import * as F from "../../ops/functional";
import * as creation from "../../ops/creation";
import * as transforms from "../../autodiff/transforms";
import { noGrad, enableGrad } from "../../ops/gradmode";
import { Tensor } from "../../tensor/tensor";
import { cond } from "../control/cond";
import { whileLoop } from "../control/while";
import { scan } from "../control/scan";
import { fori } from "../control/fori";
import * as nn from "../../nn";
import * as optim from "../../optim";
import * as data from "../../data";
import * as runtime from "./runtime";
import { convertSource } from "./transform";

/** Options of {@link convert}. */
export interface ConvertOptions {
  /** Names the function reads from its enclosing scope (a recompiled function cannot see its closure). */
  scope?: Record<string, unknown>;
  /**
   * The bound of every converted tensor `while` / `for` loop (whileLoop's `maxIterations`): reverse
   * mode through them needs it, and so does the WebGPU backend, which cannot read a condition back
   * in the middle of a compiled graph.
   */
  maxIterations?: number;
}

/** A converted function: call it like the original; `code` is the rewritten source. */
export interface ConvertedFunction<Args extends unknown[], R> {
  (...args: Args): R;
  /** The rewritten source. */
  readonly code: string;
  /** The function it was converted from. */
  readonly original: (...args: Args) => R;
}

/** What converted code sees without being told: webgrad's functions and namespaces (by their exported names). */
const BUILTIN_SCOPE: Record<string, unknown> = { ...F, ...creation, ...transforms, noGrad, enableGrad, Tensor, cond, whileLoop, scan, fori, nn, optim, data };

/**
 * Rewrite `fn`'s `if` / `while` / `for` statements, `?:`, `&&`, `||`, `!` and comparisons so
 * that tensor conditions become `cond` / `whileLoop` (graph nodes under jit) while plain JS values
 * keep plain JS semantics (TensorFlow AutoGraph's approach). `return`, `break` and `continue`
 * inside a tensor-dependent statement are refused with a clear error. `.code` shows the result.
 * @example const f = convert((x: Tensor) => { let y = x; if (x.sum() > 0) y = x.mul(2); return y; }); console.log(f.code);
 */
export function convert<Args extends unknown[], R>(fn: (...args: Args) => R, options: ConvertOptions = {}): ConvertedFunction<Args, R> {
  if (typeof fn !== "function") throw new WebgradError("convert", "expects a function");
  if ((fn as Partial<ConvertedFunction<Args, R>>).code !== undefined) return fn as ConvertedFunction<Args, R>;
  const source = sourceOf(fn);
  if (/\{\s*\[native code\]\s*\}$/.test(source)) throw new WebgradError("convert", "cannot convert a native or bound function: pass the function itself");
  const { code, freeNames } = convertSource(source);
  const scope = { ...BUILTIN_SCOPE, ...(options.scope ?? {}) };
  const missing = freeNames.filter((n) => !(n in scope) && !(n in globalThis) && n !== "__ag");
  if (missing.length) {
    throw new WebgradError(
      "convert",
      `${fn.name || "the function"} reads ${missing.join(", ")} from its enclosing scope, which a converted function cannot see (it is recompiled from source): pass ${missing.length > 1 ? "them" : "it"} as { scope: { ${missing.join(", ")} } }`,
    );
  }
  // `with` resolves the scope's names first and everything else as globals; Function bodies are
  // sloppy-mode code, where `with` is allowed.
  const make = new Function("__ag", "__scope", `with (__scope) { return (${code}); }`) as (ag: unknown, scope: unknown) => (...args: Args) => R;
  const bound = options.maxIterations;
  const ag =
    bound === undefined
      ? runtime
      : { ...runtime, while_: (...a: Parameters<typeof runtime.while_>) => runtime.while_(a[0], a[1], a[2], a[3], { maxIterations: bound }) };
  const compiled = make(ag, scope);
  const converted = ((...args: Args) => compiled(...args)) as ConvertedFunction<Args, R>;
  Object.defineProperty(converted, "code", { value: code });
  Object.defineProperty(converted, "original", { value: fn });
  Object.defineProperty(converted, "name", { value: fn.name });
  return converted;
}
