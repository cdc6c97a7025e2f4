/**
 * The layering rule of the codebase as an ESLint rule (`webgrad/import-boundaries`): the library
 * never imports the UI or the runner, and the UI never imports the library. The only bridges are
 * events, the shared wire schema (`src/schema/`, importable from everywhere) and the typed worker
 * protocol (`src/runner/protocol.ts`, which the app may import).
 *
 * Imports are resolved to repository paths (relative specifiers against the importing file, the
 * `webgrad` alias to `src/lib`), so a folder that happens to be called `lib` elsewhere is not
 * caught, and `../../lib` written any way is.
 * @module
 */
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Who may not import what. `typeOnly` lists files the importer may still `import type` from:
 * the app reads the event types of `src/lib/events.ts` (the wire format the runner forwards)
 * until they move to `src/schema/`; a type-only import is erased, so no library code reaches
 * the app bundle.
 */
const zones = [
  { from: "src/lib/", disallow: ["src/app/", "src/runner/"], typeOnly: [] },
  { from: "src/app/", disallow: ["src/lib/"], typeOnly: ["src/lib/events.ts", "src/lib/events"] },
];

/** The repository path (forward slashes) an import specifier points at, or undefined for a package. */
function target(specifier, file) {
  if (specifier === "webgrad" || specifier.startsWith("webgrad/")) return "src/lib/" + specifier.slice("webgrad/".length);
  if (!specifier.startsWith(".")) return undefined;
  return relative(root, resolve(dirname(file), specifier))
    .split("\\")
    .join("/");
}

/** @type {import("eslint").Rule.RuleModule} */
const importBoundaries = {
  meta: {
    type: "problem",
    docs: { description: "Keep src/lib, src/app and src/runner apart (see scripts/eslint-boundaries.mjs)." },
    schema: [],
    messages: {
      crossing: "{{from}} must not import {{to}} ({{why}}).",
    },
  },
  create(context) {
    const file = relative(root, context.filename).split("\\").join("/");
    const zone = zones.find((z) => file.startsWith(z.from));
    if (!zone) return {};
    /** Checks one import of `source` (a string literal node); `typeOnly` when it is erased. */
    const check = (node, source, typeOnly) => {
      if (!source || typeof source.value !== "string") return;
      const to = target(source.value, context.filename);
      if (!to || to.startsWith("src/schema/")) return;
      const hit = zone.disallow.find((d) => to.startsWith(d) || to + "/" === d);
      if (!hit) return;
      if (typeOnly && zone.typeOnly.includes(to)) return;
      const why =
        zone.from === "src/lib/"
          ? "the library never imports the UI or the runner"
          : "panels reach the library only through events, the wire schema and the worker protocol";
      context.report({ node, messageId: "crossing", data: { from: zone.from, to: source.value, why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source, node.importKind === "type"),
      ExportNamedDeclaration: (node) => check(node, node.source, node.exportKind === "type"),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === "type"),
      ImportExpression: (node) => check(node, node.source.type === "Literal" ? node.source : undefined, false),
      // `typeof import("../lib/x")` in a type: erased like `import type`.
      // (`source` since typescript-eslint 8.x; `argument.literal` before.)
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal, true),
    };
  },
};

/** The local plugin: `plugins: { webgrad: boundariesPlugin }`, rule `webgrad/import-boundaries`. */
export const boundariesPlugin = { meta: { name: "webgrad-boundaries" }, rules: { "import-boundaries": importBoundaries } };
