import { describe, expect, test } from "vitest";
import { gpuElement, halfAccesses, buildShader } from "../../../src/lib/backend/webgpu/codegen";

const src = `@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> E0: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<vec4<f32>>;
fn f(i: u32) {
  let a = A[i + u32(E0[i])];
  C[i / 4u] = vec4<T>(a.x + E0[(i + 1u)], a.y, a.z, C[0].w);
  let e = E0[i] == 2.0;
}`;

describe("halfAccesses", () => {
  test("native f16: declarations become f16, reads widen, stores narrow", () => {
    const h = gpuElement("float16", true);
    const out = halfAccesses(src, [
      { name: "A", elem: h, vec4: true },
      { name: "E0", elem: h },
      { name: "C", elem: h, vec4: true },
    ]);
    expect(out).toMatch(/^enable f16;\n/);
    expect(out).toContain("var<storage, read> A: array<vec4<f16>>;");
    expect(out).toContain("var<storage, read> E0: array<f16>;");
    expect(out).toContain("var<storage, read_write> C: array<vec4<f16>>;");
    expect(out).toContain("let a = vec4<f32>(A[i + u32(f32(E0[i]))]);");
    expect(out).toContain("C[i / 4u] = vec4<f16>(vec4<T>(a.x + f32(E0[(i + 1u)]), a.y, a.z, vec4<f32>(C[0]).w));");
    expect(out).toContain("let e = f32(E0[i]) == 2.0;");
  });

  test("emulated f16: f32 buffers, stores rounded with f16r", () => {
    const h = gpuElement("float16", false);
    const out = halfAccesses(src, [
      { name: "A", elem: h, vec4: true },
      { name: "C", elem: h, vec4: true },
    ]);
    expect(out).toContain("array<vec4<f32>>");
    expect(out).toContain("C[i / 4u] = f16r4(vec4<T>(a.x + E0[(i + 1u)], a.y, a.z, C[0].w));");
    expect(out).toContain("let a = A[i + u32(E0[i])];");
  });

  test("float32 bindings come back unchanged", () => {
    const f = gpuElement("float32", true);
    expect(
      halfAccesses(src, [
        { name: "A", elem: f, vec4: true },
        { name: "C", elem: f, vec4: true },
      ]),
    ).toBe(src);
  });

  test("buildShader enables f16 only when the body names it", () => {
    expect(buildShader("var<private> x: f16;", {})).toMatch(/^enable f16;/);
    expect(buildShader("fn g(x: f32) -> f32 { return f16r(x); }", {})).not.toContain("enable f16");
  });
});
