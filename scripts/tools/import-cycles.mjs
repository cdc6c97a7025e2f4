#!/usr/bin/env node
/**
 * The run-time import graph of src/lib: which module imports which, not counting imports that
 * TypeScript erases (`import type`, `export type`, and `import { type A }` lists that name types
 * only). Finds the cycles in it (strongly connected components) and the imports that go down the
 * library's layer order (see LAYERS) the wrong way.
 * tests/unit/scripts/import-cycles.test.ts holds both at zero.
 *
 *   node scripts/tools/import-cycles.mjs [root]   (root defaults to src/lib)
 *
 * Dynamic `import()` is left out: it runs after every module has been evaluated, so it cannot
 * make an evaluation-order cycle.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, dirname, resolve, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/**
 * The library's layers, bottom up; a module may import its own layer and those below it only.
 * A module's layer is its first folder under src/lib (a top-level file is named by its base name);
 * modules of no listed layer (draw, plot, steps, index) sit on top.
 * - The backends sit under the ops: a kernel knows dtypes, shapes and views, never an op's
 *   definition; the op dispatcher picks the backend and calls its kernel.
 * - Reverse mode sits over the ops: it installs its tape recorder into the dispatcher
 *   (ops/dispatch.ts `tapeRecorder`), and the Tensor class reaches the ops and `backward` through
 *   tensor/installed-ops.ts, which the layers above fill in when they load.
 * - nn, optim and data are built from ops and autodiff; graph (jit, autograph) and the cluster
 *   strategies use them.
 */
export const LAYERS = [
  ["errors", "events", "debug", "op-table"],
  ["tensor"],
  ["backend"],
  ["ops"],
  ["autodiff"],
  ["nn", "optim", "data"],
  ["graph"],
  ["cluster"],
];

/** Every .ts file under `root`, as paths relative to it with forward slashes. */
function listModules(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(relative(root, full).split(sep).join("/"));
    }
  };
  walk(root);
  return out;
}

/** True for an import or export that TypeScript erases. */
function typeOnly(node) {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false; // `import "./x"` runs x
    if (clause.isTypeOnly) return true;
    if (clause.name) return false;
    const bindings = clause.namedBindings;
    if (!bindings || ts.isNamespaceImport(bindings)) return false;
    return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
  }
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  if (!clause || ts.isNamespaceExport(clause)) return false;
  return clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** Resolves a relative specifier from `from` (relative to root) to a module in `modules`, or null. */
function resolveSpecifier(root, from, spec, modules) {
  if (!spec.startsWith(".")) return null;
  const base = relative(root, resolve(root, dirname(from), spec))
    .split(sep)
    .join("/");
  for (const candidate of [base, `${base}.ts`, `${base.replace(/\.js$/, "")}.ts`, `${base}/index.ts`]) {
    if (modules.has(candidate)) return candidate;
  }
  return null;
}

/**
 * The run-time import graph under `root`: module → the modules it imports at run time, each with
 * the line of the import.
 */
export function runtimeImportGraph(root) {
  const list = listModules(root);
  const modules = new Set(list);
  const graph = new Map();
  for (const file of list) {
    const text = readFileSync(join(root, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const edges = [];
    for (const node of source.statements) {
      if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
      if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier) || typeOnly(node)) continue;
      const to = resolveSpecifier(root, file, node.moduleSpecifier.text, modules);
      if (to) edges.push({ to, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    }
    graph.set(file, edges);
  }
  return graph;
}

/** The graph's cycles: its strongly connected components of more than one module (Tarjan). */
export function importCycles(graph) {
  let index = 0;
  const indexOf = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (v) => {
    indexOf.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!indexOf.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v), low.get(to)));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v), indexOf.get(to)));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return components;
}

/** One shortest cycle through `start` inside its component, as a module path list. */
export function exampleCycle(graph, component, start = component[0]) {
  const inside = new Set(component);
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const { to } of graph.get(v) ?? []) {
      if (!inside.has(to)) continue;
      if (to === start) {
        const path = [v];
        for (let p = previous.get(v); p !== null; p = previous.get(p)) path.unshift(p);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, v);
        queue.push(to);
      }
    }
  }
  return [start];
}

/** The layer index of a module (see LAYERS); modules of no listed layer sit on top. */
export function layerOf(module) {
  const head = module.split("/")[0].replace(/\.ts$/, "");
  const found = LAYERS.findIndex((names) => names.includes(head));
  return found === -1 ? LAYERS.length : found;
}

/** Imports from a lower layer to a higher one: `{ from, to, line }`. */
export function layerViolations(graph) {
  const out = [];
  for (const [from, edges] of graph) {
    for (const { to, line } of edges) if (layerOf(to) > layerOf(from)) out.push({ from, to, line });
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "../../src/lib"));
  if (!existsSync(root)) throw new Error(`no such folder: ${root}`);
  const graph = runtimeImportGraph(root);
  const cycles = importCycles(graph);
  const inCycles = cycles.reduce((n, c) => n + c.length, 0);
  console.log(`${graph.size} modules; ${cycles.length} cycle(s) (strongly connected components), ${inCycles} modules in them`);
  for (const component of cycles) {
    console.log(`\n${component.length} modules:\n  ${component.join("\n  ")}`);
    console.log(`  e.g. ${exampleCycle(graph, component).join(" → ")}`);
  }
  const violations = layerViolations(graph);
  console.log(`\n${violations.length} import(s) from a lower layer to a higher one (${LAYERS.map((l) => l.join("|")).join(" → ")} → rest)`);
  for (const v of violations) console.log(`  ${v.from}:${v.line} → ${v.to}`);
  process.exitCode = cycles.length > 0 || violations.length > 0 ? 1 : 0;
}
