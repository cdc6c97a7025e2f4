import { describe, expect, it } from "vitest";
import ts from "typescript";
import { decodeMappings, isUserFrame, mapStack, originalPosition, userFrames, userLineFromStack } from "../../../src/runner/sourcemap";
import { formatErrorText } from "../../../src/runner/format";

/** Transpiles like the editor's TS worker does (types stripped, source map on). */
function transpile(code: string): { js: string; mappings: string } {
  const out = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, sourceMap: true },
    fileName: "main.ts",
  });
  return { js: out.outputText, mappings: JSON.parse(out.sourceMapText!).mappings };
}

const TS = [
  "interface Point {", //  1: erased
  "  x: number;", //       2
  "  y: number;", //       3
  "}", //                  4
  "type Id = string;", //  5: erased
  "", //                   6
  "const p: Point = { x: 1, y: 2 };", // 7
  "function boom(msg: string): never {", // 8
  "  throw new Error(msg);", // 9
  "}", // 10
  "boom(`at ${p.x}`);", // 11
].join("\n");

describe("source maps", () => {
  it("decodes VLQ mappings and maps generated positions back to TypeScript lines", () => {
    const { js, mappings } = transpile(TS);
    const decoded = decodeMappings(mappings);
    const jsLines = js.split("\n");
    const throwLine = jsLines.findIndex((l) => l.includes("throw new Error")) + 1;
    const callLine = jsLines.findIndex((l) => l.startsWith("boom(")) + 1;
    expect(throwLine).toBeLessThan(9); // the interface and type alias were erased
    expect(originalPosition(decoded, throwLine, 3)?.line).toBe(9);
    expect(originalPosition(decoded, callLine, 1)?.line).toBe(11);
  });

  it("rewrites V8 stack frames in the user's module and keeps the others", () => {
    const { js, mappings } = transpile(TS);
    const decoded = decodeMappings(mappings);
    const url = "blob:http://localhost:4173/1234-5678";
    const jsLines = js.split("\n");
    const throwLine = jsLines.findIndex((l) => l.includes("throw new Error")) + 1;
    const callLine = jsLines.findIndex((l) => l.startsWith("boom(")) + 1;
    const stack = [
      "Error: at 1",
      `    at boom (${url}:${throwLine}:11)`,
      `    at ${url}:${callLine}:1`,
      "    at matmul (http://localhost:4173/assets/worker-abc.js:10:20)",
    ].join("\n");
    const frames = mapStack(stack, url, () => decoded);
    expect(frames[0]).toMatchObject({ text: expect.stringMatching(/^boom \(main\.ts:9:\d+\)$/), line: 9 });
    expect(frames[1]).toMatchObject({ line: 11 });
    expect(frames[2]).toEqual({ text: "matmul (http://localhost:4173/assets/worker-abc.js:10:20)" });
    expect(userLineFromStack(stack, url, () => decoded)).toBe(9);
    expect(userLineFromStack("Error\n    at x (other.js:1:1)", url, () => decoded)).toBeUndefined();
  });

  it("tells the user's frames from the library's minified ones, and prints only the user's", () => {
    const { js, mappings } = transpile(TS);
    const decoded = decodeMappings(mappings);
    const url = "blob:http://localhost:4173/1234-5678";
    const jsLines = js.split("\n");
    const throwLine = jsLines.findIndex((l) => l.includes("throw new Error")) + 1;
    const callLine = jsLines.findIndex((l) => l.startsWith("boom(")) + 1;
    const stack = [
      "Error: shape mismatch",
      "    at Ge (http://localhost:4173/assets/worker-Bx81.js:3:52011)",
      "    at Tensor.matmul (http://localhost:4173/assets/worker-Bx81.js:3:60177)",
      `    at boom (${url}:${throwLine}:11)`,
      `    at ${url}:${callLine}:1`,
      "    at new Promise (<anonymous>)",
      "    at Me (http://localhost:4173/assets/worker-Bx81.js:9:1200)",
    ].join("\n");
    const frames = mapStack(stack, url, () => decoded);
    // "<anonymous>" frames carry no position and are not frames for mapStack at all.
    expect(frames).toHaveLength(5);
    expect(frames.map(isUserFrame)).toEqual([false, false, true, true, false]);
    const mine = userFrames(frames);
    expect(mine.map((f) => f.line)).toEqual([9, 11]);
    const text = formatErrorText({ name: "Error", message: "shape mismatch" }, mine);
    expect(text).toMatch(/^Error: shape mismatch\n {4}at boom \(main\.ts:9:\d+\)\n {4}at main\.ts:11:\d+$/);
    expect(text).not.toContain("worker-");
    expect(text).not.toContain("<anonymous>");
    expect(formatErrorText({ name: "RangeError", message: "m" }, [])).toBe("RangeError: m");
  });

  it("tolerates an empty map and odd stacks", () => {
    expect(decodeMappings("")).toEqual([[]]);
    expect(mapStack(undefined, "u", () => [])).toEqual([]);
    expect(mapStack("just a message", "u", () => [])).toEqual([]);
  });
});
