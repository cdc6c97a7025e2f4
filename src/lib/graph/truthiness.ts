/**
 * Dynamic → static, the part JS cannot intercept at run time: `if (x)`, `while (x)`, `x ? a : b`,
 * `!x`, `x && y` on a tensor test the *object*, which is always truthy, so under jit they would
 * silently take one path. (Comparisons and `Number(x)` reach `Symbol.toPrimitive` and throw.)
 * This finds such tests in a function's source (parsed with acorn): conditions that are, bare,
 * a parameter bound to a tensor in this call, a local only ever assigned tensors derived from one
 * (`const y = x.mul(2)`), or a tensor method's result (`x.sum()`). Anything it cannot tell is a
 * tensor — plain JS values, unknown functions' results — is left alone: no false alarms.
 */
import { parse } from "acorn";
import { childNodes, FUNCTION_TYPES, type AstNode } from "./ast";

type Node = AstNode;

/** One truthiness test of a tensor found in the source. */
export interface TruthinessSite {
  /** What tests it: "if", "while", "for", "do…while", "?:", "!", "&&", "||", "Boolean()". */
  kind: string;
  /** The test as written, e.g. `if (x)` or `!mask`. */
  text: string;
  /** The tensor expression tested, e.g. `x`. */
  tensor: string;
  /** 1-based line within the function's source. */
  line: number;
  /** 0-based column within that line (of the function's source). */
  column: number;
}

/** Tensor members that do not return a tensor (reads, autograd plumbing). */
const NOT_TENSOR_METHODS = new Set([
  "item",
  "itemSync",
  "data",
  "dataSync",
  "tolist",
  "tolistSync",
  "toString",
  "numel",
  "backward",
  "registerHook",
  "tape",
  "dispose",
  "to",
  "valueOf",
  "toJSON",
]);

interface Binding {
  /** A parameter of the traced function bound to a tensor in this call. */
  tensorParam: boolean;
  param: boolean;
  /** Every value given to it: its initializer and assignments (null: not a plain `=`, or no initializer). */
  defs: ({ expr: Node; scope: Scope } | null)[];
  known?: boolean;
  visiting?: boolean;
}

