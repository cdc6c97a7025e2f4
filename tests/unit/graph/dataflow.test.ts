import { describe, expect, it } from "vitest";
import { cond, jit, setMode, tensor, whileLoop, onEvent, type Tensor, type WebgradEvent } from "webgrad";
import { bindInputs, dataflowText, dataflowToJSON, lowerToDataflow, runDataflow, showDataflow } from "../../../src/lib/graph/control/dataflow";
import { expectAllClose, values } from "./helpers";
import { buildLayoutInput, nodeKey } from "../../../src/app/panels/graph/model";

/** Lower fn's traced graph for `args`, run it as dataflow, and compare with the region form (jit's executor). */
async function compare(fn: (...xs: Tensor[]) => Tensor, args: Tensor[]) {
  setMode("graph");
  const f = jit(fn);
  const g = f.lower(...args).graph;
  const df = lowerToDataflow(g);
  const run = await runDataflow(df, bindInputs(g, args));
  expectAllClose(run.outputs[0], f(...args), 1e-6);
  return { df, run };
}

const piecewise = (x: Tensor) =>
  cond(
    x.sum().gt(0),
    (v: Tensor) => v.mul(2),
    (v: Tensor) => v.neg(),
    x,
  );
const doubling = (x: Tensor) =>
  whileLoop(
    (c: Tensor) => c.sum().lt(100),
    (c: Tensor) => c.mul(2),
    x,
  );

describe("TF1 dataflow lowering of cond and while (graph/control/dataflow.ts)", () => {
  it("cond: one Switch per operand plus the pivot, one Merge per result; both predicates agree with the region form", async () => {
    for (const x of [tensor([1, 2]), tensor([-1, -2])]) {
      const { df, run } = await compare(piecewise, [x]);
      expect(df.counts.switch).toBe(2); // the operand x, and the pivot (pred switched on itself)
      expect(df.counts.merge).toBe(1);
      expect(df.counts.enter + df.counts.exit).toBe(0);
      // Only the taken branch's op fired: the predicate's ops (sum, gt) and one of mul / neg.
      expect(run.fired.op).toBe(3);
    }
  });

  it("while: Enter, Merge, Switch, Exit, NextIteration per carry; iterations counted by NextIteration", async () => {
    const { df, run } = await compare(doubling, [tensor([1, 2])]);
    expect(df.counts).toMatchObject({ enter: 1, merge: 1, switch: 1, exit: 1, nextIteration: 1, loopCond: 1 });
    // [1, 2] → [64, 128] in 6 doublings: the body ran 6 times, the condition 7.
    expect(values(run.outputs[0])).toEqual([64, 128]);
    expect(run.fired.nextIteration).toBe(6);
    expect(run.fired.loopCond).toBe(7);
    expect(dataflowText(df)).toMatch(/NextIteration\(%\d+\): f32\[2\]\s+\[while0\]/);
  });

  it("a loop-invariant capture enters as a constant; a cond inside the loop body; a while inside a dead branch", async () => {
    const w = tensor([0.5, 3]);
    await compare(
      (x: Tensor) =>
        whileLoop(
          (c: Tensor) => c.sum().lt(50),
          (c: Tensor) =>
            cond(
              c.max().gt(4),
              (v: Tensor) => v.add(w),
              (v: Tensor) => v.mul(w).add(1),
              c,
            ),
          x,
        ),
      [tensor([1, 1])],
    );
    for (const x of [tensor([1, 2]), tensor([-1, -2])]) {
      const { run } = await compare((v: Tensor) => cond(v.sum().gt(0), doubling, (u: Tensor) => u.sub(1), v), [x]);
      expect(run.fired.nextIteration).toBe(x.sum().itemSync() > 0 ? 6 : 0);
    }
  });

  it("two carries and a constant created inside the body (it waits on the loop's pivot)", async () => {
    await compare(
      (x: Tensor, n: Tensor) => {
        const [a, k] = whileLoop(
          ([, i]: Tensor[]) => i.lt(5),
          ([c, i]: Tensor[]) => [c.mul(tensor(1.5)).add(i), i.add(1)],
          [x, n],
        ) as Tensor[];
        return a.add(k);
      },
      [tensor([1, -1]), tensor(0)],
    );
  });

  it("showDataflow draws it in the Graph panel: frames as scopes, control ops as 'control'", () => {
    setMode("graph");
    const df = lowerToDataflow(jit(doubling).lower(tensor([1, 2])).graph);
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    try {
      showDataflow(df);
    } finally {
      off();
    }
    const e = events.find((x) => x.type === "graph");
    if (e?.type !== "graph") throw new Error("no graph event");
    const json = e.stages[0].json;
    expect(json.nodes.filter((n) => n.op === "Switch").every((n) => n.category === "control" && n.results?.length === 2)).toBe(true);
    expect(json.nodes.some((n) => n.scope?.[0]?.startsWith("while"))).toBe(true);
  });

  it("the Graph panel draws the loop's back edge NextIteration → Merge (a value read before the node that makes it)", () => {
    setMode("graph");
    const df = lowerToDataflow(jit(doubling).lower(tensor([1, 2])).graph);
    const json = dataflowToJSON(df, "doubling");
    const input = buildLayoutInput(json, new Set());
    const merge = json.nodes.find((n) => n.op === "Merge")!;
    const next = json.nodes.find((n) => n.op === "NextIteration")!;
    expect(input.edges.some((e) => e.from === nodeKey(next.id) && e.to === nodeKey(merge.id))).toBe(true);
    expect(json.nodes.find((n) => n.op === "Switch")!.shape).toEqual([2]);
  });
});
