import { describe, expect, it } from "vitest";
import { rewriteLibraryImports, shimSource, stripSourceMappingComment } from "../../../src/runner/module";

describe("user module rewriting", () => {
  it("points every form of the webgrad import at the shim, keeping lines", () => {
    const js = [
      'import { plot } from "webgrad";',
      "import * as wg from 'webgrad';",
      'import "webgrad";',
      'export { tensor } from "webgrad";',
      'const m = await import("webgrad");',
      'const s = "webgrad"; // a string, not an import',
      'import { x } from "webgradient";',
    ].join("\n");
    const out = rewriteLibraryImports(js, "blob:x/1");
    expect(out.split("\n")).toEqual([
      'import { plot } from "blob:x/1";',
      'import * as wg from "blob:x/1";',
      'import "blob:x/1";',
      'export { tensor } from "blob:x/1";',
      'const m = await import("blob:x/1");',
      'const s = "webgrad"; // a string, not an import',
      'import { x } from "webgradient";',
    ]);
  });

  it("re-exports each valid library export name", () => {
    const src = shimSource(["plot", "Tensor", "var", "default", "nn", "bad-name"]);
    expect(src).toContain("export const plot = lib.plot;");
    expect(src).toContain("export const Tensor = lib.Tensor;");
    expect(src).toContain("export const nn = lib.nn;");
    expect(src).not.toContain("lib.var");
    expect(src).not.toContain("default");
    expect(src).not.toContain("bad-name");
  });

  it("drops the sourceMappingURL comment", () => {
    expect(stripSourceMappingComment("a;\n//# sourceMappingURL=main.js.map")).toBe("a;\n");
  });
});
