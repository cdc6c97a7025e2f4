import { describe, expect, it } from "vitest";
import { buildLayoutInput, diffGraphs, expandableIds, opCategory, type IRGraphJSON, type IRNodeJSON } from "../../../src/app/panels/graph/model";
import { layeredLayout, layoutGraph } from "../../../src/app/panels/graph/layout.worker";

const node = (id: number, op: string, inputs: number[], output: number, extra: Partial<IRNodeJSON> = {}): IRNodeJSON => ({
  id,
  op,
  category: "unary",
  inputs,
  output,
  shape: [2, 3],
  dtype: "float32",
  attrs: {},
  ...extra,
});

const traced: IRGraphJSON = {
  name: "f",
  inputs: [{ id: 1, shape: [2, 3], dtype: "float32", name: "arg0", kind: "arg" }],
  nodes: [node(10, "mul", [1, 1], 2), node(11, "add", [2, 1], 3), node(12, "relu", [3], 4), node(13, "exp", [1], 5)],
  outputs: [{ id: 4, name: "result0", kind: "result" }],
};

describe("op categories", () => {
  it("colours a node by the category the IR carries, elementwise categories sharing one colour", () => {
    expect(opCategory({ category: "matmul" })).toBe("matmul");
    expect(opCategory({ category: "reduce" })).toBe("reduce");
    expect(opCategory({ category: "movement" })).toBe("movement");
    expect(opCategory({ category: "control" })).toBe("control");
    expect(opCategory({ category: "fused" })).toBe("fused");
    expect(opCategory({ category: "loss" })).toBe("loss");
    for (const c of ["unary", "binary", "ternary", "cast"] as const) expect(opCategory({ category: c })).toBe("elementwise");
  });
  it("draws a node with its carried category, whatever its name", () => {
    const g: IRGraphJSON = {
      ...traced,
      nodes: [node(10, "crossEntropyGrad", [1], 2, { category: "loss" }), node(11, "atan2", [2, 1], 3, { category: "binary" })],
    };
    const { items } = buildLayoutInput(g, new Set());
    const drawn = [...items.values()].flatMap((it) => (it.kind === "node" ? [[it.node.op, it.category]] : []));
    expect(drawn).toEqual([
      ["crossEntropyGrad", "loss"],
      ["atan2", "elementwise"],
    ]);
  });
});

describe("diffGraphs", () => {
  it("finds added, removed and changed nodes by id", () => {
    const after: IRGraphJSON = {
      ...traced,
      nodes: [node(10, "mul", [1, 1], 2), node(11, "add", [2, 2], 3), node(20, "fused", [3], 6, { attrs: { ops: ["relu"] } })],
    };
    const d = diffGraphs(traced, after);
    expect(d.added.map((n) => n.id)).toEqual([20]);
    expect(d.removed.map((n) => n.id)).toEqual([12, 13]);
    expect(d.changed.map((n) => n.id)).toEqual([11]);
  });
  it("is empty for the same graph", () => {
    const d = diffGraphs(traced, traced);
    expect([d.added.length, d.removed.length, d.changed.length]).toEqual([0, 0, 0]);
  });
});

