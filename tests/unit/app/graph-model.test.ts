import { describe, expect, it } from "vitest";
import {
  buildLayoutInput,
  clusterFrames,
  diffGraphs,
  expandableIds,
  opCategory,
  scopeGroups,
  scopeKey,
  textUnits,
  TITLE_CHAR_W,
  titleLine,
  type IRGraphJSON,
  type IRNodeJSON,
} from "../../../src/app/panels/graph/model";
import { layeredLayout, layoutGraph } from "../../../src/app/panels/graph/layout.worker";
import { clusterTitle } from "../../../src/app/panels/graph/text";

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
    expect(clusterTitle(open.clusters.get("r:41/0")!)).toBe("cond node 41: then");
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

describe("cluster titles (region headers) do not overlap", () => {
  type Rect = { x0: number; y0: number; x1: number; y1: number };
  const overlap = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const inside = (a: Rect, b: Rect) => a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;
  const region = (name: string, inId: number, nodes: IRNodeJSON[], out: number): IRGraphJSON => ({
    name,
    inputs: [{ id: inId, shape: [2], dtype: "float32", name: "c", kind: "arg" }],
    nodes,
    outputs: [{ id: out, name: "out0", kind: "result" }],
  });
  // A while loop (cond and body side by side) whose body holds a cond (then / else side by side), after a scan.
  const innerCond = node(60, "cond", [501, 500], 61, {
    category: "control",
    regions: [region("cond then", 600, [node(62, "exp", [600], 601)], 601), region("cond else", 700, [node(63, "neg", [700], 701)], 701)],
    regionNames: ["then", "else"],
    results: [{ id: 61, shape: [2], dtype: "float32" }],
  });
  const g: IRGraphJSON = {
    name: "f",
    inputs: [{ id: 1, shape: [2], dtype: "float32", name: "arg0", kind: "arg" }],
    nodes: [
      node(50, "while", [1], 51, {
        category: "control",
        regions: [
          region("while cond", 400, [node(52, "sum", [400], 401, { shape: [] }), node(53, "lt", [401], 402, { shape: [] })], 402),
          region("while body", 500, [node(54, "sum", [500], 501, { shape: [] }), innerCond, node(55, "mul", [61], 502)], 502),
        ],
        regionNames: ["cond", "body"],
        results: [{ id: 51, shape: [2], dtype: "float32" }],
      }),
    ],
    outputs: [{ id: 51, name: "result0", kind: "result" }],
  };

  it("stacks nested titles inside their parents' frames and keeps side-by-side titles in their own frames", () => {
    const input = buildLayoutInput(g, new Set([50, 60]));
    const parents = new Map([...input.clusters].map(([k, c]) => [k, c.parent]));
    expect(parents.get("r:60/0")).toBe("r:50/1");
    for (const l of [
      layoutGraph({ nodes: input.nodes, edges: input.edges, clusters: [...input.clusters].map(([key, c]) => ({ key, parent: c.parent })) }),
      layeredLayout({ nodes: input.nodes, edges: input.edges, clusters: [...input.clusters].map(([key, c]) => ({ key, parent: c.parent })) }),
    ]) {
      const frames = [...clusterFrames(l.clusters, parents).values()];
      expect(frames).toHaveLength(4);
      for (const f of frames) {
        expect(inside(f.title, f), `${f.key}'s title inside its frame`).toBe(true);
        const p = parents.get(f.key);
        if (p)
          expect(
            inside(
              f,
              frames.find((x) => x.key === p)!,
            ),
            `${f.key} inside ${p}`,
          ).toBe(true);
        // No box sits in a title band.
        for (const b of l.boxes) {
          const r = { x0: b.x - b.width / 2, y0: b.y - b.height / 2, x1: b.x + b.width / 2, y1: b.y + b.height / 2 };
          if (input.nodes.find((n) => n.key === b.key)?.parent === undefined) continue;
          expect(overlap(f.title, r), `${f.key}'s title over box ${b.key} (${l.engine})`).toBe(false);
        }
      }
      // The title as drawn: from its left edge, as wide as its text (cut to fit) and " — collapse".
      const drawn = frames.map((f) => {
        const line = `${titleLine(clusterTitle(input.clusters.get(f.key)!), "collapse", f.title.maxChars)} — collapse`;
        return { key: f.key, frame: f, x0: f.title.x0, y0: f.title.y0, x1: f.title.x0 + textUnits(line) * TITLE_CHAR_W, y1: f.title.y1 };
      });
      for (const a of drawn) {
        expect(a.x1, `${a.key}'s title fits its frame (${l.engine})`).toBeLessThanOrEqual(a.frame.x1);
        for (const b of drawn) if (a !== b) expect(overlap(a, b), `${a.key} / ${b.key} (${l.engine})`).toBe(false);
      }
    }
  });
});

