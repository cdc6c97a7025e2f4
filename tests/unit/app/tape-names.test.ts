/** The Tape panel names leaves by the user's variables. */
import { describe, expect, it } from "vitest";
import { leafName, variableOnLine } from "../../../src/app/panels/tape/names";

describe("variableOnLine", () => {
  it("reads the variable a declaration or assignment names", () => {
    expect(variableOnLine("const W = tensor(wInit, { requiresGrad: true });")).toBe("W");
    expect(variableOnLine("  let w1: Tensor = randn([3, 2], { requiresGrad: true })")).toBe("w1");
    expect(variableOnLine("export const $b = zeros([2]).requiresGrad_()")).toBe("$b");
    expect(variableOnLine("W = W.detach().requiresGrad_();")).toBe("W");
  });
  it("gives up on lines that name no single variable", () => {
    expect(variableOnLine("const [a, b] = [randn([2]), randn([2])];")).toBeUndefined();
    expect(variableOnLine("const a = randn([2]), b = randn([2]);")).toBeUndefined();
    expect(variableOnLine("loss.backward();")).toBeUndefined();
    expect(variableOnLine("if (x == y) f();")).toBeUndefined();
    expect(variableOnLine(undefined)).toBeUndefined();
  });
  it("keeps commas inside calls", () => {
    expect(variableOnLine("const W = randn([3, 2], { requiresGrad: true, dtype: x });")).toBe("W");
  });
});

describe("leafName", () => {
  const code = ["import { tensor } from 'webgrad';", "const W = tensor([1, 2], { requiresGrad: true });"];
  it("prefers the tensor's own name, then the variable on its line, then the id", () => {
    expect(leafName({ id: 7, name: "weight", shape: [2], dtype: "float32", gradLine: 2 }, 7, code)).toBe("weight");
    expect(leafName({ id: 7, shape: [2], dtype: "float32", gradLine: 2 }, 7, code)).toBe("W");
    expect(leafName({ id: 7, shape: [2], dtype: "float32", gradLine: 1 }, 7, code)).toBe("t7");
    expect(leafName({ id: 7, shape: [2], dtype: "float32" }, 7, code)).toBe("t7");
    expect(leafName(undefined, 9, code)).toBe("t9");
  });
});
