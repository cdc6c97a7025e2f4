/**
 * Puts back the TSDoc of namespace members (`nn.crossEntropy`, `optim.adam`, `data.spirals`…) in the
 * bundled declarations. dts-bundle-generator keeps a statement's doc comment only when the entry file
 * exports it by name; a member reached through `export * as nn from "./nn"` is printed bare
 * (timocov/dts-bundle-generator#328, open), so the editor's hover showed a signature and nothing else.
 *
 * The docs come from the sources: TypeScript resolves each namespace path (`nn.functional.mse`) to its
 * declaration, and the bundle's own `declare namespace … { export { local as name } }` lists say which
 * top-level statement that path is printed as (renamed ones too, `oneHot$1 as oneHot`).
 * @module
 */
import ts from "typescript";
import { resolve } from "node:path";

/** A doc comment (`/** … *\/`) found in a file's text just before `node`, or undefined. */
function leadingDoc(text: string, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const doc = ranges.filter((r) => text.startsWith("/**", r.pos)).at(-1);
  return doc && text.slice(doc.pos, doc.end);
}

/** The statement a declaration's doc comment sits on (a `const` is documented on its `const` statement). */
function documentedNode(decl: ts.Declaration): ts.Node {
  return ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) ? decl.parent.parent : decl;
}

/**
 * The doc comments of every namespace member of `entry`'s exports, by dotted path (`"nn.crossEntropy"`),
 * one per declaration (overloads each keep theirs). A program without the default library: only
 * exports and aliases are resolved, nothing is type-checked.
 */
export function namespaceMemberDocs(entry: string): Map<string, (string | undefined)[]> {
  const program = ts.createProgram([entry], {
    noLib: true,
    types: [],
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const root = source && checker.getSymbolAtLocation(source);
  const docs = new Map<string, (string | undefined)[]>();
  if (!root) return docs;
  const resolved = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const isModule = (s: ts.Symbol): boolean => (s.flags & ts.SymbolFlags.ValueModule) !== 0 && (s.declarations ?? []).some(ts.isSourceFile);
  const visit = (module: ts.Symbol, prefix: string, depth: number): void => {
    for (const member of checker.getExportsOfModule(module)) {
      const target = resolved(member);
      const path = `${prefix}.${member.name}`;
      if (isModule(target)) {
        if (depth < 4) visit(target, path, depth + 1);
        continue;
      }
      // An overloaded function's implementation is not in the declarations: leave it out.
      const decls = (target.declarations ?? []).filter((d) => !(ts.isFunctionDeclaration(d) && d.body && (target.declarations?.length ?? 0) > 1));
      docs.set(
        path,
        decls.map((d) => leadingDoc(d.getSourceFile().text, documentedNode(d))),
      );
    }
  };
  for (const member of checker.getExportsOfModule(root)) {
    const target = resolved(member);
    if (isModule(target)) visit(target, member.name, 1);
  }
  return docs;
}

/** The name a top-level statement of the bundle declares, if it is a declaration that can carry a doc. */
function declaredName(statement: ts.Statement): string | undefined {
  if (ts.isVariableStatement(statement)) {
    const [first] = statement.declarationList.declarations;
    return first && ts.isIdentifier(first.name) ? first.name.text : undefined;
  }
  if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement)
  )
    return statement.name?.text;
  return undefined;
}

/** `export { a as b, c }` inside a namespace block or at the top level: `[local, exported]` pairs. */
function exportPairs(statements: readonly ts.Statement[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const s of statements) {
    if (!ts.isExportDeclaration(s) || s.moduleSpecifier || !s.exportClause || !ts.isNamedExports(s.exportClause)) continue;
    for (const el of s.exportClause.elements) pairs.push([(el.propertyName ?? el.name).text, el.name.text]);
  }
  return pairs;
}

/**
 * Which namespace path each top-level statement of the bundle is exported as: local name → paths
 * (`crossEntropy` → `nn.crossEntropy`, `nn.functional.crossEntropy`).
 */
export function bundlePaths(dts: string): Map<string, string[]> {
  const file = ts.createSourceFile("bundle.d.ts", dts, ts.ScriptTarget.Latest, true);
  const namespaces = new Map<string, [string, string][]>();
  for (const s of file.statements) {
    if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name) && s.body && ts.isModuleBlock(s.body)) namespaces.set(s.name.text, exportPairs(s.body.statements));
  }
  const paths = new Map<string, string[]>();
  const walk = (namespace: string, prefix: string, depth: number): void => {
    for (const [local, exported] of namespaces.get(namespace) ?? []) {
      const path = `${prefix}.${exported}`;
      if (namespaces.has(local)) {
        if (depth < 4) walk(local, path, depth + 1);
      } else paths.set(local, [...(paths.get(local) ?? []), path]);
    }
  };
  const rootExports: [string, string][] = exportPairs(file.statements);
  for (const s of file.statements) {
    const exported = ts.isModuleDeclaration(s) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isIdentifier(s.name)) rootExports.push([s.name.text, s.name.text]);
  }
  for (const [local, exported] of rootExports) if (namespaces.has(local)) walk(local, exported, 1);
  return paths;
}

/**
 * The bundle with a doc comment put above each namespace member's statement that lacks one, taken
 * from its declaration in the sources under `root` (entry `src/lib/index.ts`).
 */
export function restoreNamespaceDocs(dts: string, root: string): string {
  const docs = namespaceMemberDocs(resolve(root, "src/lib/index.ts"));
  const paths = bundlePaths(dts);
  const file = ts.createSourceFile("bundle.d.ts", dts, ts.ScriptTarget.Latest, true);
  const seen = new Map<string, number>();
  const inserts: { at: number; text: string }[] = [];
  for (const statement of file.statements) {
    const name = declaredName(statement);
    if (name === undefined) continue;
    // Overloads are consecutive statements of one name: the n-th takes the n-th declaration's doc.
    const index = seen.get(name) ?? 0;
    seen.set(name, index + 1);
    if (leadingDoc(dts, statement) !== undefined) continue;
    const doc = (paths.get(name) ?? []).map((p) => docs.get(p)?.[index]).find((d) => d !== undefined);
    if (doc) inserts.push({ at: statement.getStart(file), text: `${doc}\n` });
  }
  let out = dts;
  for (const { at, text } of inserts.reverse()) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
