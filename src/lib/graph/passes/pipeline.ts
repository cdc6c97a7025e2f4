/**
 * The pass pipeline: a table of passes run in order, each one recording a snapshot of the graph
 * after it, what it changed, and stats (nodes, kernels, peak memory). Any pass can be switched off.
 */
import type { IRGraph } from "../ir";
import type { Pass } from "./pass";
import { algebraicSimplification } from "./simplify";
import { constantFolding } from "./constfold";
import { commonSubexpressionElimination } from "./cse";
import { deadCodeElimination } from "./dce";
import { fusion } from "./fusion";
import { horizontalFusion } from "./fusion-horizontal";
import { multiOutputFusion } from "./fusion-dag";
import { scheduling } from "./schedule";
import { memoryPlanning, planMemory } from "./memory";
import { kernelCount } from "./util";
import { WebgradError } from "../../errors";
import { getControlOp } from "../control/registry";

/** The passes, in the order they run. */
const PIPELINE: readonly Pass[] = [
  algebraicSimplification,
  constantFolding,
  commonSubexpressionElimination,
  deadCodeElimination,
  fusion,
  multiOutputFusion,
  horizontalFusion,
  scheduling,
  memoryPlanning,
];

/** Numbers shown for each stage of the pipeline. */
export interface GraphStats {
  nodes: number;
  kernels: number;
  /** Peak bytes of intermediates with liveness-based reuse, in the graph's order. */
  peakBytes: number;
}

/** The graph after one pass. */
export interface PassSnapshot {
  pass: string;
  title: string;
  enabled: boolean;
  changes: string[];
  graph: IRGraph;
  stats: GraphStats;
}

const disabled = new Set<string>();

/** Switch a pass on or off (by name: simplify, constfold, cse, dce, fusion, hfusion, schedule, memory). */
export function setPassEnabled(name: string, on: boolean): void {
  if (!PIPELINE.some((p) => p.name === name))
    throw new WebgradError("setPassEnabled", `no pass named "${name}" (passes: ${PIPELINE.map((p) => p.name).join(", ")})`);
  if (on) disabled.delete(name);
  else disabled.add(name);
}

/** The passes and whether each is on. */
export function passes(): { name: string; title: string; description: string; enabled: boolean }[] {
  return PIPELINE.map((p) => ({ name: p.name, title: p.title, description: p.description, enabled: !disabled.has(p.name) }));
}

/** Stats of a graph. */
function graphStats(g: IRGraph): GraphStats {
  return { nodes: g.nodes.length, kernels: kernelCount(g), peakBytes: planMemory(g).peakAfter };
}

/**
 * Run a pass on a graph and, first, inside the regions of its control-flow nodes (each region
 * is optimized on its own; nothing moves or fuses across a region's boundary).
 */
function runPassDeep(p: Pass, g: IRGraph): { graph: IRGraph; changes: string[] } {
  const changes: string[] = [];
  let touched = false;
  const nodes = g.nodes.map((n) => {
    const control = getControlOp(n.op);
    if (!control || !n.regions) return n;
    const regions = n.regions.map((r, k) => {
      const inner = runPassDeep(p, r);
      if (inner.graph !== r) touched = true;
      const where = `${n.op} (node ${n.id}) ${control.regionNames[k] ?? `region ${k}`}`;
      changes.push(...inner.changes.map((c) => `in ${where}: ${c}`));
      return inner.graph;
    });
    return touched ? { ...n, regions } : n;
  });
  const outer = p.run(touched ? { ...g, nodes } : g);
  return { graph: outer.graph, changes: [...outer.changes, ...changes] };
}

/** Run the pipeline: the final graph and a snapshot per stage (the traced graph first). */
export function optimize(traced: IRGraph): { graph: IRGraph; snapshots: PassSnapshot[] } {
  const snapshots: PassSnapshot[] = [{ pass: "traced", title: "Traced", enabled: true, changes: [], graph: traced, stats: graphStats(traced) }];
  let g = traced;
  for (const p of PIPELINE) {
    const on = !disabled.has(p.name);
    const r = on ? runPassDeep(p, g) : { graph: g, changes: ["(switched off)"] };
    g = r.graph;
    snapshots.push({ pass: p.name, title: p.title, enabled: on, changes: r.changes, graph: g, stats: graphStats(g) });
  }
  return { graph: g, snapshots };
}
