/**
 * Whether an example's source can behave differently in Eager and Graph mode: the mode only changes
 * what `jit` functions do, and the library never calls `jit` itself, so a source that never mentions
 * `jit` (or reads or sets the mode) runs the same program in both. Shared by the unit run, which checks
 * that such an example traces no graph, and the e2e run, which then runs it once.
 */
export function usesJit(source: string): boolean {
  return /\bjit\b|\b[sg]etMode\b/.test(source);
}
