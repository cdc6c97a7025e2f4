/**
 * Turning the transpiled program into a module the worker can import: `"webgrad"` is a bare
 * specifier, which a Worker cannot resolve (no import maps in workers), so the runner points it
 * at a tiny shim module that re-exports the library instance the worker already loaded.
 * Pure string functions, unit-tested in Node.
 * @module
 */

/** The specifier user code imports the library by. */
export const LIBRARY_SPECIFIER = "webgrad";

/** Where the worker leaves the loaded library for the shim to pick up. */
export const LIBRARY_GLOBAL = "__webgradRunnerLibrary";

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval"
  ).split(" "),
);

/** Source of the shim module: one `export const` per export name of the library. */
export function shimSource(exportNames: readonly string[]): string {
  const names = exportNames.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !RESERVED.has(n));
  const lines = [`const lib = globalThis[${JSON.stringify(LIBRARY_GLOBAL)}];`];
  for (const n of names) lines.push(`export const ${n} = lib.${n};`);
  return lines.join("\n") + "\n";
}

/**
 * Replaces the `"webgrad"` specifier in static imports, re-exports and dynamic `import()` with
 * `url`, keeping every line where it was (so source-map lines stay valid).
 */
export function rewriteLibraryImports(js: string, url: string): string {
  const quoted = JSON.stringify(url);
  return js.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])webgrad\2/g, (_m, lead: string) => `${lead}${quoted}`);
}

/** Drops the `//# sourceMappingURL=` comment TypeScript appends (the runner maps stacks itself). */
export function stripSourceMappingComment(js: string): string {
  return js.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
}
