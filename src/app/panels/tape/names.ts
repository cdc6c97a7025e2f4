/**
 * Names for the tape's leaves as the learner wrote them: the tensor's own `name` when it has one,
 * else the variable declared on the line that made it require grad (`const W = tensor(…)` → `W`),
 * else its id (`t89`).
 * @module
 */
import type { TapeLeaf } from "../../state/tape.svelte";

/** `const W = …`, `let w: Tensor = …`, `W = …` at the start of a line: the one name assigned. */
const DECLARATION = /^\s*(?:export\s+)?(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=(?![=>])/;

/** The variable a line of code assigns, or undefined (destructuring, several declarations, no assignment). */
export function variableOnLine(line: string | undefined): string | undefined {
  if (line === undefined) return undefined;
  const m = DECLARATION.exec(line);
  if (!m) return undefined;
  // `const a = x, b = y` declares two: which one is the leaf is not known.
  const rest = line.slice(m[0].length);
  if (/,\s*[A-Za-z_$][\w$]*\s*=(?!=)/.test(rest.replace(/\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}/g, ""))) return undefined;
  return m[1];
}

/** The name to show for a leaf: its own, the variable on its line in `sourceLines` (1-based lines), or `t<id>`. */
export function leafName(leaf: TapeLeaf | undefined, id: number, sourceLines: readonly string[]): string {
  if (leaf?.name) return leaf.name;
  const inferred = leaf?.gradLine !== undefined ? variableOnLine(sourceLines[leaf.gradLine - 1]) : undefined;
  return inferred ?? `t${id}`;
}
