/**
 * Editor hints for two mistakes a PyTorch hand makes in webgrad, found in the program's text
 * (no type checker: the page does not load TypeScript; Monaco's worker has it but not these rules):
 *
 * - `console.log(loss.item())` without `await`: reading a tensor is asynchronous (the values may
 *   still be on the GPU), so `item()`, `tolist()` and `data()` return Promises, and the line prints
 *   `Promise {…}` or `[object Promise]`.
 * - `model(x)` on a module: JavaScript objects cannot be called (there is no `__call__`), so it is
 *   `model.forward(x)`. TypeScript already reports "has no call signatures"; the hint says why and
 *   what to write, for the types that are modules.
 *
 * Pure functions over text; `monaco.ts` turns their findings into markers.
 * @module
 */

/** A span of the program (0-based offsets, `end` exclusive). */
export interface Span {
  start: number;
  end: number;
}

/** A tensor read inside `console.*(…)` that is not awaited. */
export interface UnawaitedRead extends Span {
  /** The expression as written, e.g. `loss.item()`. */
  text: string;
  /** The method: `item`, `tolist` or `data`. */
  method: string;
}

/** The tensor methods that return a Promise of the values. */
const ASYNC_READS = ["item", "tolist", "data"];

/**
 * The program with comments and the text of string literals blanked (same length, newlines kept),
 * so a search for code finds code only. Template literals keep their `${…}` parts.
 */
export function codeOnly(source: string): string {
  const out = source.split("");
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  // Template nesting: each entry counts the open braces of one `${ … }`.
  const templates: number[] = [];
  let i = 0;
  const n = source.length;
  /** Scans template text from i (just after ` or }) to its end or to a `${`. */
  const templateText = (): void => {
    const from = i;
    while (i < n && source[i] !== "`" && !(source[i] === "$" && source[i + 1] === "{")) i += source[i] === "\\" ? 2 : 1;
    blank(from, Math.min(i, n));
    if (source[i] === "`") i++;
    else if (i < n) {
      i += 2;
      templates.push(0);
    }
  };
  while (i < n) {
    const c = source[i]!;
    if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      blank(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      blank(i, end < 0 ? n : end + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      blank(i + 1, Math.min(j, n));
      i = j + 1;
    } else if (c === "`") {
      i++;
      templateText();
    } else if (templates.length > 0 && c === "{") {
      templates[templates.length - 1]!++;
      i++;
    } else if (templates.length > 0 && c === "}") {
      if (templates[templates.length - 1] === 0) {
        templates.pop();
        i++;
        templateText();
      } else {
        templates[templates.length - 1]!--;
        i++;
      }
    } else i++;
  }
  return out.join("");
}

const OPEN: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Where the postfix chain ending just before `end` starts: `a.b(c)[0].d` back to `a` (code-only text). */
function chainStart(code: string, end: number): number {
  let i = end;
  for (;;) {
    let j = i;
    while (j > 0 && /\s/.test(code[j - 1]!)) j--;
    const c = code[j - 1];
    if (c === undefined) return i;
    // A non-null assertion (`w.grad!.data()`) belongs to the chain.
    if (c === "!" && j > 1 && /[\w$)\]]/.test(code[j - 2]!)) {
      i = j - 1;
      continue;
    }
    if (c === ")" || c === "]") {
      // Skip a balanced group backwards.
      let depth = 0;
      let k = j - 1;
      for (; k >= 0; k--) {
        const d = code[k]!;
        if (d === ")" || d === "]" || d === "}") depth++;
        else if (d === "(" || d === "[" || d === "{") {
          depth--;
          if (depth === 0) break;
        }
      }
      if (k < 0 || code[k] !== OPEN[c]) return i;
      i = k;
      continue;
    }
    if (/[\w$]/.test(c)) {
      let k = j - 1;
      while (k > 0 && /[\w$]/.test(code[k - 1]!)) k--;
      // A keyword ends the chain (`await x`, `return x`): the word is not part of it.
      if (/^(await|return|typeof|void|new|in|of|yield|case|else|delete)$/.test(code.slice(k, j))) return i;
      i = k;
      // Continue only through a member access: `a.b`, `a?.b`.
      let m = k;
      while (m > 0 && /\s/.test(code[m - 1]!)) m--;
      if (code[m - 1] === ".") {
        i = m - 1;
        continue;
      }
      return i;
    }
    return i;
  }
}

