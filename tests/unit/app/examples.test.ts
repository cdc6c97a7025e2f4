import { describe, expect, it } from "vitest";
import { coursePartNames, examples, parseExampleHeader } from "../../../src/app/examples";

describe("examples registry", () => {
  it("reads every example with a title and lesson from its header", () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) {
      expect(e.title, e.id).not.toBe(e.id);
      expect(e.lesson, e.id).not.toBe("");
      expect(e.code).toContain("webgrad");
    }
  });
  it("puts every example in a course part, numbered by its part", () => {
    for (const e of examples) {
      expect(coursePartNames as readonly string[], e.id).toContain(e.part);
      const digit = Number(e.id[0]);
      // the file name's first digit is the part (Basics also holds 03-gradient-descent)
      expect(coursePartNames[digit], e.id).toBe(e.part);
    }
  });
  it("parses // key: value lines until the first other line", () => {
    expect(parseExampleHeader("// title: T\n// look at: the plot\nconst x = 1;\n// lesson: no")).toEqual({ title: "T", "look at": "the plot" });
  });
});
