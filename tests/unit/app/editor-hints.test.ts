import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { codeOnly, libraryModuleClasses, moduleClassNames, notCallableType, unawaitedReads } from "../../../src/app/editor/hints";
import { cachedWebgradDts } from "../../../scripts/vite/webgrad-dts";

const texts = (code: string): string[] => unawaitedReads(code).map((r) => r.text);

describe("editor hint: a tensor read printed without await", () => {
  it("finds item(), tolist() and data() in console.log arguments, templates and sums", () => {
    expect(texts("console.log(loss.item());")).toEqual(["loss.item()"]);
    expect(texts("console.log(`loss ${loss.item()}`);")).toEqual(["loss.item()"]);
    expect(texts('console.log("step", step, "loss", model.forward(x).sum().item());')).toEqual(["model.forward(x).sum().item()"]);
    expect(texts("console.info(x.tolist(), y.data())")).toEqual(["x.tolist()", "y.data()"]);
    expect(texts('console.log("loss " + loss.item().toFixed(3))')).toEqual(["loss.item()"]);
  });

  it("is quiet when the read is awaited or handled with then", () => {
    expect(texts("console.log(await loss.item());")).toEqual([]);
    expect(texts("console.log(`loss ${(await loss.item()).toFixed(4)}`);")).toEqual([]);
    expect(texts('console.log("out", y.shape, "sum", await y.sum().item());')).toEqual([]);
    expect(texts("console.log(await (await w.grad!.data()).length)")).toEqual([]);
    expect(texts("loss.item().then((v) => console.log(v));")).toEqual([]);
  });

  it("looks only at code: not in comments or strings, not outside console calls", () => {
    expect(texts('// console.log(loss.item())\nconsole.log("loss.item()")')).toEqual([]);
    expect(texts("/* console.log(x.item()) */ const v = x.item();")).toEqual([]);
    expect(texts("console.log(`a ${'x.item()'} b`)")).toEqual([]);
  });

  it("gives the span of the expression as written", () => {
    const code = "const a = 1;\nconsole.log( loss.item() );";
    const [read] = unawaitedReads(code);
    expect(read).toMatchObject({ method: "item", text: "loss.item()" });
    expect(code.slice(read!.start, read!.end)).toBe("loss.item()");
  });

  it("flags nothing in the course's examples (they await every read)", () => {
    const dir = new URL("../../../src/examples/", import.meta.url);
    const files = readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f) && !f.includes(".lesson.") && !f.includes(".exercises."));
    expect(files.length).toBeGreaterThan(20);
    const flagged = files.flatMap((f) => texts(readFileSync(new URL(f, dir), "utf8")).map((t) => `${f}: ${t}`));
    expect(flagged).toEqual([]);
  });

  it("blanks strings and comments to the same length, keeping template expressions", () => {
    const src = 'a("x") // c\n`t ${b} u`';
    const out = codeOnly(src);
    expect(out).toHaveLength(src.length);
    expect(out).toBe('a(" ")     \n`  ${b}  `');
  });
});

describe("editor hint: a module called like a function", () => {
  // Outside the test's timeout: on a cache miss the declarations take a minute to generate.
  const dts = cachedWebgradDts();

  it("knows the library's module classes from its declarations", () => {
    const classes = libraryModuleClasses(dts);
    expect(classes).toContain("Module");
    expect(classes).toContain("Linear");
    expect(classes).toContain("Sequential");
    expect(classes).not.toContain("Tensor");
  });

  it("follows the user's classes through nn.Module and through each other", () => {
    const code = "class MLP extends nn.Module { forward(x) { return x; } }\nclass Deep extends MLP {}\nclass Other extends Error {}";
    const names = moduleClassNames(code, ["Module"]);
    expect([...names].sort()).toEqual(["Deep", "MLP", "Module"]);
  });

  it("reads the type TypeScript's 'not callable' message names", () => {
    expect(notCallableType("This expression is not callable.\n  Type 'MLP' has no call signatures.")).toBe("MLP");
    expect(notCallableType("This expression is not callable.\n  Type 'Sequential' has no call signatures.")).toBe("Sequential");
    expect(notCallableType("Cannot find name 'x'.")).toBeUndefined();
  });
});
