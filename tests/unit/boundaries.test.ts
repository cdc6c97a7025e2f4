/**
 * The module boundaries, read from the source's imports (type-only ones included): the library
 * never imports the UI or the runner, the app never imports the library (the wire schema in
 * src/schema and the runner's typed protocol are the bridges), and the schema imports nothing
 * outside itself. Also checked transitively: following the app's code imports (not `?url`, `?raw`
 * or worker URLs, which load no code into the page) never reaches src/lib.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const src = join(root, "src");

/** One import of one file: the specifier as written, and what it names. */
interface Import {
  file: string;
  specifier: string;
  /** The file or folder under the repository it resolves to (posix), or null for a package / virtual module. */
  target: string | null;
  /** False for imports that load no code (`?raw`, `?url`, `?worker&url`, raw globs). */
  code: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(d.name) ? [path] : [];
  });
}

const posix = (p: string) => p.split(sep).join("/");

/** The script of a file (a .svelte file's <script> blocks). */
function script(file: string): string {
  const text = readFileSync(file, "utf8");
  if (!file.endsWith(".svelte")) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("\n");
}

const NO_CODE = /[?&](raw|url)\b/;

function resolveSpecifier(file: string, specifier: string): string | null {
  const path = specifier.split("?")[0];
  if (path === "webgrad") return "src/lib/index.ts"; // the alias of tsconfig paths and vite
  if (!path.startsWith(".")) return null;
  return posix(relative(root, resolve(dirname(file), path)));
}

function importsOf(file: string, text = script(file)): Import[] {
  const found = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  const out: Import[] = found.map((specifier) => ({ file, specifier, target: resolveSpecifier(file, specifier), code: !NO_CODE.test(specifier) }));
  // import.meta.glob("../examples/*.ts", { query: "?raw" }) imports every match (an array of patterns: its first one counts).
  for (const m of text.matchAll(/import\.meta\.glob(?:<[^>]*>)?\(\s*\[?\s*["'`]([^"'`]+)["'`]([^)]*)\)/g)) {
    out.push({ file, specifier: m[1], target: resolveSpecifier(file, m[1]), code: !/query:\s*["'`]\?(raw|url)/.test(m[2]) });
  }
  return out;
}

const files = sourceFiles(src);
const imports = files.flatMap((f) => importsOf(f));
const area = (path: string) => /^src\/([^/]+)/.exec(path)?.[1] ?? "";
const from = (a: string) => imports.filter((i) => area(posix(relative(root, i.file))) === a);
const show = (list: Import[]) => list.map((i) => `${posix(relative(root, i.file))}: "${i.specifier}"`);

describe("module boundaries", () => {
  it("finds the imports it checks", () => {
    // A scanner that found nothing would pass every rule below.
    expect(from("lib").length).toBeGreaterThan(500);
    expect(from("app").length).toBeGreaterThan(100);
    expect(from("app").some((i) => i.target?.startsWith("src/schema/"))).toBe(true);
    expect(from("lib").some((i) => i.target?.startsWith("src/schema/"))).toBe(true);
  });

  it("sees every form of import, type-only and dynamic ones included, and not those in comments", () => {
    const file = join(src, "app/panels/Fake.ts");
    const text = [
      `import type { TapeEvent } from "../../lib/events";`,
      `export * from "../../lib/tensor";`,
      `type T = import("../../lib/ops").Op;`,
      `const m = await import("webgrad");`,
      `// import { jit } from "../../lib/graph/jit";`,
      `import schema from "../../schema/events";`,
      `import text from "../../lib/index.ts?raw";`,
    ].join("\n");
    const found = importsOf(file, text).map((i) => [i.target, i.code]);
    expect(found).toEqual([
      ["src/lib/events", true],
      ["src/lib/tensor", true],
      ["src/lib/ops", true],
      ["src/lib/index.ts", true],
      ["src/schema/events", true],
      ["src/lib/index.ts", false],
    ]);
  });

  it("src/lib imports neither the app, the runner nor the examples", () => {
    const bad = from("lib").filter((i) => ["app", "runner", "examples"].includes(area(i.target ?? "")));
    expect(show(bad)).toEqual([]);
  });

  it("src/app imports nothing from src/lib (src/schema and src/runner's protocol are the bridges)", () => {
    const bad = from("app").filter((i) => area(i.target ?? "") === "lib");
    expect(show(bad)).toEqual([]);
  });

  it("src/schema imports only src/schema", () => {
    const bad = from("schema").filter((i) => i.target === null || area(i.target) !== "schema");
    expect(show(bad)).toEqual([]);
  });

  it("the app's code imports never reach src/lib, however indirectly", () => {
    const byFile = new Map<string, Import[]>();
    for (const i of imports) {
      const key = posix(relative(root, i.file));
      byFile.set(key, [...(byFile.get(key) ?? []), i]);
    }
    // A specifier names a file with or without its extension, or a folder's index.
    const known = new Set(byFile.keys());
    const fileOf = (target: string) => [target, `${target}.ts`, `${target}/index.ts`].find((t) => known.has(t)) ?? null;
    const start = [...known].filter((f) => area(f) === "app");
    const via = new Map<string, string>(start.map((f) => [f, ""]));
    const queue = [...start];
    const reached: string[] = [];
    while (queue.length) {
      const f = queue.shift()!;
      for (const i of byFile.get(f) ?? []) {
        if (!i.code || i.target === null) continue;
        if (area(i.target) === "lib") reached.push(`${[...chain(f, via), f].join(" → ")} → "${i.specifier}"`);
        const next = fileOf(i.target);
        if (next && !via.has(next)) {
          via.set(next, f);
          queue.push(next);
        }
      }
    }
    expect(reached).toEqual([]);
    // The runner's protocol is reached (the bridge is followed), its worker is not (a URL).
    expect(via.has("src/runner/protocol.ts")).toBe(true);
    expect(via.has("src/runner/worker.ts")).toBe(false);
  });
});

/** How the walk got to `file` from an app file. */
function chain(file: string, via: Map<string, string>): string[] {
  const out: string[] = [];
  for (let f = via.get(file); f; f = via.get(f)) out.unshift(f);
  return out;
}
