/**
 * The module scope ops are recorded in: a stack of names, one per `nn.Module` whose `forward` is
 * running (its field name in the module that called it: `blocks`, `0`, `attn`), or a step such as
 * an optimizer's. The tracer stamps each graph node with it, so the Graph panel can fold a
 * 1 000-node model into one box per module; the tape stamps its nodes too, and the backward
 * engine runs a node's gradient in the scope its forward ran in.
 *
 * Wrappers that enter a scope around a user's method keep the method's source reachable through
 * {@link sourceOf}, for jit's readers of a function's source (truthiness guard, autograph).
 */

let stack: string[] = [];
let snapshot: readonly string[] | undefined;

/** The scope running now (outermost first), or undefined at the top level. One frozen array per scope change. */
export function currentScope(): readonly string[] | undefined {
  if (stack.length === 0) return undefined;
  return (snapshot ??= Object.freeze([...stack]));
}

/** `{ scope }` for a record made now, or nothing at the top level (records stay small outside modules). */
export function scopeField(): { scope?: readonly string[] } {
  const scope = currentScope();
  return scope ? { scope } : {};
}

/** Enter a named scope (pair with {@link exitScope}, in a finally). */
export function enterScope(name: string): void {
  stack.push(name);
  snapshot = undefined;
}

/** Leave the scope entered last. */
export function exitScope(): void {
  stack.pop();
  snapshot = undefined;
}

/** Run `fn` in `scope` as a whole (the backward engine: a node's gradient runs where its forward ran). */
export function withScope<T>(scope: readonly string[] | undefined, fn: () => T): T {
  const prev = stack;
  stack = scope ? [...scope] : [];
  snapshot = undefined;
  try {
    return fn();
  } finally {
    stack = prev;
    snapshot = undefined;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any function's source
const originals = new WeakMap<Function, Function>();

/** Record that `wrapper` stands for `original` (a method wrapped to enter a scope). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any function
export function markScopeWrapper(wrapper: Function, original: Function): void {
  originals.set(wrapper, original);
}

/** The source text of `fn`, or of the method it wraps when it is a scope wrapper. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any function
export function sourceOf(fn: Function): string {
  return Function.prototype.toString.call(originals.get(fn) ?? fn);
}
