/**
 * What the Graph panel reads to name and fold a graph: each node's module scope (the nn.Module path,
 * the optimizer step; a gradient node in its forward op's scope), the names of control-flow regions
 * ("scan body", "while cond"), and the names of traces of anonymous or transformed functions.
 */
import { afterEach, describe, expect, it } from "vitest";
import { grad, jit, nn, onEvent, optim, randn, scan, setMode, tensor, whileLoop, zeros, type Tensor, type WebgradEvent } from "webgrad";
import type { IRGraphJSON } from "../../../src/schema/ir-json";

type GraphEvent = Extract<WebgradEvent, { type: "graph" }>;

/** The graph events emitted while `fn` runs in Graph mode. */
function traced(fn: () => void): GraphEvent[] {
  const seen: GraphEvent[] = [];
  const off = onEvent((e) => {
    if (e.type === "graph" && e.phase === "compiled") seen.push(e);
  });
  setMode("graph");
  try {
    fn();
  } finally {
    off();
  }
  return seen;
}

afterEach(() => setMode("eager"));

class Block extends nn.Module {
  fc = nn.linear(3, 3);
  forward(x: Tensor): Tensor {
    return this.fc.forward(x).relu();
  }
}
class Net extends nn.Module {
  blocks = [new Block(), new Block()];
  head = nn.linear(3, 1);
  forward(x: Tensor): Tensor {
    let h = x;
    for (const b of this.blocks) h = b.forward(h);
    return this.head.forward(h);
  }
}

describe("module scopes in the IR", () => {
  it("stamps each node with its module path; gradients with their forward op's; the optimizer's update with its step", () => {
    const model = new Net();
    const opt = optim.sgd(model.parameters(), { lr: 0.1 });
    const step = jit((x: Tensor) => {
      const loss = model.forward(x).square().mean();
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss;
    });
    const [e] = traced(() => void step(randn([4, 3])));
    const nodes = e.stages[0].json.nodes;
    const scopes = new Set(nodes.map((n) => (n.scope ?? []).join(".") + (n.phase === "backward" ? " ∂" : "")));
    for (const s of ["Net.blocks.0.fc", "Net.blocks.1.fc", "Net.head", "Net.blocks.0.fc ∂", "Net.head ∂", "optimizer.step"]) expect(scopes).toContain(s);
    // matmuls of the first block's linear layer, forward and backward
    expect(nodes.some((n) => n.op === "matmul" && n.phase !== "backward" && n.scope?.join(".") === "Net.blocks.0.fc")).toBe(true);
    expect(nodes.some((n) => n.op === "matmul" && n.phase === "backward" && n.scope?.join(".") === "Net.blocks.0.fc")).toBe(true);
    // the loss, outside any module, has no scope
    expect(nodes.find((n) => n.op === "square")!.scope).toBeUndefined();
    // the passes keep scopes (a fused kernel takes its members' common scope)
    const last = e.stages[e.stages.length - 1].json.nodes;
    expect(last.filter((n) => n.scope !== undefined).length).toBeGreaterThan(0);
  });

  it("leaves eager results and module calls as they were (scopes cost a push and a pop)", () => {
    const b = new Block();
    const x = randn([2, 3]);
    expect(b.forward(x).shape).toEqual([2, 3]);
    expect(b.forward.name).toBe("forward");
  });
});

describe("names of traces and regions inside control flow", () => {
  const regionNames = (g: IRGraphJSON): string[] => g.nodes.flatMap((n) => [...(n.regions ?? (n.region ? [n.region] : [])).map((r) => r.name)]);

  it("names a region by its op and role, and by the user's function when it has a name", () => {
    function step(h: Tensor, x: Tensor): [Tensor, Tensor] {
      const next = h.add(x).tanh();
      return [next, next];
    }
    const f = jit((xs: Tensor) => scan(step, zeros([2]), xs)[0].sum(), { name: "rnn" });
    const g = jit((x: Tensor) =>
      whileLoop(
        (c: Tensor) => c.sum().lt(100),
        (c: Tensor) => c.mul(2),
        x,
      ),
    );
    const events = traced(() => {
      f(
        tensor([
          [1, 0],
          [0, 1],
        ]),
      );
      g(tensor([1, 2]));
    });
    expect(regionNames(events[0].stages[0].json)).toEqual(["scan body (step)"]);
    expect(events[1].name).toBe("while cond/body");
    expect(regionNames(events[1].stages[0].json)).toEqual(["while cond", "while body"]);
    expect(events[1].stages[0].text).toContain("graph while cond/body(");
  });

  it("names a trace of grad(f) after f, and its reverse scan plainly", () => {
    const w = tensor([0.5, -0.3]);
    const rnn = (xs: Tensor) => scan((h: Tensor, x: Tensor) => [h.mul(w).add(x).tanh(), h] as [Tensor, Tensor], zeros([2]), xs)[0].sum();
    expect(grad(rnn).name).toBe("grad(rnn)");
    const [e] = traced(
      () =>
        void jit(grad(rnn))(
          tensor([
            [1, 0],
            [0, 1],
          ]),
        ),
    );
    expect(e.name).toBe("grad(rnn)");
    expect(regionNames(e.stages[0].json).every((n) => n.startsWith("scan body"))).toBe(true);
  });
});