describe("buildLayoutInput", () => {
  const fusedGraph: IRGraphJSON = {
    ...traced,
    nodes: [
      node(30, "fused", [1], 9, {
        attrs: { kind: "elementwise", ops: ["mul", "relu"] },
        region: {
          name: "mul+relu",
          inputs: [{ id: 100, shape: [2, 3], dtype: "float32", name: "in0", kind: "arg" }],
          nodes: [node(31, "mul", [100, 100], 101), node(32, "relu", [101], 102)],
          outputs: [{ id: 102, name: "out", kind: "result" }],
        },
      }),
    ],
    outputs: [{ id: 9, name: "result0", kind: "result" }],
  };
  it("wires inputs, nodes and outputs with shapes on the edges", () => {
    const inp = buildLayoutInput(traced);
    expect(inp.nodes.map((n) => n.key)).toEqual(["in:1", "n:10", "n:11", "n:12", "n:13", "out:0"]);
    expect(inp.edges).toContainEqual({ from: "n:10", to: "n:11", label: "2×3" });
    expect(inp.edges.filter((e) => e.to === "n:10")).toHaveLength(2);
    expect(inp.edges).toContainEqual({ from: "n:12", to: "out:0", label: "2×3" });
  });
  it("keeps a fused node whole, or expands it into a cluster wired like the node", () => {
    const collapsed = buildLayoutInput(fusedGraph);
    expect(collapsed.clusters.size).toBe(0);
    expect(collapsed.nodes.map((n) => n.key)).toContain("n:30");
    const open = buildLayoutInput(fusedGraph, new Set([30]));
    expect([...open.clusters.keys()]).toEqual(["c:30"]);
    expect(open.nodes.filter((n) => n.parent === "c:30").map((n) => n.key)).toEqual(["n:30/31", "n:30/32"]);
    expect(open.edges).toContainEqual({ from: "in:1", to: "n:30/31", label: "2×3" });
    expect(open.edges).toContainEqual({ from: "n:30/32", to: "out:0", label: "2×3" });
  });
  it("lays out with dagre (the worker's function), clusters included", () => {
    const inp = buildLayoutInput(fusedGraph, new Set([30]));
    const l = layoutGraph({ nodes: inp.nodes, edges: inp.edges, clusters: [...inp.clusters].map(([key, c]) => ({ key, parent: c.parent })) });
    expect(l.boxes).toHaveLength(inp.nodes.length);
    expect(l.engine).toBe("dagre");
    expect(l.clusters[0]!.width).toBeGreaterThan(0);
    const y = (k: string) => l.boxes.find((b) => b.key === k)!.y;
    expect(y("in:1")).toBeLessThan(y("n:30/31"));
    expect(y("n:30/31")).toBeLessThan(y("out:0"));
    expect(l.edges.every((e) => e.points.length >= 2)).toBe(true);
  });
  it("lays out 2 000 nodes", () => {
    const nodes: IRNodeJSON[] = [];
    for (let i = 0; i < 2000; i++) nodes.push(node(1000 + i, i % 3 ? "add" : "mul", i < 2 ? [1] : [2000 + i - 1, 2000 + i - 2], 2000 + i));
    const g: IRGraphJSON = { ...traced, nodes, outputs: [{ id: 3999, name: "r", kind: "result" }] };
    const inp = buildLayoutInput(g);
    const l = layoutGraph({ nodes: inp.nodes, edges: inp.edges, clusters: [] });
    expect(l.boxes).toHaveLength(2002);
  }, 60_000);
});

