import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exampleCycle, importCycles, layerViolations, runtimeImportGraph } from "../../../scripts/tools/import-cycles.mjs";

const LIB = fileURLToPath(new URL("../../../src/lib", import.meta.url));

/** A throwaway source tree: path → text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "webgrad-imports-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("src/lib's run-time imports", () => {
  it("have no cycle", () => {
    const graph = runtimeImportGraph(LIB);
    expect(graph.size).toBeGreaterThan(100);
    const cycles = importCycles(graph).map((c) => exampleCycle(graph, c).join(" → "));
    expect(cycles).toEqual([]);
  });

  it("never go from a lower layer to a higher one (tensor → backend → ops → autodiff → nn/optim/data → graph → cluster)", () => {
    const breaks = layerViolations(runtimeImportGraph(LIB)).map((v) => `${v.from}:${v.line} → ${v.to}`);
    expect(breaks).toEqual([]);
  });
});

describe("the import-cycle finder", () => {
  it("finds a cycle through run-time imports and leaves out type-only ones", () => {
    const root = tree({
      "tensor/a.ts": 'import { b } from "../ops/b";\nexport const a = () => b;\n',
      "ops/b.ts": 'import { c } from "./c";\nexport const b = 1 + c;\n',
      "ops/c.ts": 'import { a } from "../tensor/a";\nexport const c = 2;\nexport const f = () => a;\n',
      "ops/d.ts": 'import type { a } from "../tensor/a";\nimport { type c } from "./c";\nexport type { b } from "./b";\nexport type D = typeof a | typeof c;\n',
      "tensor/e.ts": 'export { a } from "./a";\nimport "./side";\n',
      "tensor/side.ts": "export {};\n",
    });
    const graph = runtimeImportGraph(root);
    expect(graph.get("ops/d.ts")).toEqual([]);
    expect(graph.get("tensor/e.ts")!.map((e) => e.to)).toEqual(["tensor/a.ts", "tensor/side.ts"]);
    const cycles = importCycles(graph);
    expect(cycles).toEqual([["ops/b.ts", "ops/c.ts", "tensor/a.ts"]]);
    expect(exampleCycle(graph, cycles[0], "tensor/a.ts")).toEqual(["tensor/a.ts", "ops/b.ts", "ops/c.ts", "tensor/a.ts"]);
    expect(layerViolations(graph)).toEqual([{ from: "tensor/a.ts", to: "ops/b.ts", line: 1 }]);
  });
});