class Scope {
  readonly names = new Map<string, Binding>();
  constructor(readonly parent: Scope | null) {}
  declare(name: string, b: Partial<Binding> = {}): Binding {
    let binding = this.names.get(name);
    if (!binding) this.names.set(name, (binding = { tensorParam: false, param: false, defs: [], ...b }));
    return binding;
  }
  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

function patternNames(p: Node, out: string[] = []): string[] {
  if (!p) return out;
  if (p.type === "Identifier") out.push(p.name);
  else if (p.type === "ArrayPattern") p.elements.forEach((e: Node) => patternNames(e, out));
  else if (p.type === "ObjectPattern") p.properties.forEach((q: Node) => patternNames(q.type === "RestElement" ? q.argument : q.value, out));
  else if (p.type === "AssignmentPattern") patternNames(p.left, out);
  else if (p.type === "RestElement") patternNames(p.argument, out);
  return out;
}

/** Parse a function's source (arrow, function expression or declaration, or a method). */
function parseFunction(source: string): { fn: Node; offset: number } | null {
  for (const [pre, post] of [
    ["(", ")"],
    ["({", "})"],
  ] as const) {
    try {
      const program = parse(pre + source + post, { ecmaVersion: "latest", sourceType: "script", locations: true }) as Node;
      let e = program.body[0]?.expression;
      if (e?.type === "ObjectExpression") e = e.properties[0]?.value;
      if (e && FUNCTION_TYPES.has(e.type)) return { fn: e, offset: pre.length };
    } catch {
      // try the next wrapping
    }
  }
  return null;
}

/**
 * The truthiness tests of tensors in `source` (a function's text). `isTensorParam(i)` says
 * whether parameter i is a tensor in this call; `isTensorParam(i, key)` the same for a
 * destructured `{ key }` or `[key]` of parameter i. Unparseable source yields no sites.
 */
export function findTensorTruthiness(source: string, isTensorParam: (index: number, key?: string | number) => boolean): TruthinessSite[] {
  const parsed = parseFunction(source);
  if (!parsed) return [];
  const { fn, offset } = parsed;
  const text = `${offset === 1 ? "(" : "({"}${source}`;
  const src = (n: Node) => text.slice(n.start, n.end).replace(/\s+/g, " ");
  const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
  const sites: TruthinessSite[] = [];
  const seen = new Set<Node>();

  let depth = 0;
  const bindingTensor = (b: Binding): boolean => {
    if (b.known !== undefined) return b.known;
    // Inside a cycle (y = y.mul(2)) assume yes: a base value must still come from a tensor.
    if (b.visiting) return true;
    b.visiting = true;
    depth++;
    const base = b.param ? b.tensorParam : b.defs.length > 0;
    const result = base && b.defs.every((d) => d !== null && tensorValued(d.expr, d.scope));
    depth--;
    b.visiting = false;
    if (depth === 0 || !result) b.known = result;
    return result;
  };
  const tensorValued = (e: Node, scope: Scope): boolean => {
    switch (e.type) {
      case "Identifier": {
        const b = scope.lookup(e.name);
        return b !== undefined && bindingTensor(b);
      }
      case "ChainExpression":
        return tensorValued(e.expression, scope);
      case "SequenceExpression":
        return tensorValued(e.expressions[e.expressions.length - 1], scope);
      case "AssignmentExpression":
        return e.operator === "=" && tensorValued(e.right, scope);
      case "CallExpression": {
        const c = e.callee.type === "ChainExpression" ? e.callee.expression : e.callee;
        if (c.type !== "MemberExpression" || c.computed || c.property.type !== "Identifier") return false;
        const name = c.property.name as string;
        return !NOT_TENSOR_METHODS.has(name) && !name.startsWith("_") && tensorValued(c.object, scope);
      }
      default:
        return false;
    }
  };

  /** Tests to judge once every binding is known: [kind, the statement's text, expression, scope]. */
  const pending: { kind: string; head: string; e: Node; scope: Scope }[] = [];
  /** `e` is tested for truthiness (an if's test, …): a && b / a || b test b too (a is tested by its own visit). */
  const tested = (kind: string, head: string, e: Node, scope: Scope) => {
    if (e.type === "LogicalExpression" && e.operator !== "??") tested(kind, head, e.right, scope);
    else if (!(e.type === "UnaryExpression" && e.operator === "!")) pending.push({ kind, head, e, scope });
  };

  const hoist = (statements: Node[], scope: Scope, fnScope: Scope | null) => {
    for (const st of statements) {
      if (st.type === "VariableDeclaration" && st.kind !== "var") for (const n of st.declarations.flatMap((d: Node) => patternNames(d.id))) scope.declare(n);
      if ((st.type === "FunctionDeclaration" || st.type === "ClassDeclaration") && st.id) scope.declare(st.id.name, { defs: [null] });
    }
    if (fnScope) {
      const vars = (n: Node) => {
        if (n.type === "VariableDeclaration" && n.kind === "var")
          for (const name of n.declarations.flatMap((d: Node) => patternNames(d.id))) fnScope.declare(name);
        for (const c of childNodes(n)) if (!FUNCTION_TYPES.has(c.type)) vars(c);
      };
      statements.forEach(vars);
    }
  };

  const enterFunction = (f: Node, outer: Scope | null, top: boolean) => {
    const scope = new Scope(outer);
    if (f.type === "FunctionExpression" && f.id) scope.declare(f.id.name, { defs: [null] });
    f.params.forEach((p: Node, i: number) => {
      const declareParam = (id: Node, key?: string | number) => {
        if (id?.type === "AssignmentPattern") id = id.left;
        if (id?.type === "Identifier") scope.declare(id.name, { param: true, tensorParam: top && isTensorParam(i, key) });
        else for (const n of patternNames(id)) scope.declare(n, { param: true });
      };
      if (p.type === "ObjectPattern") {
        for (const q of p.properties) {
          if (q.type === "Property" && !q.computed && (q.key.type === "Identifier" || q.key.type === "Literal"))
            declareParam(q.value, q.key.type === "Identifier" ? q.key.name : q.key.value);
          else for (const n of patternNames(q.type === "RestElement" ? q.argument : q.value)) scope.declare(n, { param: true });
        }
      } else if (p.type === "ArrayPattern") p.elements.forEach((el: Node, j: number) => el && declareParam(el, j));
      else if (p.type === "RestElement") for (const n of patternNames(p.argument)) scope.declare(n, { param: true });
      else declareParam(p);
    });
    for (const p of f.params) visit(p, scope);
    if (f.body.type === "BlockStatement") {
      hoist(f.body.body, scope, scope);
      for (const st of f.body.body) visit(st, scope);
    } else visit(f.body, scope);
  };

  const assign = (left: Node, right: Node | null, scope: Scope) => {
    if (left.type === "Identifier") scope.lookup(left.name)?.defs.push(right === null ? null : { expr: right, scope });
    else for (const n of patternNames(left)) scope.lookup(n)?.defs.push(null);
  };

  const visit = (n: Node, scope: Scope): void => {
    if (!n) return;
    switch (n.type) {
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "FunctionDeclaration":
        return enterFunction(n, scope, false);
      case "BlockStatement": {
        const inner = new Scope(scope);
        hoist(n.body, inner, null);
        for (const st of n.body) visit(st, inner);
        return;
      }
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const inner = new Scope(scope);
        const decl = n.type === "ForStatement" ? n.init : n.left;
        if (decl?.type === "VariableDeclaration" && decl.kind !== "var")
          for (const name of decl.declarations.flatMap((d: Node) => patternNames(d.id))) inner.declare(name);
        if (n.type !== "ForStatement") {
          // The loop variable takes the iterable's elements: not something this can judge.
          if (decl?.type === "VariableDeclaration") for (const name of patternNames(decl.declarations[0].id)) inner.lookup(name)?.defs.push(null);
          else assign(n.left, null, inner);
        }
        if (n.type === "ForStatement" && n.test) tested("for", `for (…; ${src(n.test)}; …)`, n.test, inner);
        for (const c of childNodes(n)) if (c !== n.left || n.type === "ForStatement") visit(c, inner);
        return;
      }
      case "CatchClause": {
        const inner = new Scope(scope);
        for (const name of patternNames(n.param)) inner.declare(name, { defs: [null] });
        visit(n.body, inner);
        return;
      }
      case "SwitchStatement": {
        visit(n.discriminant, scope);
        const inner = new Scope(scope);
        hoist(
          n.cases.flatMap((c: Node) => c.consequent),
          inner,
          null,
        );
        for (const c of n.cases) for (const x of childNodes(c)) visit(x, inner);
        return;
      }
      case "VariableDeclarator":
        if (n.id.type === "Identifier") scope.lookup(n.id.name)?.defs.push(n.init ? { expr: n.init, scope } : null);
        else for (const name of patternNames(n.id)) scope.lookup(name)?.defs.push(null);
        visit(n.init, scope);
        return;
      case "AssignmentExpression":
        assign(n.left, n.operator === "=" ? n.right : null, scope);
        visit(n.right, scope);
        if (n.left.type !== "Identifier") visit(n.left, scope);
        return;
      case "UpdateExpression":
        if (n.argument.type === "Identifier") assign(n.argument, null, scope);
        else visit(n.argument, scope);
        return;
      case "IfStatement":
        tested("if", `if (${src(n.test)})`, n.test, scope);
        break;
      case "WhileStatement":
        tested("while", `while (${src(n.test)})`, n.test, scope);
        break;
      case "DoWhileStatement":
        tested("do…while", `do … while (${src(n.test)})`, n.test, scope);
        break;
      case "ConditionalExpression":
        tested("?:", src(n), n.test, scope);
        break;
      case "UnaryExpression":
        if (n.operator === "!") pending.push({ kind: "!", head: src(n), e: n.argument, scope });
        break;
      case "LogicalExpression":
        if (n.operator !== "??") pending.push({ kind: n.operator, head: src(n), e: n.left, scope });
        break;
      case "CallExpression":
        if (n.callee.type === "Identifier" && n.callee.name === "Boolean" && !scope.lookup("Boolean") && n.arguments[0])
          pending.push({ kind: "Boolean()", head: src(n), e: n.arguments[0], scope });
        break;
    }
    for (const c of childNodes(n)) visit(c, scope);
  };

  enterFunction(fn, null, true);
  for (const p of pending) {
    let e = p.e;
    while (e.type === "ChainExpression") e = e.expression;
    if (seen.has(e) || !tensorValued(e, p.scope)) continue;
    seen.add(e);
    const { line, column } = e.loc.start;
    sites.push({ kind: p.kind, text: short(p.head), tensor: short(src(e)), line, column: line === 1 ? column - offset : column });
  }
  return sites.sort((a, b) => a.line - b.line || a.column - b.column);
}
