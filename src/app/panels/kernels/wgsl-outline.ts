/**
 * A WGSL module cut into top-level blocks for the Kernels panel: the entry point (`@compute fn`,
 * with its attribute lines), helper functions (every other `fn`, with the comment lines just above
 * it), and the rest (bindings, structs, constants) in runs between them. The panel folds the
 * helpers and opens at the entry point, so the learner reads the kernel first.
 * @module
 */

/** One block of consecutive lines. */
export interface WgslBlock {
  kind: "entry" | "helper" | "other";
  /** The function's name (entry and helper). */
  name?: string;
  /** The function's first line, as a one-line summary of a folded helper. */
  signature?: string;
  /** The block's lines joined by "\n". */
  text: string;
  /** 0-based line of the block's first line in the module. */
  start: number;
  /** Number of lines. */
  lines: number;
}

/** A line of attributes only (`@compute @workgroup_size(64)`), which belongs to the declaration below it. */
const ATTRIBUTES_ONLY = /^\s*(@\w+(\([^()]*(\([^()]*\)[^()]*)*\))?\s*)+$/;
const COMMENT_ONLY = /^\s*\/\//;
const FN = /^\s*(?:@\w+(?:\([^()]*\))?\s*)*fn\s+(\w+)/;
const ENTRY = /@(compute|vertex|fragment)\b/;

/** Braces opened minus closed on a line, outside `//` comments and block comments (`inBlock` carries a block comment across lines). */
function braceDelta(line: string, state: { inBlock: boolean }): number {
  let d = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i],
      next = line[i + 1];
    if (state.inBlock) {
      if (c === "*" && next === "/") {
        state.inBlock = false;
        i++;
      }
      continue;
    }
    if (c === "/" && next === "/") break;
    if (c === "/" && next === "*") {
      state.inBlock = true;
      i++;
      continue;
    }
    if (c === "{") d++;
    else if (c === "}") d--;
  }
  return d;
}

/** Cuts `source` into blocks, in order; their texts joined by "\n" give the source back. */
export function outlineWgsl(source: string): WgslBlock[] {
  const lines = source.split("\n");
  const blocks: WgslBlock[] = [];
  const state = { inBlock: false };
  let otherStart = 0;
  const flushOther = (end: number) => {
    if (end > otherStart) blocks.push({ kind: "other", text: lines.slice(otherStart, end).join("\n"), start: otherStart, lines: end - otherStart });
  };
  let i = 0;
  while (i < lines.length) {
    const m = state.inBlock ? null : FN.exec(lines[i]);
    if (!m) {
      braceDelta(lines[i], state);
      i++;
      continue;
    }
    // The declaration starts at its attribute lines, and a helper takes the comment lines just above it.
    let first = i;
    while (first > otherStart && ATTRIBUTES_ONLY.test(lines[first - 1])) first--;
    const attributes = lines.slice(first, i + 1).join("\n");
    const entry = ENTRY.test(attributes);
    if (!entry) while (first > otherStart && COMMENT_ONLY.test(lines[first - 1])) first--;
    // The body ends where the braces balance again (a one-line helper ends on its own line).
    let depth = 0,
      opened = false,
      last = i;
    for (let k = i; k < lines.length; k++) {
      depth += braceDelta(lines[k], state);
      if (lines[k].includes("{")) opened = true;
      last = k;
      if (opened && depth <= 0) break;
    }
    flushOther(first);
    blocks.push({
      kind: entry ? "entry" : "helper",
      name: m[1],
      signature: lines[i].trim(),
      text: lines.slice(first, last + 1).join("\n"),
      start: first,
      lines: last + 1 - first,
    });
    i = last + 1;
    otherStart = i;
  }
  flushOther(lines.length);
  return blocks;
}
