/**
 * Where in the user's code an op was called. The runner installs a locator that maps a stack trace
 * to the user's line; without one (Node, tests) nothing is captured and ops pay nothing.
 */

/** Maps an Error stack to a 1-based line of the user's code, or undefined. */
export type UserLineLocator = (stack: string) => number | undefined;

let locator: UserLineLocator | null = null;

/** Install (or remove, with null) the function that finds the user's line in a stack trace. */
export function setUserLineLocator(fn: UserLineLocator | null): void {
  locator = fn;
}

/** The user's line that is running now, when a locator is installed. */
export function currentUserLine(): number | undefined {
  if (locator === null) return undefined;
  const stack = new Error().stack;
  return stack ? locator(stack) : undefined;
}

/** The user's line at the top of a stack text (one the library built), when a locator is installed. */
export function userLineOfStack(stack: string): number | undefined {
  return locator === null ? undefined : locator(stack);
}
