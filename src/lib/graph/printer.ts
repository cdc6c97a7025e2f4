/** The IR as text (jaxpr/MLIR-like) and as JSON for the Graph panel. */
import type { IRGraph, IRValue } from "./ir";
import { typeText } from "./ir";

function attrText(attrs: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(attrs).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? ` {${parts.join(", ")}}` : "";
}

/** Value numbering local to one graph (%0, %1 … in order of definition). */
function localIds(g: IRGraph): (v: IRValue | null) => string {
  const ids = new Map<number, number>();
  for (const i of g.inputs) ids.set(i.value.id, ids.size);
  for (const n of g.nodes) ids.set(n.output.id, ids.size);
  return (v) => (v === null ? "none" : `%${ids.get(v.id) ?? `?${v.id}`}`);
}

/** The graph as text: inputs with their sources, one line per node, outputs with their sinks. */
export function graphToText(g: IRGraph): string {
  const ref = localIds(g);
  const lines: string[] = [];
  const params = g.inputs.map((i) => `${ref(i.value)}: ${typeText(i.value)}${i.source.kind === "arg" ? "" : ` ← ${i.name}`}`);
  lines.push(`graph ${g.name}(${params.join(", ")}) {`);
  for (const n of g.nodes) {
    const loc = n.line !== undefined ? `  # line ${n.line}` : "";
    lines.push(`  ${ref(n.output)}: ${typeText(n.output)} = ${n.op} ${n.inputs.map(ref).join(", ")}${attrText(n.attrs)}${loc}`);
  }
  const results = g.outputs.filter((o) => o.sink.kind === "result").map((o) => ref(o.value));
  lines.push(`  return ${results.length ? results.join(", ") : "()"}`);
  const writes = g.outputs.filter((o) => o.sink.kind !== "result").map((o) => `${o.name} ← ${ref(o.value)}`);
  if (writes.length) lines.push(`  writes ${writes.join("; ")}`);
  lines.push("}");
  return lines.join("\n");
}

/** A JSON-safe description of a graph (tensors replaced by names). */
export interface GraphJSON {
  name: string;
  inputs: { id: number; shape: number[]; dtype: string; name: string; kind: string }[];
  nodes: { id: number; op: string; inputs: number[]; output: number; shape: number[]; dtype: string; attrs: Record<string, unknown>; line?: number }[];
  outputs: { id: number | null; name: string; kind: string }[];
}

/** The graph as plain data, for the panel and for tests. */
export function graphToJSON(g: IRGraph): GraphJSON {
  return {
    name: g.name,
    inputs: g.inputs.map((i) => ({ id: i.value.id, shape: [...i.value.shape], dtype: i.value.dtype, name: i.name, kind: i.source.kind })),
    nodes: g.nodes.map((n) => ({ id: n.id, op: n.op, inputs: n.inputs.map((v) => v.id), output: n.output.id, shape: [...n.output.shape], dtype: n.output.dtype, attrs: { ...n.attrs }, line: n.line })),
    outputs: g.outputs.map((o) => ({ id: o.value?.id ?? null, name: o.name, kind: o.sink.kind })),
  };
}
