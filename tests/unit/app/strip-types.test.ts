/**
 * Run's fast type stripping (src/app/editor/strip-types.ts): every example comes out as
 * JavaScript with each line where it was and a source map that says so; TypeScript-only
 * constructs mean what TypeScript's own emit makes them mean; what sucrase cannot take is left
 * to the TypeScript worker (undefined), never run half-stripped.
 */
import { describe, expect, it } from "vitest";
import { parse } from "acorn";
import ts from "typescript";
import { stripTypes } from "../../../src/app/editor/strip-types";
import { decodeMappings, originalPosition } from "../../../src/runner/sourcemap";

const sources = import.meta.glob<string>(["../../../src/examples/*.ts", "!../../../src/examples/*.lesson.ts", "!../../../src/examples/*.exercises.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("every example is stripped to JavaScript that keeps its lines", () => {
  for (const [path, code] of Object.entries(sources)) {
    it(path.replace(/^.*\//, ""), async () => {
      const out = await stripTypes(code);
      expect(out, "sucrase takes it").toBeDefined();
      const js = out!.js;
      expect(() => parse(js, { ecmaVersion: "latest", sourceType: "module" })).not.toThrow();
      const jsLines = js.split("\n");
      expect(jsLines.length).toBe(code.split("\n").length);
      // Each generated line maps back to the same line of the user's code.
      const decoded = decodeMappings(out!.mappings);
      jsLines.forEach((line, i) => {
        if (!line.trim()) return;
        expect(originalPosition(decoded, i + 1, line.search(/\S/) + 1)?.line, `line ${i + 1}`).toBe(i + 1);
      });
      // Library imports stay (the runner points them at the loaded library).
      if (/from "webgrad"/.test(code)) expect(js).toMatch(/from ["']webgrad["']/);
    });
  }
});

/** Runs a self-contained program (no imports) and returns what it logged. */
async function run(js: string): Promise<string[]> {
  const logs: string[] = [];
  const body = js.replace(/^export \{\};?$/m, "");
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (log: (v: unknown) => void) => Promise<void>;
  await new AsyncFunction("log", body)((v) => logs.push(JSON.stringify(v)));
  return logs;
}

function typescriptEmit(code: string): string {
  return ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext } }).outputText;
}

describe("TypeScript-only constructs mean what TypeScript's emit makes them mean", () => {
  const programs: Record<string, string> = {
    "annotations, as, satisfies and !": "const a: number[] = [1, 2] as number[];\nconst b = (a satisfies number[])[0]!;\nlog(a.length + b);",
    enums: "enum Colour { Red, Green = 5, Blue }\nlog([Colour.Red, Colour.Green, Colour.Blue, Colour[6]]);",
    "string enums": 'enum Mode { Eager = "eager", Graph = "graph" }\nlog(Object.values(Mode));',
    "parameter properties": "class P { constructor(public x: number, private y = 2) {}\n  sum() { return this.x + this.y; } }\nlog(new P(1).sum());",
    "class fields with and without initializers":
      "class V { data: number; grad = 0; constructor(d: number) { this.data = d; } }\nconst v = new V(3);\nlog([v.data, v.grad, Object.keys(v)]);",
    "generics, interfaces and type aliases":
      "interface Box<T> { v: T }\ntype N = number;\nfunction first<T>(xs: T[]): Box<T> { return { v: xs[0]! }; }\nconst n: N = first<N>([7]).v;\nlog(n);",
    "optional chaining and nullish coalescing stay": "const o: { a?: { b?: number } } = {};\nlog(o.a?.b ?? 4);",
    "abstract classes and overloads":
      "abstract class S { abstract f(): number; g() { return this.f() * 2; } }\nclass T extends S { f() { return 21; } }\nfunction h(x: number): number;\nfunction h(x: string): string;\nfunction h(x: unknown) { return x; }\nlog([new T().g(), h(1)]);",
    "top-level await": "const x = await Promise.resolve(5);\nlog(x);",
  };
  for (const [name, code] of Object.entries(programs)) {
    it(name, async () => {
      const out = await stripTypes(code);
      expect(out).toBeDefined();
      expect(await run(out!.js)).toEqual(await run(typescriptEmit(code)));
    });
  }
});

describe("what sucrase cannot take goes to the TypeScript worker", () => {
  for (const code of ["const x = ;", "log(1", "class { }", "let let = 1;", "const a = 1;\nconst a = 2;", "return 1;"]) {
    it(JSON.stringify(code), async () => {
      expect(await stripTypes(code)).toBeUndefined();
    });
  }
});
