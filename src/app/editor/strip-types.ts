/**
 * The fast way from the user's TypeScript to JavaScript for Run: sucrase strips the types on the
 * main thread in milliseconds, with no type checker and no lib files. The TypeScript worker's
 * emit needs its whole program first (every lib .d.ts parsed and the file checked): 3–12 s on a
 * 2-core machine before the first Run of a page could start, and it queues behind the editor's
 * own diagnostics. sucrase keeps every line where it was and gives a token-level source map.
 *
 * What sucrase cannot take (a syntax error, a construct it does not support) goes to the
 * TypeScript worker, whose messages name the problem as the editor's squiggles do. sucrase's
 * parser lets some invalid programs through (`class { }` as a statement), so its output must also
 * parse as a JavaScript module (acorn) before it runs; if not, the worker reports the error.
 * @module
 */
import type { TranspileResult } from "./types";

interface Stripper {
  transform: typeof import("sucrase").transform;
  parse: typeof import("acorn").parse;
}
let stripper: Promise<Stripper> | undefined;

/** Starts loading the stripper (its own chunk) so the first Run does not wait for it. */
export function preloadTypeStripper(): void {
  stripper ??= Promise.all([import("sucrase"), import("acorn")]).then(([s, a]) => ({ transform: s.transform, parse: a.parse }));
}

/**
 * `code` with its types stripped, and the `mappings` back to it; undefined when sucrase cannot
 * take it (then the TypeScript worker decides, with its own diagnostics).
 */
export async function stripTypes(code: string): Promise<Extract<TranspileResult, { ok: true }> | undefined> {
  preloadTypeStripper();
  let tools: Stripper;
  try {
    tools = await stripper!;
  } catch {
    stripper = undefined; // the chunk did not load: the worker path still works, and the next Run retries
    return undefined;
  }
  try {
    const out = tools.transform(code, {
      transforms: ["typescript"],
      // Modern JavaScript stays as written (class fields, optional chaining…): the runner is a
      // current browser. Types, `enum`s, parameter properties and type-only imports are removed.
      disableESTransforms: true,
      filePath: "main.ts",
      sourceMapOptions: { compiledFilename: "main.js" },
    });
    tools.parse(out.code, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true });
    return { ok: true, js: out.code, mappings: out.sourceMap?.mappings ?? "" };
  } catch {
    return undefined;
  }
}
