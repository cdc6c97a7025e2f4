/**
 * Walking acorn's syntax trees, for autograph's source conversion (autograph/transform.ts) and the
 * truthiness check (truthiness.ts): acorn-walk's base visitors know which fields of each node type
 * hold child nodes, so neither keeps its own list.
 * @module
 */
import { base, full, make } from "acorn-walk";

/* eslint-disable @typescript-eslint/no-explicit-any */
/** An ESTree node as acorn makes it (read loosely: the walkers switch on `type`). */
export type AstNode = any;

/** The node types that open a nested function. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(["FunctionExpression", "ArrowFunctionExpression", "FunctionDeclaration"]);

/** acorn-walk's base visitors by node type: each calls back with a node's children. */
type Visitor = (node: AstNode, state: unknown, callback: (child: AstNode, state: unknown, as?: string) => void) => void;
const VISITORS = base as unknown as Record<string, Visitor | undefined>;

/**
 * The direct child nodes of a node, in source order. A visitor that hands the node on under an
 * abstract type (a FunctionDeclaration as "Function", a class as "Class") is followed through.
 */
export function childNodes(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const enumerate = (n: AstNode, type: string): void => {
    VISITORS[type]?.(n, null, (child, _state, as) => {
      if (child !== n) out.push(child);
      else if (as !== undefined && as !== type) enumerate(n, as);
    });
  };
  enumerate(node, node.type);
  return out.sort((a, b) => a.start - b.start);
}

/** acorn-walk's base walker that does not enter nested functions. */
const LOCAL = make<unknown>({ Function: () => {} }, base);

/** Visit every node under `node` (itself included) without entering nested functions. */
export function walkLocal(node: AstNode, visit: (n: AstNode) => void): void {
  full(node, (n) => visit(n), LOCAL);
}
