/**
 * Automatic differentiation by source transformation (as Tangent does for Python): the function's
 * JavaScript source is parsed with acorn, lowered to one operation per line (the evaluation trace,
 * as code), and a new function is written that computes the derivative: forward mode puts a
 * tangent line after each operation; reverse mode runs the operations, then walks them backwards
 * accumulating adjoints. The result is source a learner can read, compiled with `new Function`.
 *
 * Unlike the tape (operator overloading) and `jit` (tracing), nothing of the original program
 * runs while the derivative is made: it is a compiler pass over text. It covers scalar arithmetic
 * on numbers: `+ - * / **`, unary minus, `Math.sin cos exp log tanh sqrt pow`, numeric constants,
 * `Math.PI` / `Math.E`, and local `const` bindings before one `return`; anything else is refused
 * with its construct and line.
 * @module
 */
import { parse } from "acorn";
import { WebgradError } from "../errors";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

/** The operations the transformer knows, by their name in the lowered code. */
type OpKind = "add" | "sub" | "mul" | "div" | "neg" | "pow" | "sin" | "cos" | "exp" | "log" | "tanh" | "sqrt";
const MATH_FNS: Readonly<Record<string, OpKind>> = { sin: "sin", cos: "cos", exp: "exp", log: "log", tanh: "tanh", sqrt: "sqrt", pow: "pow" };
const BINARY: Readonly<Record<string, OpKind>> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow" };
const MATH_CONSTANTS: Readonly<Record<string, number>> = { PI: Math.PI, E: Math.E };

/** An operand: a variable of the lowered code (a parameter, a local, a temporary) or a number. */
type Operand = { name: string } | { value: number };
/** One operation of the lowered code: `const out = op(args)`. */
interface Step {
  out: string;
  op: OpKind | "copy";
  args: Operand[];
}

/** What the transformer returns: the generated source and the compiled function. */
export interface SourceDerivative<F> {
  /** The original function's parameters. */
  readonly params: readonly string[];
  /** The generated derivative function, as JavaScript. */
  readonly source: string;
  /** The generated function, compiled. */
  readonly fn: F;
}

/** The gradient function `sourceGrad` writes: f's value and ∂f/∂(each parameter). */
export type GradFn = (...xs: number[]) => { value: number; gradient: number[] };
/** The tangent function `sourceJvp` writes: f's value and its directional derivative along `dxs`. */
export type JvpFn = (xs: readonly number[], dxs: readonly number[]) => { value: number; tangent: number };

const refuse = (what: string, node: Node): never => {
  throw new WebgradError(
    "sourceGrad",
    `${what} at line ${node.loc?.start.line ?? "?"} is not supported (the transformer knows + − * / **, unary minus, Math.sin/cos/exp/log/tanh/sqrt/pow, numbers, Math.PI/E and local const bindings)`,
  );
};

