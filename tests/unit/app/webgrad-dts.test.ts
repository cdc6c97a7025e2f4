import { describe, expect, it } from "vitest";
import ts from "typescript";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedWebgradDts, editorLibs } from "../../../scripts/vite/webgrad-dts";

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
