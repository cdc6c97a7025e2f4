import { describe, expect, it } from "vitest";
import { codeForLocale, coursePartNames, exampleCode, exampleForCode, examples, groupExamples, neighbours } from "../../../src/app/examples";

describe("Examples menu groups", () => {
  it("lists every example once, grouped by course part in course order", () => {
    const groups = groupExamples();
    expect(groups.flatMap((g) => g.examples.map((e) => e.id))).toEqual(examples.map((e) => e.id));
    const indices = groups.map((g) => g.index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    for (const g of groups) {
      expect(coursePartNames[g.index]).toBe(g.part);
      for (const e of g.examples) expect(e.part).toBe(g.part);
    }
  });

  it("filters by every typed word, in any of title, part, lesson and look-at, ignoring case", () => {
    const target = examples.find((e) => e.id.startsWith("13"))!; // dual numbers
    const words = target.title
      .split(/\s+/)
      .filter((w) => w.length > 3)
      .slice(0, 2)
      .join(" ")
      .toUpperCase();
    const hits = groupExamples(words).flatMap((g) => g.examples);
    expect(hits).toContain(target);
    for (const e of hits) {
      const text = [e.text.title, e.text.body, e.text.lookAt, { en: e.part, zh: "" }]
        .flatMap((b) => [b.en, b.zh])
        .join(" ")
        .toLowerCase();
      for (const w of words.toLowerCase().split(" ")) expect(text).toContain(w);
    }
    expect(groupExamples("zzz-no-such-example")).toEqual([]);
    const byPart = groupExamples("Computation graphs");
    expect(byPart.map((g) => g.part)).toContain("Computation graphs");
  });

  it("finds examples by their Chinese title and part name too", () => {
    const target = examples.find((e) => e.id.startsWith("13"))!;
    const word = target.text.title.zh.slice(0, 4);
    expect(groupExamples(word).flatMap((g) => g.examples)).toContain(target);
    expect(groupExamples("计算图").map((g) => g.part)).toContain("Computation graphs");
  });

  it("ranks title matches first, so the filter's first hit (Enter) is the example named so", () => {
    const hits = groupExamples("ring").flatMap((g) => g.examples);
    expect(hits[0]!.title).toMatch(/^Ring vs tree/);
    // Lessons that only mention a ring (or a "string") come after every title match.
    const inTitle = hits.map((e) => e.title.toLowerCase().includes("ring"));
    expect(inTitle.indexOf(false)).toBeGreaterThan(inTitle.lastIndexOf(true));
    expect(inTitle.includes(false)).toBe(true);
    // Several words: all of them in the title counts as a title match.
    expect(groupExamples("TREE ring")[0]!.examples[0]!.title).toMatch(/^Ring vs tree/);
    // Without a query, nothing is reordered (course order, checked above).
    expect(groupExamples("").flatMap((g) => g.examples)).toEqual([...examples]);
  });
});

describe("the lesson an editor's code belongs to", () => {
  const example = examples[1]!;
  const lines = example.code.split("\n");

  it("is the example the learner loaded while they edit it, in either language", () => {
    expect(exampleForCode(example.code, example.id)).toBe(example);
    expect(exampleForCode(exampleCode(example, "zh"), example.id)).toBe(example);
    expect(exampleForCode(example.code + "\nconsole.log('my edit');\n", example.id)).toBe(example);
    // Half of it rewritten: still the learner working through that example.
    expect(exampleForCode(lines.slice(0, Math.ceil(lines.length * 0.7)).join("\n"), example.id)).toBe(example);
  });

  it("is none once the code is the learner's own", () => {
    expect(exampleForCode('console.log("all my own");\n', example.id)).toBeUndefined();
    expect(exampleForCode('console.log("hi");\n')).toBeUndefined();
    expect(exampleForCode("// title: Something of my own\nconsole.log(1);\n")).toBeUndefined();
    expect(exampleForCode('console.log("hi");\n', "99-no-such-example")).toBeUndefined();
  });

  it("is the example the code is, edited or not, when none was loaded (a share link)", () => {
    for (const e of examples) {
      expect(exampleForCode(e.code)?.id).toBe(e.id);
      expect(exampleForCode(exampleCode(e, "zh"))?.id).toBe(e.id);
    }
    expect(exampleForCode(example.code + "\nconsole.log('my edit');\n")).toBe(example);
  });

  it("follows a language change while unedited, and never rewrites the learner's edits", () => {
    const zh = exampleCode(example, "zh");
    expect(zh).not.toBe(example.code);
    expect(codeForLocale(example, example.code, "zh")).toBe(zh);
    expect(codeForLocale(example, zh, "en")).toBe(example.code);
    expect(codeForLocale(example, zh, "zh")).toBeUndefined();
    expect(codeForLocale(example, example.code + "\n// mine\n", "zh")).toBeUndefined();
    expect(codeForLocale(example, zh.replace("\n", "\n\n"), "en")).toBeUndefined();
  });

  it("has the course's previous and next examples around it", () => {
    expect(neighbours(examples[0]!)).toEqual({ previous: undefined, next: examples[1] });
    expect(neighbours(examples[1]!)).toEqual({ previous: examples[0], next: examples[2] });
    expect(neighbours(examples.at(-1)!).next).toBeUndefined();
  });
});
