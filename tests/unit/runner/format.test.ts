import { describe, expect, it } from "vitest";
import { formatArgs, formatValue, INSPECT } from "../../../src/runner/format";

const plainError = (e: Error) => `${e.name}: ${e.message}`;

describe("console formatting", () => {
  it("prints values like devtools", () => {
    expect(formatArgs(["a", 1, -0, 2n, null, undefined, true], plainError)).toBe("a 1 -0 2n null undefined true");
    expect(formatValue({ a: [1, "x"], "b-c": { d: new Map([[1, 2]]) } })).toBe('{ a: [ 1, "x" ], "b-c": { d: Map(1) { 1 => 2 } } }');
    expect(formatValue(new Float32Array([1, 2.5]))).toBe("Float32Array(2) [ 1, 2.5 ]");
    expect(formatValue(new Set(["a"]))).toBe('Set(1) { "a" }');
    expect(formatValue(function named() {})).toBe("[Function: named]");
    class Point {
      x = 1;
    }
    expect(formatValue(new Point())).toBe("Point { x: 1 }");
  });

  it("survives cycles, depth and size", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(formatValue(a)).toBe('{ name: "a", self: [Circular] }');
    expect(formatValue({ a: { b: { c: { d: { e: 1 } } } } })).toBe("{ a: { b: { c: { d: [Object] } } } }");
    expect(formatValue(Array.from({ length: 150 }, (_, i) => i))).toContain("… 50 more");
  });

  it("awaits inspect methods (tensors) and keeps argument order", async () => {
    const t = { [INSPECT]: async () => "tensor([1, 2])" };
    const out = formatArgs(["x =", t, "!"], plainError);
    expect(out).toBeInstanceOf(Promise);
    expect(await out).toBe("x = tensor([1, 2]) !");
    const failing = {
      [INSPECT]: async () => {
        throw new Error("lost device");
      },
    };
    expect(await formatArgs([failing], plainError)).toBe("[inspect failed: lost device]");
  });

  it("formats errors with the given formatter", () => {
    expect(formatArgs([new TypeError("bad")], plainError)).toBe("TypeError: bad");
  });
});
