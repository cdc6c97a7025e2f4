import { describe, expect, it } from "vitest";
import { generateWebgradDts } from "../../../scripts/webgrad-dts";

describe("bundled library declarations for Monaco", () => {
  it("is one self-contained .d.ts with the public API and its TSDoc", () => {
    const dts = generateWebgradDts();
    expect(dts).toMatch(/export declare function plot\(/);
    expect(dts).toContain("Add a point to a live line chart");
    expect(dts).toMatch(/export declare function onEvent\(/);
    // Self-contained: no imports of the library's internal files.
    expect(dts).not.toMatch(/from "\.\.?\//);
    expect(dts).not.toMatch(/import\("\.\.?\//);
  });
});
