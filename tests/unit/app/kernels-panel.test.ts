import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { outlineWgsl } from "../../../src/app/panels/kernels/wgsl-outline";
import { memoryFigures } from "../../../src/app/panels/kernels/memory";

const shader = (name: string) => readFileSync(fileURLToPath(new URL(`../../../shaders/${name}.wgsl`, import.meta.url)), "utf8");

describe("Kernels panel: the WGSL outline", () => {
  const src = [
    "struct Slot { count: u32 }",
    "@group(0) @binding(0) var<storage, read> a: array<f32>;",
    "// The flat id of a workgroup",
    "fn groupId(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {",
    "  return wid.x + wid.y * nwg.x; // { not a brace",
    "}",
    "fn P(x: i32) -> i32 { return x; }",
    "/* a block { comment",
    "   fn notAFunction() { */",
    "@compute @workgroup_size(64)",
    "fn main(@builtin(workgroup_id) wid: vec3<u32>) {",
    "  if (true) {",
    "    let i = 0u;",
    "  }",
    "}",
    "",
  ].join("\n");
  it("cuts the module into the rest, the helpers with their comments, and the entry point with its attributes", () => {
    const blocks = outlineWgsl(src);
    expect(blocks.map((b) => [b.kind, b.name, b.start, b.lines])).toEqual([
      ["other", undefined, 0, 2],
      ["helper", "groupId", 2, 4],
      ["helper", "P", 6, 1],
      ["other", undefined, 7, 2],
      ["entry", "main", 9, 6],
      ["other", undefined, 15, 1],
    ]);
    expect(blocks[1].signature).toBe("fn groupId(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {");
    expect(blocks[4].text.split("\n")[0]).toBe("@compute @workgroup_size(64)");
    // Nothing is lost: the blocks put back together are the module.
    expect(blocks.map((b) => b.text).join("\n")).toBe(src);
  });
  it("finds one entry point after the helpers in every shader template of the backend", () => {
    for (const name of ["argreduce", "crossentropy", "matmul", "elementwise", "softmax", "layernorm"]) {
      const text = shader(name);
      const blocks = outlineWgsl(text);
      const entries = blocks.filter((b) => b.kind === "entry");
      expect(
        entries.map((b) => b.name),
        name,
      ).toEqual(["main"]);
      expect(blocks.map((b) => b.text).join("\n"), name).toBe(text);
    }
  });
});

describe("Kernels panel: memory figures", () => {
  it("reads the latest, peak and pooled bytes even from a single submit", () => {
    expect(memoryFigures({ submit: [0], liveBytes: [4096], pooledBytes: [1024] })).toEqual({ submits: 1, live: 4096, pooled: 1024, peakLive: 4096 });
    expect(memoryFigures({ submit: [0, 1, 2], liveBytes: [10, 30, 20], pooledBytes: [0, 5, 15] })).toEqual({ submits: 3, live: 20, pooled: 15, peakLive: 30 });
    expect(memoryFigures({ submit: [], liveBytes: [], pooledBytes: [] })).toBeNull();
  });
});
