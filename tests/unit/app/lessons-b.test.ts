/**
 * The lessons of course parts 3–6 (cluster, distributed algorithms, parallelism, training demos):
 * each example has a lesson beside it, in both languages; every formula points at exactly one
 * line of its example's code and parses as KaTeX; every code comment has a Chinese translation and
 * no translation is left over; and the examples no longer carry the old prose header.
 */
import katex from "katex";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { LessonText } from "../../../src/app/lessons/types";

const codes = import.meta.glob<string>("../../../src/examples/[3-6][0-9]-*.ts", { query: "?raw", import: "default", eager: true });
const lessons = import.meta.glob<LessonText>("../../../src/examples/[3-6][0-9]-*.lesson.ts", { import: "default", eager: true });
const examples = Object.keys(codes)
  .filter((p) => !p.endsWith(".lesson.ts") && !p.endsWith(".exercises.ts"))
  .sort();

/** Every comment's text, line by line: `// x` → "x"; each non-empty line of a block or JSDoc comment. */
function commentTexts(code: string): string[] {
  const sf = ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest, true);
  const seen = new Map<number, string[]>();
  const add = (pos: number, end: number, kind: ts.CommentKind): void => {
    if (seen.has(pos)) return;
    const raw = code.slice(pos, end);
    const texts =
      kind === ts.SyntaxKind.SingleLineCommentTrivia
        ? [raw.replace(/^\/\/\s?/, "").trim()]
        : raw
            .replace(/^\/\*\*?/, "")
            .replace(/\*\/$/, "")
            .split("\n")
            .map((l) => l.replace(/^\s*\*\s?/, "").trim());
    seen.set(
      pos,
      texts.filter((t) => t.length > 0),
    );
  };
  const visit = (n: ts.Node): void => {
    ts.forEachLeadingCommentRange(code, n.getFullStart(), add);
    ts.forEachTrailingCommentRange(code, n.end, add);
    n.forEachChild(visit);
  };
  visit(sf);
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, t]) => t);
}

/** The TeX pieces of a body: $$display$$ and $inline$. */
function texOf(body: string): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  const rest = body.replace(/\$\$([^$]+)\$\$/g, (_, t: string) => (out.push({ tex: t, display: true }), ""));
  for (const m of rest.matchAll(/\$([^$]+)\$/g)) out.push({ tex: m[1]!, display: false });
  return out;
}

const parses = (tex: string, displayMode: boolean): string | undefined => {
  try {
    katex.renderToString(tex, { throwOnError: true, displayMode, strict: "error" });
    return undefined;
  } catch (e) {
    return `${tex}: ${(e as Error).message}`;
  }
};

describe("lessons of parts 3–6", () => {
  it("covers every example of parts 3–6", () => {
    expect(examples.length).toBeGreaterThanOrEqual(25); // the glob found them (parts 3–6 had 25 examples at the last count)
    for (const p of examples) expect(lessons[p.replace(/\.ts$/, ".lesson.ts")], p).toBeDefined();
  });

  for (const path of examples) {
    const id = path.replace(/^.*\//, "").replace(/\.ts$/, "");
    const code = codes[path]!;
    const lesson = lessons[path.replace(/\.ts$/, ".lesson.ts")]!;

    describe(id, () => {
      it("has the text in both languages, with Chinese in the Chinese", () => {
        for (const t of [lesson.title, lesson.body, lesson.lookAt]) {
          expect(t.en.trim().length).toBeGreaterThan(0);
          expect(t.zh).toMatch(/[\u4e00-\u9fff]/);
        }
        expect(lesson.body.en.split("\n\n").length).toBe(lesson.body.zh.split("\n\n").length);
        expect(["tape", "graph", "kernels", "cluster", "plots", "console"]).toContain(lesson.panel);
      });

      it("no longer carries the prose header in its code", () => {
        expect(code).not.toMatch(/^\/\/ (title|part|lesson|look at|panel):/m);
      });

      it("ties each formula to exactly one line of the code, and the TeX parses", () => {
        const lines = code.split("\n");
        for (const f of lesson.formulas ?? []) {
          expect(lines.filter((l) => l.includes(f.line)).length, f.line).toBe(1);
          expect(parses(f.tex, true)).toBeUndefined();
          if (f.label) expect(f.label.zh, f.line).toMatch(/[\u4e00-\u9fff]/);
        }
      });

      it("has TeX in its body that parses, in both languages", () => {
        for (const body of [lesson.body.en, lesson.body.zh]) for (const { tex, display } of texOf(body)) expect(parses(tex, display)).toBeUndefined();
      });

      it("translates every code comment, and only those", () => {
        const texts = commentTexts(code);
        const comments = lesson.comments ?? {};
        // Chinese characters, or at least Chinese punctuation ("x、y：[64, 1]").
        for (const t of texts) expect(comments[t], `no translation for "${t}"`).toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
        for (const k of Object.keys(comments)) expect(texts, `stale translation "${k}"`).toContain(k);
      });
    });
  }
});