/** Names the construct a node is, for the refusal. */
function construct(n: Node): string {
  if (n.type === "CallExpression") {
    const c = n.callee;
    const callee =
      c.type === "MemberExpression" && !c.computed ? `${c.object.name ?? "…"}.${c.property.name}` : c.type === "Identifier" ? c.name : "a computed function";
    return `the call ${callee}(…)`;
  }
  if (n.type === "BinaryExpression" || n.type === "LogicalExpression") return `the operator ${n.operator}`;
  if (n.type === "UnaryExpression" || n.type === "UpdateExpression") return `the operator ${n.operator}`;
  if (n.type === "AssignmentExpression") return `assignment (${n.operator})`;
  if (n.type === "VariableDeclaration") return `a ${n.kind} declaration`;
  if (n.type === "MemberExpression") return `the property ${n.object.name ?? "…"}.${n.property.name ?? "[…]"}`;
  const words = n.type
    .replace(/(Statement|Expression|Declaration)$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return `a ${words} ${/Statement$/.test(n.type) ? "statement" : /Expression$/.test(n.type) ? "expression" : ""}`.trimEnd();
}

/** Parses the function's source: an arrow function, a function expression or declaration, or a method. */
function parseFunction(source: string): Node {
  const tries = [`(${source})`, `({ ${source} })`];
  for (const text of tries) {
    let program: Node;
    try {
      program = parse(text, { ecmaVersion: "latest", locations: true });
    } catch {
      continue;
    }
    const e = program.body[0]?.expression;
    if (e?.type === "ArrowFunctionExpression" || e?.type === "FunctionExpression") return e;
    if (e?.type === "ObjectExpression" && e.properties[0]?.value?.type === "FunctionExpression") return e.properties[0].value;
  }
  throw new WebgradError("sourceGrad", "the source is not one function (an arrow function, a function expression or a function declaration)");
}

/** Lowers the function to straight-line steps, one operation each. */
function lower(fn: Node): { name: string | undefined; params: string[]; steps: Step[]; result: Operand } {
  if (fn.async || fn.generator) refuse(fn.async ? "an async function" : "a generator", fn);
  const params: string[] = fn.params.map((p: Node) => (p.type === "Identifier" ? p.name : refuse(`the parameter pattern (${p.type})`, p)));
  const declared = new Set(params);
  const steps: Step[] = [];
  const taken = new Set<string>(params);
  // Temporaries are v1, v2 … (the evaluation trace's names) unless the code already uses such names.
  const collect = (n: Node): void => {
    if (n && typeof n === "object") {
      if (n.type === "Identifier") taken.add(n.name);
      for (const k of Object.keys(n))
        if (k !== "loc") (Array.isArray(n[k]) ? n[k] : [n[k]]).forEach((c: Node) => c && typeof c.type === "string" && collect(c));
    }
  };
  collect(fn.body);
  const prefix = [...taken].some((n) => /^v\d+$/.test(n)) ? "t" : "v";
  let counter = 0;
  const fresh = () => {
    let name: string;
    do name = `${prefix}${++counter}`;
    while (taken.has(name));
    return name;
  };

  const emitStep = (op: OpKind, args: Operand[], out?: string): Operand => {
    // Constant folding keeps numbers-only arithmetic out of the derivative code.
    if (args.every((a) => "value" in a))
      return {
        value: evalOp(
          op,
          args.map((a) => (a as { value: number }).value),
        ),
      };
    const name = out ?? fresh();
    steps.push({ out: name, op, args });
    return { name };
  };

  const expr = (n: Node, out?: string): Operand => {
    switch (n.type) {
      case "Literal":
        return typeof n.value === "number" ? { value: n.value } : refuse(`the ${typeof n.value} literal ${n.raw}`, n);
      case "Identifier":
        if (!declared.has(n.name)) refuse(`the free variable ${n.name} (only parameters and local consts can be read)`, n);
        return { name: n.name };
      case "MemberExpression":
        if (!n.computed && n.object.type === "Identifier" && n.object.name === "Math" && n.property.name in MATH_CONSTANTS)
          return { value: MATH_CONSTANTS[n.property.name] };
        return refuse(construct(n), n);
      case "UnaryExpression":
        if (n.operator === "-") return emitStep("neg", [expr(n.argument)], out);
        if (n.operator === "+") return expr(n.argument, out);
        return refuse(construct(n), n);
      case "BinaryExpression": {
        const op = BINARY[n.operator];
        if (op === undefined) return refuse(construct(n), n);
        const a = expr(n.left),
          b = expr(n.right);
        return emitStep(op, [a, b], out);
      }
      case "CallExpression": {
        const c = n.callee;
        const math =
          c.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && c.object.name === "Math" ? MATH_FNS[c.property.name] : undefined;
        if (math === undefined || n.arguments.some((a: Node) => a.type === "SpreadElement")) return refuse(construct(n), n);
        const arity = math === "pow" ? 2 : 1;
        if (n.arguments.length !== arity) refuse(`Math.${c.property.name} with ${n.arguments.length} arguments`, n);
        return emitStep(
          math,
          n.arguments.map((a: Node) => expr(a)),
          out,
        );
      }
      case "ParenthesizedExpression":
        return expr(n.expression, out);
      default:
        return refuse(construct(n), n);
    }
  };

  let result: Operand | null = null;
  if (fn.body.type !== "BlockStatement") result = expr(fn.body);
  else {
    const body: Node[] = fn.body.body;
    body.forEach((s, i) => {
      if (s.type === "VariableDeclaration" && s.kind === "const") {
        for (const d of s.declarations) {
          if (d.id.type !== "Identifier") refuse(`the binding pattern (${d.id.type})`, d.id);
          if (declared.has(d.id.name)) refuse(`redeclaring ${d.id.name}`, d);
          const v = expr(d.init, d.id.name);
          // A const bound to a parameter, another const or a number: keep the name readable as a copy.
          if (!("name" in v) || v.name !== d.id.name) steps.push({ out: d.id.name, op: "copy", args: [v] });
          declared.add(d.id.name);
        }
      } else if (s.type === "ReturnStatement" && i === body.length - 1) {
        if (s.argument === null) refuse("a return without a value", s);
        result = expr(s.argument);
      } else if (s.type === "ReturnStatement") refuse("a return before the end of the function", s);
      else refuse(construct(s), s);
    });
    if (result === null) refuse("a function body without a final return", fn.body);
  }
  return { name: fn.id?.name, params, steps, result: result! };
}

/** Evaluates an operation on numbers (constant folding). */
function evalOp(op: OpKind, [a, b]: number[]): number {
  switch (op) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
    case "neg":
      return -a;
    case "pow":
      return a ** b;
    default:
      return Math[op](a);
  }
}

