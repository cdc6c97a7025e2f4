import { describe, expect, it } from "vitest";
import ts from "typescript";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedWebgradDts, editorLibs } from "../../../scripts/vite/webgrad-dts";
import { bundlePaths } from "../../../scripts/vite/namespace-docs";

/** A language service over the bundle and one user file, as Monaco's TS worker runs it. */
function service(dts: string, code: string): ts.LanguageService {
  const files = new Map([
    ["/node_modules/webgrad/index.d.ts", dts],
    ["/main.ts", code],
  ]);
  return ts.createLanguageService({
    getCompilationSettings: () => ({
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      noLib: true,
      types: [],
    }),
    getScriptFileNames: () => ["/main.ts"],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => (files.has(name) ? ts.ScriptSnapshot.fromString(files.get(name) ?? "") : undefined),
    getCurrentDirectory: () => "/",
    getDefaultLibFileName: () => "lib.d.ts",
    fileExists: (name) => files.has(name),
    readFile: (name) => files.get(name),
  });
}

/** What the editor's hover shows at the end of `expression` in `code`: a TypeScript language service over the bundle, as Monaco's TS worker runs it. */
function hoverDocs(dts: string, code: string, expressions: string[]): Record<string, string> {
  const ls = service(dts, code);
  const out: Record<string, string> = {};
  for (const expression of expressions) {
    const at = code.indexOf(expression) + expression.length - 1;
    const info = ls.getQuickInfoAtPosition("/main.ts", at);
    out[expression] = ts.displayPartsToString(info?.documentation);
  }
  return out;
}

describe("bundled library declarations for Monaco", () => {
  // What the builds use: generated for these sources (a clean clone generates it here), then
  // reused by the library and app builds of the same `npm test`.
  const dts = cachedWebgradDts();

  it("is one self-contained .d.ts with the public API and its TSDoc", () => {
    expect(dts).toMatch(/export declare function plot\(/);
    expect(dts).toContain("Add a point to a live line chart");
    expect(dts).toMatch(/export declare function onEvent\(/);
    // Self-contained: no imports of the library's internal files.
    expect(dts).not.toMatch(/from "\.\.?\//);
    expect(dts).not.toMatch(/import\("\.\.?\//);
  });

  it("documents namespace members on hover (nn.crossEntropy, optim.adam, data.spirals…), not only top-level exports", () => {
    const code = [
      'import { nn, optim, data } from "webgrad";',
      "const d = data.spirals();",
      "const l = nn.crossEntropy;",
      "const f = nn.functional.mse;",
      "const o = optim.adam;",
      "const m = new nn.Linear(2, 2);",
    ].join("\n");
    const docs = hoverDocs(dts, code, ["data.spirals", "nn.crossEntropy", "nn.functional.mse", "optim.adam", "nn.Linear"]);
    // Each is the first words of the TSDoc in its source file.
    expect(docs["data.spirals"]).toMatch(/interleaved spiral arms/);
    expect(docs["nn.crossEntropy"]).toMatch(/^Cross entropy between logits and targets/);
    expect(docs["nn.functional.mse"]).not.toBe("");
    expect(docs["optim.adam"]).toMatch(/^Adam/);
    expect(docs["nn.Linear"]).toMatch(/^Fully connected layer/);
  });

  it("completes no @internal member (`_grad`, `_view`…) on a tensor or a module", () => {
    const code = ['import { zeros, nn } from "webgrad";', "const t = zeros([2]);", "t.", "const m = new nn.Linear(2, 2);", "m."].join("\n");
    const names = (marker: string): string[] => {
      const at = code.indexOf(marker) + marker.length;
      return (service(dts, code).getCompletionsAtPosition("/main.ts", at, {})?.entries ?? []).map((e) => e.name);
    };
    const onTensor = names("t.");
    const onModule = names("m.");
    // The public members are there…
    expect(onTensor).toEqual(expect.arrayContaining(["grad", "item", "backward", "shape"]));
    expect(onModule).toEqual(expect.arrayContaining(["forward", "parameters"]));
    // …and nothing named like an internal.
    expect(onTensor.filter((n) => n.startsWith("_"))).toEqual([]);
    expect(onModule.filter((n) => n.startsWith("_"))).toEqual([]);
  });

  it("maps namespace paths to the bundle's statements, renamed and nested ones too", () => {
    const bundle = [
      "declare function a(): void;",
      "declare function oneHot$1(): void;",
      "declare namespace inner { export { a, oneHot$1 as oneHot }; }",
      "declare namespace outer { export { inner, a as alias }; }",
      "export { outer as top };",
    ].join("\n");
    expect(Object.fromEntries(bundlePaths(bundle))).toEqual({ a: ["top.inner.a", "top.alias"], oneHot$1: ["top.inner.oneHot"] });
  });

  it("type-checks user code the way the editor does (no Node or WebGPU types needed)", () => {
    const dir = mkdtempSync(join(tmpdir(), "webgrad-dts-"));
    try {
      // Exactly the files Monaco gets (webgrad's declarations, and WebGPU's if the API needs them).
      const libs = editorLibs(dts);
      for (const lib of libs) {
        const file = join(dir, lib.path.replace("file:///", ""));
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileSync(file, lib.content);
      }
      const main = join(dir, "main.ts");
      writeFileSync(
        main,
        ['import { plot } from "webgrad";', 'plot("loss", 1, 2);', 'const wrong: number = "not a number";', "await Promise.resolve(wrong);"].join("\n"),
      );
      const globals = libs.filter((l) => !l.path.includes("/webgrad/")).map((l) => join(dir, l.path.replace("file:///", "")));
      const program = ts.createProgram([main, ...globals], {
        target: ts.ScriptTarget.ESNext,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        moduleDetection: ts.ModuleDetectionKind.Force,
        strict: true,
        noEmit: true,
        types: [],
        lib: ["lib.esnext.d.ts", "lib.dom.d.ts"],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file?.fileName.replace(dir, "")}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      // Exactly the one deliberate error, in the user's file: the declarations themselves are clean.
      expect(diagnostics).toEqual([expect.stringMatching(/^\/main\.ts: Type 'string' is not assignable to type 'number'/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
