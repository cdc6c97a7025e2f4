/** Common-subexpression elimination: one node per (op, inputs, attributes). */
import type { IRGraph, IRNode, IRValue } from "../ir";
import type { Pass } from "./pass";
import { isPure, substitute } from "./util";

export const commonSubexpressionElimination: Pass = {
  name: "cse",
  title: "Common-subexpression elimination",
  description: "Merges nodes that compute the same op on the same inputs with the same attributes.",
  run(g: IRGraph) {
    const seen = new Map<string, IRNode>();
    const map = new Map<number, IRValue>();
    const changes: string[] = [];
    const nodes: IRNode[] = [];
    for (const n0 of g.nodes) {
      const n = n0.inputs.some((v) => map.has(v.id)) ? { ...n0, inputs: n0.inputs.map((v) => map.get(v.id) ?? v) } : n0;
      if (!isPure(n) || n.regions) {
        nodes.push(n);
        continue;
      }
      // A node traced inside noGrad cuts gradients, and one whose saved inputs were changed in
      // place refuses a backward: neither is the same as its plain twin.
      const key = `${n.op}(${n.inputs.map((v) => v.id).join(",")})${JSON.stringify(n.attrs)}${n.noGrad ? " noGrad" : ""}${n.staleSaved ? ` stale${JSON.stringify(n.staleSaved)}` : ""}`;
      const prev = seen.get(key);
      if (prev) {
        map.set(n.output.id, prev.output);
        changes.push(`${n.op} (node ${n.id}) is the same as node ${prev.id}`);
      } else {
        seen.set(key, n);
        nodes.push(n);
      }
    }
    return { graph: substitute({ ...g, nodes }, map), changes };
  },
};
