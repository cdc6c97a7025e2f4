import { describe, expect, it } from "vitest";
import commonWgsl from "../../../shaders/common.wgsl?raw";
import mathWgsl from "../../../shaders/math.wgsl?raw";
import { linkPrelude, parsePrelude } from "../../../src/lib/backend/webgpu/prelude";
import { buildShader } from "../../../src/lib/backend/webgpu/codegen";

const PRELUDE = parsePrelude(`${commonWgsl}\n${mathWgsl}`);
const names = (wgsl: string) => [...wgsl.matchAll(/^(?:@[^\n]*?\s)?(?:fn|struct|var(?:<[^>]*>)?|const)\s+(\w+)/gm)].map((m) => m[1]);

describe("the WGSL prelude a kernel gets", () => {
  it("splits common.wgsl and math.wgsl into declarations that keep every line", () => {
    const code = (s: string) =>
      s
        .split("\n")
        .filter((l) => l.trim() !== "")
        .join("\n");
    expect(code(PRELUDE.map((d) => d.text).join("\n"))).toBe(code(`${commonWgsl}\n${mathWgsl}`));
    const all = PRELUDE.map((d) => d.name);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(
      expect.arrayContaining(["Params", "params", "P", "stridedOffset", "isNanF", "expf", "sigmoidf", "powf", "sinf", "reduceLarge", "f16r"]),
    );
  });

  it("holds what the body names, what those name in turn, the uniform block and float16 rounding; nothing else", () => {
    const linked = linkPrelude(PRELUDE, "fn main() { let y = sigmoidf(PF(3u)); }");
    const got = names(linked);
    expect(got).toEqual(expect.arrayContaining(["Params", "params", "PF", "sigmoidf", "expf", "isNanF"]));
    for (const absent of ["powf", "sinf", "reduceLarge", "stridedOffset", "logf"]) expect(got).not.toContain(absent);
    // float16's rounding is written in after the build (codegen's halfAccesses): always there.
    expect(got).toEqual(expect.arrayContaining(["f16r", "f16r4"]));
    // A name inside a comment is not a use.
    expect(names(linkPrelude(PRELUDE, "// powf\nfn main() {}"))).not.toContain("powf");
  });

  it("a built shader declares every helper it calls", () => {
    const wgsl = buildShader("@compute @workgroup_size(1) fn main() { let v = {{E}}; }", { E: "sinf(logf(PF(0u)))" });
    for (const helper of ["sinf", "sinQuadrant", "reduceLarge", "mulWide", "sinPoly", "cosPoly", "logf", "negInf", "nanF32"])
      expect(names(wgsl)).toContain(helper);
    expect(names(wgsl)).not.toContain("powf");
  });
});
