/**
 * One bundled `.d.ts` of the library's public API (`src/lib/index.ts`), with its TSDoc.
 * Used by `npm run build:lib` (written to `dist/lib/webgrad.d.ts`) and by the app build, which
 * hands the same text to Monaco through the `virtual:webgrad-dts` module so that
 * `import { … } from "webgrad"` completes, type-checks and shows docs on hover.
 */
import { generateDtsBundle } from "dts-bundle-generator";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Plugin } from "vite";
import { restoreNamespaceDocs } from "./namespace-docs";

/** Every file under `dir`, sorted, as paths relative to it. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(dir, p));
    }
  };
  walk(dir);
  return files;
}

/** What the declarations depend on: the library's sources, tsconfig.json (and tsconfig.dts.json), this generator's own code and dts-bundle-generator's and TypeScript's versions. */
function sourceHash(root: string): string {
  const hash = createHash("sha256");
  const lib = resolve(root, "src/lib");
  for (const file of listFiles(lib)) hash.update(file).update(readFileSync(join(lib, file)));
  hash.update(readFileSync(resolve(root, "tsconfig.json")));
  for (const own of ["webgrad-dts.ts", "namespace-docs.ts", "tsconfig.dts.json"]) hash.update(readFileSync(resolve(root, "scripts/vite", own)));
  for (const pkg of ["dts-bundle-generator", "typescript"]) hash.update(readFileSync(resolve(root, `node_modules/${pkg}/package.json`)));
  return hash.digest("hex").slice(0, 16);
}

/**
 * {@link generateWebgradDts}, reused while its inputs are unchanged: `npm test`'s unit tests, the
 * library build and the app build all need the same declarations (about 30 s of one core each
 * time, two thirds of it in dts-bundle-generator's usage search). Kept in
 * `node_modules/.cache/webgrad-dts`, the newest few only; the unit tests' global setup makes it
 * first, so that no two processes generate it at once.
 */
export function cachedWebgradDts(root = process.cwd()): string {
  const cache = resolve(root, "node_modules/.cache/webgrad-dts");
  const file = join(cache, `${sourceHash(root)}.d.ts`);
  if (existsSync(file)) return readFileSync(file, "utf8");
  const text = generateWebgradDts(root);
  mkdirSync(cache, { recursive: true });
  // Several builds may run at once: each writes its own file, then renames it into place.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  const stale = readdirSync(cache)
    .filter((f) => f.endsWith(".d.ts") && join(cache, f) !== file)
    .map((f) => ({ f, t: statSync(join(cache, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(3);
  for (const { f } of stale) rmSync(join(cache, f), { force: true });
  return text;
}

/** Bundles the declarations of `src/lib/index.ts` into one self-contained `.d.ts` text, namespace members' TSDoc included (see namespace-docs.ts). */
export function generateWebgradDts(root = process.cwd()): string {
  const [text] = generateDtsBundle([{ filePath: resolve(root, "src/lib/index.ts"), output: { noBanner: true, exportReferencedTypes: false } }], {
    preferredConfigPath: resolve(root, "scripts/vite/tsconfig.dts.json"),
  });
  if (!text) throw new Error("dts-bundle-generator returned nothing for src/lib/index.ts");
  return `// webgrad public API, generated from src/lib/index.ts; do not edit.\n${restoreNamespaceDocs(text, root)}`;
}

/** A declaration file for Monaco's TypeScript: where it lives (a `file:///` URI) and its text. */
export interface EditorLib {
  path: string;
  content: string;
}

/**
 * Everything the editor needs to type-check `import … from "webgrad"`: the bundled declarations
 * as `node_modules/webgrad/index.d.ts`, plus `@webgpu/types` when the public API mentions WebGPU
 * types (`GPU`, `GPUDevice`…), which TypeScript's DOM library does not declare.
 */
export function editorLibs(dts: string, root = process.cwd()): EditorLib[] {
  const libs = [{ path: "file:///node_modules/webgrad/index.d.ts", content: dts }];
  if (/\bGPU[A-Za-z]*\b/.test(dts)) {
    const webgpu = readFileSync(resolve(root, "node_modules/@webgpu/types/dist/index.d.ts"), "utf8");
    libs.push({ path: "file:///node_modules/@webgpu/types/index.d.ts", content: webgpu });
  }
  return libs;
}

const VIRTUAL_ID = "virtual:webgrad-dts";
const RESOLVED_ID = "\0" + VIRTUAL_ID;

/**
 * Vite plugin: serves the bundled declarations as `virtual:webgrad-dts` (default export: the
 * text; `extraLibs`: everything to hand to Monaco, see {@link editorLibs}) and, when `emitFileName` is given, writes them next to the build output.
 * In dev a broken library keeps the last good declarations rather than stopping the server.
 */
export function webgradDtsPlugin(options: { emitFileName?: string } = {}): Plugin {
  let root = process.cwd();
  let cached: string | undefined;
  let lastGood = "export {};\n";
  let isBuild = false;
  const get = (): string => {
    if (cached !== undefined) return cached;
    try {
      // A build reuses the declarations of an earlier build of the same sources; dev regenerates
      // them on each library change (hotUpdate) as before.
      cached = lastGood = isBuild ? cachedWebgradDts(root) : generateWebgradDts(root);
    } catch (error) {
      if (isBuild) throw error;
      console.warn(`[webgrad-dts] keeping the last good declarations: ${String(error)}`);
      cached = lastGood;
    }
    return cached;
  };
  return {
    name: "webgrad-dts",
    configResolved(config) {
      root = config.root;
      isBuild = config.command === "build";
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const dts = get();
      return `export default ${JSON.stringify(dts)};\nexport const extraLibs = ${JSON.stringify(editorLibs(dts, root))};`;
    },
    generateBundle() {
      if (options.emitFileName) this.emitFile({ type: "asset", fileName: options.emitFileName, source: get() });
    },
    hotUpdate({ file }) {
      if (!file.includes("/src/lib/") && !file.includes("/src/schema/")) return;
      cached = undefined;
      const mod = this.environment.moduleGraph.getModuleById(RESOLVED_ID);
      if (mod) this.environment.moduleGraph.invalidateModule(mod);
    },
  };
}
