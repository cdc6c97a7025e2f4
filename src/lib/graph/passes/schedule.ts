/**
 * Scheduling: a topological order in which nodes at the same depth (no path between them) are
 * grouped into stages that could run concurrently. Nodes are reordered stage by stage.
 */
import { nodeResults, type IRGraph, type IRNode } from "../ir";
import type { Pass } from "./pass";

/** Stage index of each node (its longest path from the inputs), in graph order. */
export function nodeStages(g: IRGraph): number[] {
  const depthOf = new Map<number, number>();
  return g.nodes.map((n) => {
    let d = 0;
    for (const v of n.inputs) d = Math.max(d, (depthOf.get(v.id) ?? -1) + 1);
    // Random draws keep their order: each takes the next numbers from the generator.
    for (const v of nodeResults(n)) depthOf.set(v.id, d);
    return d;
  });
}

export const scheduling: Pass = {
  name: "schedule",
  title: "Scheduling",
  description: "Orders nodes topologically and groups independent ones into stages that could run concurrently.",
  run(g: IRGraph) {
    const stages = nodeStages(g);
    const randomOrder = g.nodes.filter((n) => n.op === "random");
    const order = g.nodes.map((n, i) => ({ n, s: stages[i], i })).sort((a, b) => a.s - b.s || a.i - b.i);
    const nodes: IRNode[] = order.map((o) => o.n);
    // Keep random nodes in their original relative order (the generator's stream must match eager).
    const reordered = nodes.filter((n) => n.op === "random");
    const randomsKept = reordered.every((n, i) => n === randomOrder[i]);
    const final = randomsKept ? nodes : g.nodes;
    const count = Math.max(0, ...stages) + 1;
    const widest = Math.max(0, ...Array.from({ length: count }, (_, s) => stages.filter((x) => x === s).length));
    const moved = final.filter((n, i) => n !== g.nodes[i]).length;
    return {
      graph: { ...g, nodes: final },
      changes: [
        `${g.nodes.length} nodes in ${g.nodes.length ? count : 0} stages (widest: ${widest} independent nodes)${moved ? `; ${moved} nodes moved` : ""}`,
      ],
    };
  },
};
