import { describe, expect, it } from "vitest";
import { coursePartNames, exampleForCode, examples, groupExamples, neighbours } from "../../../src/app/examples";

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
      const text = `${e.title} ${e.part} ${e.lesson} ${e.lookAt}`.toLowerCase();
      for (const w of words.toLowerCase().split(" ")) expect(text).toContain(w);
    }
    expect(groupExamples("zzz-no-such-example")).toEqual([]);
    const byPart = groupExamples("Computation graphs");
    expect(byPart.map((g) => g.part)).toContain("Computation graphs");
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

  it("is the example whose title header the code still has, edits below the header included", () => {
    expect(exampleForCode(example.code)).toBe(example);
    expect(exampleForCode(example.code + "\nconsole.log('my edit');\n")).toBe(example);
  });

  it("is none once the header is gone, or for code that is not an example", () => {
    expect(exampleForCode(example.code.split("\n").slice(1).join("\n"))).toBeUndefined();
    expect(exampleForCode('console.log("hi");\n')).toBeUndefined();
    expect(exampleForCode("// title: Something of my own\nconsole.log(1);\n")).toBeUndefined();
  });

  it("has the course's previous and next examples around it", () => {
    expect(neighbours(examples[0]!)).toEqual({ previous: undefined, next: examples[1] });
    expect(neighbours(examples[1]!)).toEqual({ previous: examples[0], next: examples[2] });
    expect(neighbours(examples.at(-1)!).next).toBeUndefined();
  });
});
