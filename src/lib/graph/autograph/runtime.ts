/**
 * The runtime of converted code (TensorFlow AutoGraph's idea): each rewritten `if`, loop, `?:`,
 * `&&` or comparison calls a helper that decides, every time it runs, whether its condition is a
 * tensor. A tensor condition becomes `cond` / `whileLoop` (graph nodes under jit); a plain JS
 * value keeps plain JS semantics, so converting a function never changes what it does eagerly.
 */
import { WebgradError } from "../../errors";
import { Tensor } from "../../tensor/tensor";
import * as F from "../../ops/functional";
import { cond } from "../control/cond";
import { whileLoop, type WhileOptions } from "../control/while";
import { scan } from "../control/scan";

/** Where a rewritten statement came from, for messages. */
interface Site {
  /** What the user wrote: "if", "while", "for", "?:". */
  kind: string;
  /** The condition's source text. */
  test: string;
  /** 1-based line within the converted function. */
  line: number;
  /** The loop / branch variables, by name. */
  names?: string[];
}

const where = (s: Site) => `\`${s.kind} (${s.test})\` at line ${s.line} of the converted function`;

/** A tensor whose value decides a branch here must be a one-element tensor. */
function asPredicate(t: Tensor, s: Site): Tensor {
  if (t.size !== 1)
    throw new WebgradError(
      "autograph",
      `the condition of ${where(s)} is a tensor of shape [${t.shape.join(", ")}]; a branch needs one element (reduce it, e.g. .sum().gt(0) or .max().gt(0))`,
    );
  return t;
}

function wrapState(s: Site, fn: (state: unknown[]) => unknown[]): (...state: unknown[]) => unknown[] {
  return (...state) => {
    const out = fn(state);
    if (!Array.isArray(out) || out.length !== state.length) throw new WebgradError("autograph", `internal: ${where(s)} returned a malformed state`);
    return out;
  };
}

/** A converted `if` statement: returns the branch variables after it. */
export function if_(test: unknown, then: (state: unknown[]) => unknown[], orElse: (state: unknown[]) => unknown[], state: unknown[], site: Site): unknown[] {
  if (!(test instanceof Tensor)) return test ? then(state) : orElse(state);
  if (state.length === 0) {
    throw new WebgradError(
      "autograph",
      `${where(site)} depends on a tensor but assigns no variable: under jit a branch can only choose values. Assign the result to a variable declared before the if`,
    );
  }
  try {
    return cond(asPredicate(test, site), wrapState(site, then), wrapState(site, orElse), ...state);
  } catch (e) {
    throw explain(e, site);
  }
}

/** A converted `if` whose paths all end in `return`: returns the function's result. */
export function ifReturn(test: unknown, then: (state: unknown[]) => unknown, orElse: (state: unknown[]) => unknown, state: unknown[], site: Site): unknown {
  if (!(test instanceof Tensor)) return test ? then(state) : orElse(state);
  try {
    return cond(
      asPredicate(test, site),
      (...s: unknown[]) => then(s),
      (...s: unknown[]) => orElse(s),
      ...state,
    );
  } catch (e) {
    throw explain(e, site);
  }
}

/** A converted `for (const x of xs)`: over a tensor, a scan along its leading axis; else JS's for…of. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the loop body is the user's converted code: its item is whatever `xs` holds
export function forOf(iterable: unknown, body: (item: any, state: unknown[]) => unknown[], state: unknown[], site: Site): unknown[] {
  if (!(iterable instanceof Tensor)) {
    for (const item of iterable as Iterable<unknown>) state = body(item, state);
    return state;
  }
  if (state.length === 0)
    throw new WebgradError("autograph", `${where(site)} loops over a tensor but assigns no variable: under jit the loop can only carry values`);
  try {
    return scan((s: unknown[], x: Tensor) => [body(x, s), null], state, iterable)[0];
  } catch (e) {
    throw explain(e, site);
  }
}

/** A converted `?:` expression. */
export function ifExp(test: unknown, then: () => unknown, orElse: () => unknown, site: Site): unknown {
  if (!(test instanceof Tensor)) return test ? then() : orElse();
  return cond(asPredicate(test, site), then, orElse);
}

/** A converted `while` (or `for`) loop: returns the loop variables after it. */
export function while_(
  test: (state: unknown[]) => unknown,
  body: (state: unknown[]) => unknown[],
  state: unknown[],
  site: Site,
  options: WhileOptions = {},
): unknown[] {
  let t = test(state);
  while (!(t instanceof Tensor)) {
    if (!t) return state;
    state = body(state);
    t = test(state);
  }
  // From the first tensor condition on, the rest of the loop is one whileLoop over the variables.
  if (state.length === 0) throw new WebgradError("autograph", `${where(site)} depends on a tensor but its body assigns no variable`);
  try {
    return whileLoop(
      (s: unknown[]) => asPredicate(test(s) as Tensor, site),
      (s: unknown[]) => body(s),
      state,
      options,
    );
  } catch (e) {
    throw explain(e, site);
  }
}

function explain(e: unknown, site: Site): unknown {
  if (e instanceof WebgradError && !e.message.includes("converted function")) {
    const vars = site.names?.length ? ` (its variables: ${site.names.join(", ")})` : "";
    e.message = `${e.message}\n  in ${where(site)}${vars}: every variable it assigns must be a tensor of one shape and dtype on every path (give variables a value before the ${site.kind})`;
  }
  return e;
}

/** `a && b`: a logical and of tensors, else JS's (short-circuit kept). */
export function and(a: unknown, b: () => unknown): unknown {
  if (a instanceof Tensor) return F.logicalAnd(a, toTensor(b()));
  return a && b();
}

/** `a || b`. */
export function or(a: unknown, b: () => unknown): unknown {
  if (a instanceof Tensor) return F.logicalOr(a, toTensor(b()));
  return a || b();
}

/** `!a`. */
export function not(a: unknown): unknown {
  return a instanceof Tensor ? F.logicalNot(a) : !a;
}

function toTensor(v: unknown): Tensor {
  return v instanceof Tensor ? v : F.scalarTensor(Boolean(v), "bool");
}

const COMPARE = { "<": F.lt, "<=": F.le, ">": F.gt, ">=": F.ge } as const;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JS's own comparison of whatever the user compares
const COMPARE_JS: Record<keyof typeof COMPARE, (a: any, b: any) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** `a < b` and friends: elementwise on tensors, else JS's. */
export function compare(op: keyof typeof COMPARE, a: unknown, b: unknown): unknown {
  if (a instanceof Tensor) return COMPARE[op](a, b as number);
  if (b instanceof Tensor) return COMPARE[op](F.scalarTensor(Number(a), b.dtype, b), b);
  return COMPARE_JS[op](a, b);
}

/**
 * The condition of a statement autograph leaves as JS (it has a `return`, `break` or `continue`
 * inside): a tensor there cannot decide, so say so clearly.
 */
export function bool(test: unknown, site: Site): boolean {
  if (test instanceof Tensor) {
    if (test._concreteValue() !== null && test.size === 1) return Boolean(test.dataSync()[0]);
    throw new WebgradError(
      "autograph",
      `${where(site)} depends on a traced tensor, but it contains a return, break or continue, which autograph does not convert: assign to variables inside it and return after it, or use cond / whileLoop`,
    );
  }
  return Boolean(test);
}
