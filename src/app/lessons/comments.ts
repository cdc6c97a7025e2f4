/**
 * Comments in example code follow the UI language: the code stays byte for byte the same, only the
 * text of its comments is swapped for the lesson's translation (`LessonText.comments`).
 *
 * A comment is found by a small scanner that knows string, template and comment syntax, so `//`
 * inside a string (a URL, a printed separator) is not taken for a comment. Each comment is one line
 * (`// …`, or a `/** … *\/` that opens and closes on it), so translating never moves a line: the
 * lesson's formulas and the learner's error messages keep their line numbers.
 * @module
 */

/** A comment found in source code: where its text sits and the text itself. */
export interface CodeComment {
  /** 0-based line. */
  readonly line: number;
  /** Offsets into the whole source of the comment's text (after `//` or `/**` and its spaces, before any `*\/`). */
  readonly start: number;
  readonly end: number;
  /** The text, trimmed: the key of `LessonText.comments`. */
  readonly text: string;
  /** Offsets of the whole comment, its `//` or `/*` and `*\/` included. */
  readonly from: number;
  readonly to: number;
}

/** The single-line comments of `code` (`// …` and one-line `/* … *\/`), in source order. */
export function findComments(code: string): CodeComment[] {
  const out: CodeComment[] = [];
  let line = 0;
  /** Open template literals' `${` depths: a `}` at depth 0 of the innermost one returns into the template. */
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  const n = code.length;
  const add = (from: number, to: number, whole: [number, number]): void => {
    let s = from;
    let e = to;
    while (s < e && /\s/.test(code[s]!)) s++;
    while (e > s && /\s/.test(code[e - 1]!)) e--;
    if (e > s) out.push({ line, start: s, end: e, text: code.slice(s, e), from: whole[0], to: whole[1] });
  };
  const skipString = (quote: string): void => {
    i++;
    while (i < n && code[i] !== quote && code[i] !== "\n") i += code[i] === "\\" ? 2 : 1;
    i++;
  };
  /** Reads template text until its end (returns) or a `${` (pushes and returns). */
  const skipTemplate = (): void => {
    while (i < n) {
      const ch = code[i]!;
      if (ch === "\\") i += 2;
      else if (ch === "`") {
        i++;
        return;
      } else if (ch === "$" && code[i + 1] === "{") {
        i += 2;
        templates.push(braces);
        braces = 0;
        return;
      } else {
        if (ch === "\n") line++;
        i++;
      }
    }
  };
  while (i < n) {
    const ch = code[i]!;
    const next = code[i + 1];
    if (ch === "\n") {
      line++;
      i++;
    } else if (ch === "/" && next === "/") {
      const eol = code.indexOf("\n", i);
      const end = eol < 0 ? n : eol;
      add(i + 2, end, [i, end]);
      i = end;
    } else if (ch === "/" && next === "*") {
      const close = code.indexOf("*/", i + 2);
      const end = close < 0 ? n : close;
      const body = code.slice(i + 2, end);
      if (!body.includes("\n")) add(i + 2 + (body.startsWith("*") ? 1 : 0), end, [i, Math.min(n, end + 2)]);
      for (const c of body) if (c === "\n") line++;
      i = end + 2;
    } else if (ch === '"' || ch === "'") {
      skipString(ch);
    } else if (ch === "`") {
      i++;
      skipTemplate();
    } else if (ch === "{") {
      braces++;
      i++;
    } else if (ch === "}") {
      i++;
      if (braces === 0 && templates.length > 0) {
        braces = templates.pop()!;
        skipTemplate();
      } else braces--;
    } else i++;
  }
  return out;
}

/**
 * `code` with every comment whose text `translations` knows replaced by its translation; comments
 * it does not know stay as written. Nothing else changes.
 */
export function translateComments(code: string, translations: Readonly<Record<string, string>>): string {
  let out = "";
  let at = 0;
  for (const c of findComments(code)) {
    const text = translations[c.text];
    if (text === undefined) continue;
    out += code.slice(at, c.start) + text;
    at = c.end;
  }
  return out + code.slice(at);
}

/** `code` without its single-line comments (markers and text): what stays the same in every language. */
export function stripComments(code: string): string {
  let out = "";
  let at = 0;
  for (const c of findComments(code)) {
    out += code.slice(at, c.from);
    at = c.to;
  }
  return out + code.slice(at);
}