describe("layout at scale", () => {
  it("lays out a 2 000-node training-step-like graph (200 layers of 10 ops) quickly, in layers", () => {
    const nodes: IRNodeJSON[] = [];
    let prev = 1,
      id = 5000;
    for (let layer = 0; layer < 200; layer++) {
      const a = id++;
      nodes.push(node(a, "matmul", [prev, 1], a));
      let v = a;
      for (let k = 0; k < 9; k++) {
        const b = id++;
        nodes.push(node(b, k % 2 ? "add" : "relu", k % 2 ? [v, a] : [v], b));
        v = b;
      }
      prev = v;
    }
    const g: IRGraphJSON = { ...traced, nodes, outputs: [{ id: prev, name: "r", kind: "result" }] };
    const inp = buildLayoutInput(g);
    const t0 = performance.now();
    const l = layoutGraph({ nodes: inp.nodes, edges: inp.edges, clusters: [] });
    console.log(`2000-node layout: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(l.boxes).toHaveLength(2002);
    expect(l.engine).toBe("layered");
    const y = (k: string) => l.boxes.find((b) => b.key === k)!.y;
    expect(y("n:5000")).toBeLessThan(y("n:5001"));
  }, 20_000);
});

describe("control-flow regions drawn open", () => {
  const region = (name: string, inId: number, nodeId: number, op: string): IRGraphJSON => ({
    name,
    inputs: [{ id: inId, shape: [2, 3], dtype: "float32", name: "x", kind: "arg" }],
    nodes: [node(nodeId, op, [inId], inId + 1)],
    outputs: [{ id: inId + 1, name: "out", kind: "result" }],
  });
  const condGraph: IRGraphJSON = {
    ...traced,
    nodes: [
      node(40, "sum", [1], 7, { shape: [] }),
      node(41, "cond", [7, 1], 8, {
        regions: [region("then", 200, 42, "exp"), region("else", 300, 43, "neg")],
        regionNames: ["then", "else"],
        results: [{ id: 8, shape: [2, 3], dtype: "float32" }],
      }),
    ],
    outputs: [{ id: 8, name: "result0", kind: "result" }],
  };

  it("an open cond: its box, a cluster per region (params, nodes, yield), and an end box its results leave from", () => {
    expect(expandableIds(condGraph)).toEqual([41]);
    const closed = buildLayoutInput(condGraph);
    expect(closed.edges).toContainEqual({ from: "n:41", to: "out:0", label: "2×3" });
    const open = buildLayoutInput(condGraph, new Set([41]));
    expect([...open.clusters.keys()]).toEqual(["r:41/0", "r:41/1"]);
    expect(open.clusters.get("r:41/0")!.title).toBe("cond node 41: then");
    expect(open.nodes.filter((n) => n.parent === "r:41/1").map((n) => n.key)).toEqual(["p:41/1/300", "n:43", "y:41/1"]);
    expect(open.edges).toContainEqual({ from: "n:41", to: "p:41/0/200", label: "2×3" });
    expect(open.edges).toContainEqual({ from: "p:41/0/200", to: "n:42", label: "2×3" });
    expect(open.edges).toContainEqual({ from: "y:41/0", to: "e:41", label: "" });
    expect(open.edges).toContainEqual({ from: "e:41", to: "out:0", label: "2×3" });
    const l = layoutGraph({ nodes: open.nodes, edges: open.edges, clusters: [...open.clusters].map(([key, c]) => ({ key, parent: c.parent })) });
    const y = (k: string) => l.boxes.find((b) => b.key === k)!.y;
    expect(y("n:41")).toBeLessThan(y("n:42"));
    expect(y("n:42")).toBeLessThan(y("e:41"));
    expect(l.clusters.map((c) => c.key)).toEqual(["r:41/0", "r:41/1"]);
  });

  it("the layered layout keeps a chain straight, hangs constants beside it, and boxes nested clusters inside their parents", () => {
    const nodes = [
      { key: "a", width: 60, height: 30 },
      ...Array.from({ length: 20 }, (_, i) => [
        { key: `c${i}`, width: 60, height: 30, parent: i === 5 ? "inner" : i < 10 ? "outer" : undefined },
        { key: `n${i}`, width: 60, height: 30, parent: i === 5 ? "inner" : i < 10 ? "outer" : undefined },
      ]).flat(),
    ];
    const edges = Array.from({ length: 20 }, (_, i) => [
      { from: i === 0 ? "a" : `n${i - 1}`, to: `n${i}`, label: "" },
      { from: `c${i}`, to: `n${i}`, label: "" },
    ]).flat();
    const l = layeredLayout({ nodes, edges, clusters: [{ key: "outer" }, { key: "inner", parent: "outer" }] });
    const at = (k: string) => l.boxes.find((b) => b.key === k)!;
    expect(new Set(Array.from({ length: 20 }, (_, i) => Math.round(at(`n${i}`).x))).size).toBe(1);
    expect(at("c3").y).toBeLessThan(at("n3").y);
    const [outer, inner] = l.clusters;
    expect(inner!.y - inner!.height / 2).toBeGreaterThan(outer!.y - outer!.height / 2);
    expect(inner!.y + inner!.height / 2).toBeLessThan(outer!.y + outer!.height / 2);
    expect(l.width).toBeLessThan(300);
  });
});
