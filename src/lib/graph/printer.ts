/** The IR as text (jaxpr/MLIR-like) and as JSON for the Graph panel. */
import type { IRGraph, IRNode, IRValue } from "./ir";
import { nodeResults, typeText } from "./ir";
import { getControlOp } from "./control/registry";
import type { IRGraphJSON } from "../../schema/ir-json";
import { getOp } from "../ops/registry";
import type { OpCategory } from "../../schema/op-category";

/** What kind of op a node is: its primitive's category, or "fused" / "control" for nodes with regions. */
export function nodeCategory(n: IRNode): OpCategory {
  if (n.op === "fused") return "fused";
  if (getControlOp(n.op)) return "control";
  return getOp(n.op).category;
}

function attrText(attrs: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(attrs).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? ` {${parts.join(", ")}}` : "";
}

/** Value numbering local to one graph (%0, %1 … in order of definition; regions number their own). */
function localIds(g: IRGraph, ids = new Map<number, number>()): (v: IRValue | null) => string {
  for (const i of g.inputs) ids.set(i.value.id, ids.size);
  for (const n of g.nodes) for (const v of nodeResults(n)) ids.set(v.id, ids.size);
  return (v) => (v === null ? "none" : `%${ids.get(v.id) ?? `?${v.id}`}`);
}

/** The lines of one node, with its regions printed nested below it (control flow nests deeply). */
function nodeLines(n: IRNode, ref: (v: IRValue | null) => string, indent: string, withLines: boolean): string[] {
  const lines: string[] = [];
  const loc = withLines && n.line !== undefined ? `  # line ${n.line}` : "";
  const control = getControlOp(n.op);
  const fused = n.regions !== undefined && !control;
  const attrs = fused ? "" : attrText(n.attrs);
  const label = fused ? `${n.op}[${((n.attrs.ops as string[]) ?? []).join("+")}]` : n.op;
  const defs = nodeResults(n)
    .map((v) => `${ref(v)}: ${typeText(v)}`)
    .join(", ");
  lines.push(`${indent}${defs} = ${label} ${n.inputs.map(ref).join(", ")}${attrs}${loc}`);
  (n.regions ?? []).forEach((r, k) => {
    const inner = localIds(r);
    const params = r.inputs.map((i) => `${inner(i.value)}: ${typeText(i.value)}${i.source.kind === "arg" ? "" : ` ← ${i.name}`}`).join(", ");
    lines.push(`${indent}  ${control ? `${control.regionNames[k] ?? `region${k}`} ` : ""}(${params}) {`);
    lines.push(...nodesLines(r.nodes, inner, `${indent}    `, false));
    lines.push(`${indent}    yield ${r.outputs.map((o) => inner(o.value)).join(", ")}`);
    lines.push(`${indent}  }`);
  });
  return lines;
}

/**
 * The lines of a list of nodes: runs of nodes traced inside noGrad are wrapped in a
 * `noGrad { … }` block, so the gradient cut is visible where eager code had its noGrad region.
 */
function nodesLines(nodes: readonly IRNode[], ref: (v: IRValue | null) => string, indent: string, withLines: boolean): string[] {
  const lines: string[] = [];
  let open = false;
  for (const n of nodes) {
    const cut = n.noGrad === true;
    if (cut && !open) lines.push(`${indent}noGrad {`);
    if (!cut && open) lines.push(`${indent}}`);
    open = cut;
    lines.push(...nodeLines(n, ref, cut ? `${indent}  ` : indent, withLines));
  }
  if (open) lines.push(`${indent}}`);
  return lines;
}

/** The graph as text: inputs with their sources, one line per node (noGrad regions as blocks), outputs with their sinks. */
export function graphToText(g: IRGraph): string {
  const ref = localIds(g);
  const lines: string[] = [];
  const params = g.inputs.map((i) => `${ref(i.value)}: ${typeText(i.value)}${i.source.kind === "arg" ? "" : ` ← ${i.name}`}`);
  lines.push(`graph ${g.name}(${params.join(", ")}) {`);
  lines.push(...nodesLines(g.nodes, ref, "  ", true));
  const results = g.outputs.filter((o) => o.sink.kind === "result").map((o) => ref(o.value));
  lines.push(`  return ${results.length ? results.join(", ") : "()"}`);
  const writes = g.outputs.filter((o) => o.sink.kind !== "result").map((o) => `${o.name} ← ${ref(o.value)}`);
  if (writes.length) lines.push(`  writes ${writes.join("; ")}`);
  lines.push("}");
  return lines.join("\n");
}

/** The graph as plain data (the shared IR JSON schema), for the panel and for tests. */
export function graphToJSON(g: IRGraph): IRGraphJSON {
  return {
    name: g.name,
    inputs: g.inputs.map((i) => ({ id: i.value.id, shape: [...i.value.shape], dtype: i.value.dtype, name: i.name, kind: i.source.kind })),
    nodes: g.nodes.map((n) => ({
      id: n.id,
      op: n.op,
      category: nodeCategory(n),
      inputs: n.inputs.map((v) => v.id),
      output: n.output.id,
      shape: [...n.output.shape],
      dtype: n.output.dtype,
      attrs: { ...n.attrs },
      line: n.line,
      phase: n.phase,
      ...(n.scope ? { scope: [...n.scope] } : {}),
      ...(n.noGrad ? { noGrad: true } : {}),
      region: n.regions?.[0] ? graphToJSON(n.regions[0]) : undefined,
      results: n.results?.map((v) => ({ id: v.id, shape: [...v.shape], dtype: v.dtype })),
      regions: n.regions && n.regions.length > 1 ? n.regions.map(graphToJSON) : undefined,
      regionNames: getControlOp(n.op)?.regionNames.slice(),
    })),
    outputs: g.outputs.map((o) => ({ id: o.value?.id ?? null, name: o.name, kind: o.sink.kind })),
  };
}