/** True when the expression starting at `start` is the operand of `await` (possibly parenthesized: `(await x)`). */
function isAwaited(code: string, start: number): boolean {
  return /\bawait\s*$/.test(code.slice(Math.max(0, start - 40), start));
}

/** The end (exclusive) of the bracket group that opens at `open`, or the text's end. */
function groupEnd(code: string, open: number): number {
  let depth = 0;
  for (let k = open; k < code.length; k++) {
    const d = code[k]!;
    if (d === "(" || d === "[" || d === "{") depth++;
    else if (d === ")" || d === "]" || d === "}") {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return code.length;
}

/**
 * Tensor reads (`x.item()`, `x.tolist()`, `x.data()`) written inside the arguments of `console.log`
 * (or `.info`, `.warn`, `.error`) without `await`, so what prints is a Promise.
 * @example unawaitedReads("console.log(loss.item())") // [{ text: "loss.item()", method: "item", start: 12, end: 23 }]
 */
export function unawaitedReads(source: string): UnawaitedRead[] {
  const code = codeOnly(source);
  const found: UnawaitedRead[] = [];
  for (const call of code.matchAll(/\bconsole\s*\.\s*(?:log|info|warn|error)\s*\(/g)) {
    const open = call.index + call[0].length - 1;
    const end = groupEnd(code, open);
    const args = code.slice(open, end);
    for (const read of args.matchAll(new RegExp(String.raw`\.\s*(${ASYNC_READS.join("|")})\s*\(\s*\)`, "g"))) {
      const readEnd = open + read.index + read[0].length;
      const start = chainStart(code, open + read.index);
      if (start >= readEnd || isAwaited(code, start)) continue;
      // A read already handled by `.then(…)` is fine.
      if (/^\s*\.\s*then\s*\(/.test(code.slice(readEnd))) continue;
      if (found.some((f) => f.start === start && f.end === readEnd)) continue;
      found.push({ start, end: readEnd, text: source.slice(start, readEnd), method: read[1]! });
    }
  }
  return found;
}

/**
 * The names of classes that are modules: `base` (the library's, e.g. `Module`, `Linear`), and every
 * class in `source` that extends one of them, directly or through others (`class MLP extends nn.Module`).
 */
export function moduleClassNames(source: string, base: Iterable<string>): Set<string> {
  const names = new Set(base);
  const code = codeOnly(source);
  const extendsOf = [...code.matchAll(/\bclass\s+([\w$]+)(?:\s*<[^{]*?>)?\s+extends\s+([\w$.]+)/g)].map((m) => [m[1]!, m[2]!.split(".").at(-1)!] as const);
  for (let grown = true; grown;) {
    grown = false;
    for (const [name, parent] of extendsOf) {
      if (!names.has(name) && names.has(parent)) {
        names.add(name);
        grown = true;
      }
    }
  }
  return names;
}

/** The library's module classes, read from its bundled declarations: `Module` and every class that extends one. */
export function libraryModuleClasses(dts: string): Set<string> {
  return moduleClassNames(dts.replace(/\bdeclare\s+(abstract\s+)?class\b/g, "class"), ["Module"]);
}

/**
 * The type a TypeScript "not callable" diagnostic names (`Type 'MLP' has no call signatures.`), or
 * undefined for other messages.
 */
export function notCallableType(message: string): string | undefined {
  return /Type '([\w$]+)(?:<[^']*>)?' has no call signatures/.exec(message)?.[1];
}
