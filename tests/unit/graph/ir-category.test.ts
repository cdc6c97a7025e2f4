/**
 * Op categories travel with the nodes: the IR JSON the Graph panel draws and the tape events the
 * Tape panel draws say what each node is, from the op's definition (the panels keep no op-name
 * lists of their own).
 */
import { describe, expect, it } from "vitest";
import { grad, jit, nn, onEvent, tensor, type Tensor } from "webgrad";
import { getOp } from "../../../src/lib/ops/registry";
import type { TapeNodeInfo } from "../../../src/lib/events";

const logits = () =>
  tensor(
    [
      [0.5, -1, 2],
      [0.1, 0.2, -0.3],
    ],
    { dtype: "float64" },
  );
const labels = tensor([2, 0], { dtype: "int32" });
const loss = (z: Tensor) => nn.crossEntropy(z.tanh().mul(2), labels);

describe("node categories", () => {
  it("the IR JSON carries each node's category: the backward crossEntropyGrad is a loss, fused kernels are fused", () => {
    const l = jit(grad(loss)).lower(logits());
    const traced = l.json("traced").nodes;
    const ceGrad = traced.find((n) => n.op === "crossEntropyGrad");
    expect(ceGrad?.category).toBe("loss");
    for (const n of traced) expect(n.category, n.op).toBe(getOp(n.op).category);
    const optimized = l.json("optimized").nodes;
    expect(optimized.some((n) => n.op === "fused")).toBe(true);
    for (const n of optimized) expect(n.category, n.op).toBe(n.op === "fused" ? "fused" : getOp(n.op).category);
  });

  it("the tape's record events carry each node's category", () => {
    const recorded: TapeNodeInfo[] = [];
    const off = onEvent((e) => {
      if (e.type === "tape" && e.phase === "record") recorded.push(e.node);
    });
    try {
      const z = logits();
      z.requiresGrad = true;
      loss(z).backward();
    } finally {
      off();
    }
    expect(recorded.map((n) => [n.op, n.category])).toEqual([
      ["tanh", "unary"],
      ["mul", "binary"],
      ["crossEntropy", "loss"],
    ]);
  });
});
