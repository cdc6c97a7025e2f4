/** Dead-code elimination: drop pure nodes whose value reaches no output. */
import { nodeResults, type IRGraph } from "../ir";
import type { Pass } from "./pass";
import { isPure } from "./util";

export const deadCodeElimination: Pass = {
  name: "dce",
  title: "Dead-code elimination",
  description: "Removes nodes whose results are never used by an output.",
  run(g: IRGraph) {
    const live = new Set<number>();
    for (const o of g.outputs) if (o.value) live.add(o.value.id);
    const keep = new Array<boolean>(g.nodes.length).fill(false);
    for (let i = g.nodes.length - 1; i >= 0; i--) {
      const n = g.nodes[i];
      if (nodeResults(n).some((v) => live.has(v.id)) || !isPure(n)) {
        keep[i] = true;
        for (const v of n.inputs) live.add(v.id);
      }
    }
    const removed = g.nodes.filter((_, i) => !keep[i]);
    return {
      graph: { ...g, nodes: g.nodes.filter((_, i) => keep[i]) },
      changes: removed.map((n) => `removed unused ${n.op} (node ${n.id})`),
    };
  },
};