/** An operand as JavaScript (negative numbers in parentheses, so `x - (-1)` stays right). */
const js = (a: Operand) => ("name" in a ? a.name : a.value < 0 || Object.is(a.value, -0) ? `(${a.value})` : String(a.value));

/** The primal line of a step. */
function primalLine(s: Step): string {
  const [a, b] = s.args.map(js);
  const rhs: Record<Step["op"], string> = {
    copy: a,
    add: `${a} + ${b}`,
    sub: `${a} - ${b}`,
    mul: `${a} * ${b}`,
    div: `${a} / ${b}`,
    neg: `-${a}`,
    pow: `${a} ** ${b}`,
    sin: `Math.sin(${a})`,
    cos: `Math.cos(${a})`,
    exp: `Math.exp(${a})`,
    log: `Math.log(${a})`,
    tanh: `Math.tanh(${a})`,
    sqrt: `Math.sqrt(${a})`,
  };
  return `const ${s.out} = ${rhs[s.op]};`;
}

/**
 * `d` (a tangent or an adjoint) times ∂(step's output)/∂(argument k), as JavaScript. The sign
 * comes back separately, so a sum can subtract.
 */
function partial(s: Step, k: number, d: string): { sign: 1 | -1; text: string } {
  const [a, b] = s.args.map(js);
  const y = s.out;
  switch (s.op) {
    case "copy":
    case "add":
      return { sign: 1, text: d };
    case "sub":
      return { sign: k === 0 ? 1 : -1, text: d };
    case "neg":
      return { sign: -1, text: d };
    case "mul":
      return { sign: 1, text: `${d} * ${k === 0 ? b : a}` };
    case "div":
      return k === 0 ? { sign: 1, text: `${d} / ${b}` } : { sign: -1, text: `${d} * ${y} / ${b}` };
    case "pow":
      if (k === 1) return { sign: 1, text: `${d} * ${y} * Math.log(${a})` };
      // A numeric exponent's b − 1 is written out: x ** 3 → 3 * x ** 2.
      return { sign: 1, text: `${d} * ${b} * ${a} ** ${"value" in s.args[1] ? js({ value: s.args[1].value - 1 }) : `(${b} - 1)`}` };
    case "sin":
      return { sign: 1, text: `${d} * Math.cos(${a})` };
    case "cos":
      return { sign: -1, text: `${d} * Math.sin(${a})` };
    case "exp":
      return { sign: 1, text: `${d} * ${y}` };
    case "log":
      return { sign: 1, text: `${d} / ${a}` };
    case "tanh":
      return { sign: 1, text: `${d} * (1 - ${y} * ${y})` };
    case "sqrt":
      return { sign: 1, text: `${d} / (2 * ${y})` };
  }
}

/** Which variables depend on the parameters (only those carry tangents and adjoints). */
function activeSet(params: readonly string[], steps: readonly Step[]): Set<string> {
  const active = new Set(params);
  for (const s of steps) if (s.args.some((a) => "name" in a && active.has(a.name))) active.add(s.out);
  return active;
}

const isActive = (a: Operand, active: Set<string>): a is { name: string } => "name" in a && active.has(a.name);
const fnName = (name: string | undefined, prefix: string) => `${prefix}_${name && /^[A-Za-z_$][\w$]*$/.test(name) ? name : "f"}`;
const sourceOf = (f: ((...a: never[]) => unknown) | string) => (typeof f === "string" ? f : Function.prototype.toString.call(f));
const compile = <F>(source: string): F => new Function(`"use strict"; return (${source});`)() as F;

