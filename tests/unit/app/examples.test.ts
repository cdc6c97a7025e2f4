import { describe, expect, it } from "vitest";
import katex from "katex";
import { courseParts, coursePartNames, exampleCode, examples, parseExampleHeader, plainText } from "../../../src/app/examples";
import { findComments } from "../../../src/app/lessons/comments";
import { linesWith } from "../../../src/app/lessons/lines";
import { texSources } from "../../../src/app/lessons/markup";

/** The code with comment texts blanked: what must not change when comments are translated. */
const withoutCommentText = (code: string): string => {
  let out = "";
  let at = 0;
  for (const c of findComments(code)) {
    out += code.slice(at, c.start);
    at = c.end;
  }
  return out + code.slice(at);
};

describe("examples registry", () => {
  it("reads every example program, and no lesson or exercise file as one", () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) {
      expect(e.id, e.id).toMatch(/^\d\d-[\w-]+$/);
      expect(e.code, e.id).toContain("webgrad");
    }
  });

  it("puts every example in a course part, numbered by its file name's first digit, named in both languages", () => {
    expect(coursePartNames).toEqual(courseParts.map((p) => p.en));
    for (const p of courseParts) expect(p.zh.trim()).not.toBe("");
    for (const e of examples) {
      expect(e.partIndex, e.id).toBe(Number(e.id[0]));
      expect(e.part, e.id).toBe(coursePartNames[e.partIndex]);
    }
  });

  it("parses // key: value lines until the first other line (examples without a lesson file)", () => {
    expect(parseExampleHeader("// title: T\n// look at: the plot\nconst x = 1;\n// lesson: no")).toEqual({ title: "T", "look at": "the plot" });
  });

  it("gives lesson markup as plain text for the menu", () => {
    expect(plainText("The **rule** $f'(x)$ in `grad()`\n and $$a^2$$.")).toBe("The rule f'(x) in grad() and a^2.");
  });
});

describe("every example has its lesson beside it, in both languages", () => {
  for (const e of examples) {
    describe(e.id, () => {
      it("has a lesson file with a title, text and look-at line in English and Chinese, and no header left in the code", () => {
        expect(e.hasLessonFile, `${e.id}.lesson.ts`).toBe(true);
        for (const field of ["title", "body", "lookAt"] as const) {
          expect(e.text[field].en.trim(), `${field}.en`).not.toBe("");
          expect(e.text[field].zh.trim(), `${field}.zh`).not.toBe("");
          expect(e.text[field].zh, `${field}.zh is Chinese`).toMatch(/[\u4e00-\u9fff]/);
        }
        expect(parseExampleHeader(e.code).title, "the old // title: header").toBeUndefined();
      });

      it("ties each formula to exactly one line of the code, and every TeX renders", () => {
        const zh = exampleCode(e, "zh");
        for (const f of e.text.formulas ?? []) {
          expect(linesWith(e.code, f.line), `formula ${f.tex} → line "${f.line}"`).toHaveLength(1);
          // The same line with Chinese comments: a fragment must be code, not comment text.
          expect(linesWith(zh, f.line), `formula ${f.tex} → line "${f.line}" (zh)`).toEqual(linesWith(e.code, f.line));
          expect(() => katex.renderToString(f.tex, { displayMode: true, throwOnError: true }), f.tex).not.toThrow();
        }
        const tex = [e.text.body, e.text.lookAt].flatMap((b) => [...texSources(b.en), ...texSources(b.zh)]);
        for (const source of tex) expect(() => katex.renderToString(source, { throwOnError: true }), source).not.toThrow();
      });

      it("uses only the lesson markup's emphasis (**bold**): a *single-asterisk* word would show its asterisks", () => {
        for (const text of [e.text.body, e.text.lookAt].flatMap((b) => [b.en, b.zh])) {
          const prose = text
            .replace(/\$\$?[^$]+\$\$?/g, "")
            .replace(/`[^`]*`/g, "")
            .replace(/\*\*/g, "");
          expect(prose.match(/\*[^*\s][^*\n]*\*/g) ?? [], "single-asterisk emphasis").toEqual([]);
        }
      });

      it("translates every code comment into Chinese, one line each, leaving the code itself unchanged", () => {
        const comments = e.text.comments ?? {};
        const missing = findComments(e.code)
          .map((c) => c.text)
          .filter((text) => comments[text] === undefined);
        expect(missing, "comments without a Chinese translation").toEqual([]);
        for (const [en, zh] of Object.entries(comments)) {
          expect(zh, en).not.toMatch(/\n|\*\//);
          expect(zh.trim(), en).not.toBe("");
        }
        const zh = exampleCode(e, "zh");
        expect(zh.split("\n").length).toBe(e.code.split("\n").length);
        expect(withoutCommentText(zh)).toBe(withoutCommentText(e.code));
        expect(exampleCode(e, "en")).toBe(e.code);
      });
    });
  }
});
