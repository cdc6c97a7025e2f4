/** The layering rule (`webgrad/import-boundaries`, scripts/eslint-boundaries.mjs) on small sources. */
import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import { fileURLToPath } from "node:url";
import ts from "typescript-eslint";
import svelteParser from "svelte-eslint-parser";
import { boundariesPlugin } from "../../../scripts/eslint-boundaries.mjs";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const linter = new Linter({ configType: "flat", cwd: root });
const config: Linter.Config[] = [
  { files: ["**/*.ts"], languageOptions: { parser: ts.parser } },
  { files: ["**/*.svelte"], languageOptions: { parser: svelteParser, parserOptions: { parser: ts.parser } } },
  { files: ["**/*.ts", "**/*.svelte"], plugins: { webgrad: boundariesPlugin }, rules: { "webgrad/import-boundaries": "error" } },
];

/** The rule's messages for `code` as if it were the repository file `path`. */
const crossings = (path: string, code: string): string[] =>
  linter.verify(code, config, { filename: root + path }).map((m) => (m.ruleId === "webgrad/import-boundaries" ? m.message : `${m.ruleId}: ${m.message}`));

describe("import boundaries", () => {
  it("the library may not import the app or the runner, however the path is written", () => {
    expect(crossings("src/lib/ops/x.ts", `import { a } from "../../app/state/app.svelte";`)).toEqual([
      "src/lib/ must not import ../../app/state/app.svelte (the library never imports the UI or the runner).",
    ]);
    expect(crossings("src/lib/x.ts", `export * from "../runner/protocol";`)).toHaveLength(1);
    expect(crossings("src/lib/x.ts", `import type { RunMode } from "./../runner/protocol";`)).toHaveLength(1);
    expect(crossings("src/lib/x.ts", `const m = await import("../app/main");`)).toHaveLength(1);
    expect(crossings("src/lib/x.ts", `let t: typeof import("../runner/protocol");`)).toHaveLength(1);
  });

  it("the app may not import the library, through a path or the webgrad alias", () => {
    expect(crossings("src/app/state/x.ts", `import { tensor } from "../../lib/tensor/creation";`)).toHaveLength(1);
    expect(crossings("src/app/x.ts", `import { tensor } from "webgrad";`)).toHaveLength(1);
    // Values from the events module would bring library code into the app bundle.
    expect(crossings("src/app/x.ts", `import { emit } from "../lib/events";`)).toHaveLength(1);
    // Only `import type` is erased; `import { type X }` keeps the module (verbatimModuleSyntax).
    expect(crossings("src/app/x.ts", `import { type KernelEvent } from "../lib/events";`)).toHaveLength(1);
    expect(crossings("src/app/x.ts", `import type { Tensor } from "../lib/tensor/tensor";`)).toHaveLength(1);
  });

  it("allows the bridges: event types, the shared schema, the worker protocol, packages", () => {
    expect(crossings("src/app/state/x.ts", `import type { KernelEvent } from "../../lib/events";`)).toEqual([]);
    expect(crossings("src/app/x.ts", `import type { A } from "../schema/wire"; import { B } from "../schema/wire";`)).toEqual([]);
    expect(crossings("src/lib/x.ts", `import { B } from "../schema/wire";`)).toEqual([]);
    expect(crossings("src/app/x.ts", `import { RunnerClient } from "../runner/client";`)).toEqual([]);
    expect(crossings("src/app/x.ts", `import { parse } from "acorn"; import d from "virtual:webgrad-dts";`)).toEqual([]);
    // Outside src/lib and src/app (the runner, tests) nothing is restricted.
    expect(crossings("src/runner/x.ts", `import { tensor } from "webgrad"; import type { WebgradEvent } from "../lib/events";`)).toEqual([]);
    expect(crossings("tests/unit/x.ts", `import { a } from "../../src/app/state/app.svelte"; import { b } from "../../src/lib/index";`)).toEqual([]);
  });

  it("reads the script of a Svelte component", () => {
    const component = (imports: string) => `<script lang="ts">\n  ${imports}\n</script>\n<p>hi</p>\n`;
    expect(crossings("src/app/panels/P.svelte", component(`import type { TapeNodeInfo } from "../../lib/events";`))).toEqual([]);
    expect(crossings("src/app/panels/P.svelte", component(`import { Tensor } from "../../lib/tensor/tensor";`))).toHaveLength(1);
  });
});