describe("folding by module scope", () => {
  const at = (id: number, op: string, inputs: number[], scope?: string[], phase?: string) =>
    node(id, op, inputs, id, { ...(scope ? { scope } : {}), ...(phase ? { phase } : {}) });
  const g: IRGraphJSON = {
    name: "step",
    inputs: [{ id: 1, shape: [2, 3], dtype: "float32", name: "x", kind: "arg" }],
    nodes: [
      at(10, "matmul", [1], ["Net", "fc1"]),
      at(11, "add", [10], ["Net", "fc1"]),
      at(12, "relu", [11], ["Net"]),
      at(13, "matmul", [12], ["Net", "fc2"]),
      at(14, "sum", [13]),
      at(15, "mul", [14], ["Net", "fc2"], "backward"),
      at(16, "mul", [15, 12], ["Net", "fc1"], "backward"),
      at(17, "sub", [16, 1], ["optimizer.step"]),
    ],
    outputs: [
      { id: 14, name: "result0", kind: "result" },
      { id: 17, name: "x", kind: "mutation" },
    ],
  };

  it("counts each scope's nodes at every depth, forward and backward apart", () => {
    const groups = scopeGroups(g);
    expect(groups.get(scopeKey(["Net"], false))!.count).toBe(4);
    expect(groups.get(scopeKey(["Net", "fc1"], false))).toMatchObject({ count: 2, topOps: ["add", "matmul"] });
    expect(groups.get(scopeKey(["Net"], true))!.count).toBe(2);
    expect(groups.get(scopeKey(["optimizer.step"], false))!.count).toBe(1);
  });

  it("draws a closed group as one box wired once each way, and an open one as a cluster of its members and subgroups", () => {
    const closed = buildLayoutInput(g, new Set(), new Set());
    // the result is drawn; the write-back of x, made inside the folded optimizer step, is not
    expect(closed.nodes.map((n) => n.key)).toEqual(["in:1", "g:Net", "n:14", "g:∂Net", "g:optimizer.step", "out:0"]);
    expect(closed.items.get("g:Net")).toMatchObject({ kind: "group", group: { count: 4, path: ["Net"] } });
    // x feeds Net once and the optimizer step once, whatever number of member nodes read it
    expect(closed.edges.filter((e) => e.from === "in:1").map((e) => e.to)).toEqual(["g:Net", "g:optimizer.step"]);
    expect(closed.edges).toContainEqual({ from: "g:Net", to: "n:14", label: "2×3" });
    expect(closed.edges.filter((e) => e.from === "g:Net" && e.to === "g:∂Net")).toHaveLength(1);
    expect(closed.edges.some((e) => e.from === e.to)).toBe(false);
    expect(closed.clusters.size).toBe(0);

    const open = buildLayoutInput(g, new Set(), new Set([scopeKey(["Net"], false)]));
    expect(open.nodes.filter((n) => n.parent === "gc:Net").map((n) => n.key)).toEqual(["g:Net/fc1", "n:12", "g:Net/fc2"]);
    expect(open.clusters.get("gc:Net")).toMatchObject({ kind: "group", group: { key: "Net" } });
    const deeper = buildLayoutInput(g, new Set(), new Set(["Net", "Net/fc1"]));
    expect(deeper.nodes.filter((n) => n.parent === "gc:Net/fc1").map((n) => n.key)).toEqual(["n:10", "n:11"]);
    expect(deeper.clusters.get("gc:Net/fc1")!.parent).toBe("gc:Net");
    // A captured tensor (a parameter) is drawn only where a node drawn on its own reads it.
    const withParam: IRGraphJSON = { ...g, inputs: [...g.inputs, { id: 2, shape: [3, 3], dtype: "float32", name: "fc1.weight", kind: "capture" }] };
    withParam.nodes = g.nodes.map((n) => (n.id === 10 ? { ...n, inputs: [1, 2] } : n));
    expect(buildLayoutInput(withParam, new Set(), new Set()).nodes.map((n) => n.key)).not.toContain("in:2");
    expect(buildLayoutInput(withParam, new Set(), new Set(["Net", "Net/fc1"])).edges).toContainEqual({ from: "in:2", to: "n:10", label: "3×3" });
    // Unfolded, every node is drawn as before.
    expect(buildLayoutInput(g).nodes.filter((n) => n.key.startsWith("n:"))).toHaveLength(8);
  });
});
