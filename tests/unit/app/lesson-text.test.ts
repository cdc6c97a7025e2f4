import { describe, expect, it } from "vitest";
import { findComments, translateComments } from "../../../src/app/lessons/comments";
import { parseInline, parseLessonText, texSources } from "../../../src/app/lessons/markup";
import { lineOf, linesWith } from "../../../src/app/lessons/lines";

describe("code comments", () => {
  const code = [
    "// Fit y = w·x",
    'const url = "https://example.com"; // a URL is a string, not a comment',
    "const s = 'it\\'s // not'; /** one-line doc */",
    "const t = `a ${b ? `x // y` : '//'} c`; //   spaced   ",
    "/* a",
    "   block */ const z = 1;",
    "const q = { a: { b: 1 } }; // after braces",
  ].join("\n");

  it("finds // and one-line /** */ comments with their lines, not // inside strings or templates", () => {
    expect(findComments(code).map((c) => [c.line, c.text])).toEqual([
      [0, "Fit y = w·x"],
      [1, "a URL is a string, not a comment"],
      [2, "one-line doc"],
      [3, "spaced"],
      [6, "after braces"],
    ]);
  });

  it("replaces the text of known comments only, keeping everything else", () => {
    const out = translateComments(code, { "Fit y = w·x": "拟合 y = w·x", spaced: "有空格", "one-line doc": "单行文档" });
    const lines = out.split("\n");
    expect(lines[0]).toBe("// 拟合 y = w·x");
    expect(lines[1]).toBe(code.split("\n")[1]);
    expect(lines[2]).toBe("const s = 'it\\'s // not'; /** 单行文档 */");
    expect(lines[3]).toBe("const t = `a ${b ? `x // y` : '//'} c`; //   有空格   ");
    expect(lines.length).toBe(code.split("\n").length);
  });
});

describe("lesson markup", () => {
  it("splits paragraphs, display math, and inline code, bold and math", () => {
    const blocks = parseLessonText("First `grad(f)` is **exact**: $f'(x)$.\n\nThen\n$$\\frac{a}{b}$$\nafter.");
    expect(blocks).toEqual([
      {
        kind: "paragraph",
        inlines: [
          { kind: "text", text: "First " },
          { kind: "code", text: "grad(f)" },
          { kind: "text", text: " is " },
          { kind: "bold", text: "exact" },
          { kind: "text", text: ": " },
          { kind: "math", tex: "f'(x)" },
          { kind: "text", text: "." },
        ],
      },
      { kind: "paragraph", inlines: [{ kind: "text", text: "Then" }] },
      { kind: "math", tex: "\\frac{a}{b}" },
      { kind: "paragraph", inlines: [{ kind: "text", text: "after." }] },
    ]);
  });

  it("keeps $ inside code literal and lists every TeX source", () => {
    expect(parseInline("`a $b$` and $c$")).toEqual([
      { kind: "code", text: "a $b$" },
      { kind: "text", text: " and " },
      { kind: "math", tex: "c" },
    ]);
    expect(texSources("$x$ and\n\n$$y$$")).toEqual(["x", "y"]);
  });
});

describe("formula lines", () => {
  it("finds the 1-based lines that hold a fragment", () => {
    const code = "a\nconst loss = err * err;\nb\nloss";
    expect(linesWith(code, "err * err")).toEqual([2]);
    expect(lineOf(code, "loss")).toBe(2);
    expect(lineOf(code, "nowhere")).toBeNull();
  });
});
