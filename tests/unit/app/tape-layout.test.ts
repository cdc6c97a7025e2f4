import { describe, expect, it } from "vitest";
import { layoutTape, BOX_H } from "../../../src/app/panels/tape/layout";
import type { TapeNodeInfo } from "../../../src/lib/events";

const node = (id: number, op: string, inputs: number[], output: number): TapeNodeInfo => ({
  id,
  op,
  category: op === "mul" || op === "add" ? "binary" : "unary",
  inputs,
  output,
  shape: [2],
  dtype: "float32",
  savedBytes: 0,
});

describe("tape layout", () => {
  it("puts leaves on top and each op one row below its deepest input", () => {
    const nodes = [node(1, "mul", [10, 11], 20), node(2, "exp", [20], 21), node(3, "add", [21, 10], 22)];
    const leaves = new Map([[10, { id: 10, name: "x", shape: [2], dtype: "float32" }]]);
    const { boxes, edges } = layoutTape(nodes, leaves);
    const at = (key: string) => boxes.find((b) => b.key === key)!;
    expect(at("t10").y).toBe(0);
    expect(at("t11").kind).toBe("leaf");
    expect(at("op1").y).toBeGreaterThan(at("t10").y);
    expect(at("op2").y).toBeGreaterThan(at("op1").y);
    expect(at("op3").y).toBeGreaterThan(at("op2").y);
    expect(at("t10").label).toBe("x");
    // every input is an edge, and edges run downward
    expect(edges.length).toBe(5);
    for (const e of edges) expect(e.y2).toBeGreaterThan(e.y1 - BOX_H);
  });
});
