/**
 * Help → PyTorch → webgrad says what to write: every line of its webgrad column must type-check
 * against the library's declarations exactly as the editor checks the learner's code, and every
 * note must be in the catalogue (both languages).
 */
import { describe, expect, it } from "vitest";
import ts from "typescript";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedWebgradDts, editorLibs } from "../../../scripts/vite/webgrad-dts";
import { cheatRows } from "../../../src/app/components/help/cheatsheet";
import { lookup } from "../../../src/app/i18n/catalogue";

/** The webgrad column as one program: the import line first, each other row in its own block. */
function program(): string {
  const [first, ...rest] = cheatRows;
  return [
    first!.webgrad.replace(" } from", ", zeros, noGrad, manualSeed, jit, grad, type Tensor } from"),
    "declare const x: Tensor, w: Tensor, b: Tensor, loss: Tensor, logits: Tensor, y: Tensor, model: nn.Module;",
    "declare const opt: ReturnType<typeof optim.adam>;",
    "declare const f: (x: Tensor) => Tensor;",
    // A row's "…" is the learner's code: here a body that type-checks.
    ...rest.map((row) => `{\n${row.webgrad.replaceAll("…", "return x;")}\n}`),
  ].join("\n");
}

describe("the PyTorch → webgrad cheat sheet", () => {
  // Outside the tests' timeout: on a cache miss the declarations take a minute to generate.
  const dts = cachedWebgradDts();

  it("has a note in English and Chinese for every row", () => {
    for (const row of cheatRows) {
      const note = lookup(row.note);
      expect(note?.en, row.note).toBeTruthy();
      expect(note?.zh, row.note).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("writes webgrad code that type-checks against the library's declarations", () => {
    const dir = mkdtempSync(join(tmpdir(), "webgrad-cheatsheet-"));
    try {
      const libs = editorLibs(dts);
      for (const lib of libs) {
        const file = join(dir, lib.path.replace("file:///", ""));
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileSync(file, lib.content);
      }
      const main = join(dir, "main.ts");
      writeFileSync(main, program());
      const globals = libs.filter((l) => !l.path.includes("/webgrad/")).map((l) => join(dir, l.path.replace("file:///", "")));
      const checked = ts.createProgram([main, ...globals], {
        target: ts.ScriptTarget.ESNext,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        moduleDetection: ts.ModuleDetectionKind.Force,
        strict: true,
        noEmit: true,
        types: [],
        lib: ["lib.esnext.d.ts", "lib.dom.d.ts"],
      });
      const errors = ts.getPreEmitDiagnostics(checked).map((d) => {
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
        return `${program().split("\n")[line]}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      });
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