/**
 * Writes the reverse-mode derivative of a scalar JavaScript function by transforming its source:
 * the function's operations one per line (the forward sweep), then, last operation first, each
 * operation's adjoint update (the reverse sweep). Returns the generated source and the compiled
 * gradient function, which gives f's value and ∂f/∂(each parameter).
 * @example
 * const { source, fn } = sourceGrad((x1: number, x2: number) => Math.log(x1) + x1 * x2 - Math.sin(x2));
 * console.log(source);   // function grad_f(x1, x2) { const v1 = Math.log(x1); … }
 * fn(2, 5);              // { value: 11.65…, gradient: [5.5, 1.716…] }
 */
export function sourceGrad(f: ((...xs: number[]) => number) | string, options: { name?: string } = {}): SourceDerivative<GradFn> {
  const { name, params, steps, result } = lower(parseFunction(sourceOf(f)));
  const active = activeSet(params, steps);
  const bar = (v: string) => `${v}_bar`;
  const lines = [`function ${fnName(options.name ?? name ?? (typeof f === "function" ? f.name : undefined), "grad")}(${params.join(", ")}) {`];
  lines.push("  // forward sweep: one operation per line");
  for (const s of steps) lines.push(`  ${primalLine(s)}`);
  const value = js(result);
  const outActive = isActive(result, active);
  const adjointVars = [...params, ...steps.filter((s) => active.has(s.out)).map((s) => s.out)].filter(
    (v) => !(outActive && v === (result as { name: string }).name),
  );
  lines.push("  // reverse sweep: adjoints v̄ = ∂f/∂v, from the result back to the parameters");
  if (outActive) lines.push(`  const ${bar((result as { name: string }).name)} = 1;`);
  if (adjointVars.length) lines.push(`  let ${adjointVars.map((v) => `${bar(v)} = 0`).join(", ")};`);
  if (outActive) {
    for (let i = steps.length - 1; i >= 0; i--) {
      const s = steps[i];
      if (!active.has(s.out)) continue;
      s.args.forEach((a, k) => {
        if (!isActive(a, active)) return;
        const p = partial(s, k, bar(s.out));
        lines.push(`  ${bar(a.name)} ${p.sign === 1 ? "+=" : "-="} ${p.text};`);
      });
    }
  }
  lines.push(`  return { value: ${value}, gradient: [${params.map(bar).join(", ")}] };`, "}");
  const source = lines.join("\n");
  return { params, source, fn: compile<GradFn>(source) };
}

/**
 * Writes the forward-mode derivative of a scalar JavaScript function by transforming its source:
 * after each operation, the line that computes its tangent. The compiled function takes the point
 * and the input tangents and gives f's value and its directional derivative.
 * @example
 * const { source, fn } = sourceJvp((x1: number, x2: number) => Math.log(x1) + x1 * x2 - Math.sin(x2));
 * fn([2, 5], [1, 0]);   // { value: 11.65…, tangent: 5.5 }
 */
export function sourceJvp(f: ((...xs: number[]) => number) | string, options: { name?: string } = {}): SourceDerivative<JvpFn> {
  const { name, params, steps, result } = lower(parseFunction(sourceOf(f)));
  const active = activeSet(params, steps);
  const dot = (v: string) => `${v}_dot`;
  const lines = [
    `function ${fnName(options.name ?? name ?? (typeof f === "function" ? f.name : undefined), "jvp")}([${params.join(", ")}], [${params.map(dot).join(", ")}]) {`,
  ];
  lines.push("  // each operation, then its tangent v̇ (how it moves when the inputs move along the tangents)");
  for (const s of steps) {
    lines.push(`  ${primalLine(s)}`);
    if (!active.has(s.out)) continue;
    const terms = s.args.flatMap((a, k) => (isActive(a, active) ? [partial(s, k, dot(a.name))] : []));
    const rhs = terms.reduce((acc, t, i) => (i === 0 ? (t.sign === 1 ? t.text : `-${t.text}`) : `${acc} ${t.sign === 1 ? "+" : "-"} ${t.text}`), "");
    lines.push(`  const ${dot(s.out)} = ${rhs};`);
  }
  lines.push(`  return { value: ${js(result)}, tangent: ${isActive(result, active) ? dot(result.name) : "0"} };`, "}");
  const source = lines.join("\n");
  return { params, source, fn: compile<JvpFn>(source) };
}
