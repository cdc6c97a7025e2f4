/**
 * Control flow → ONNX: `cond` is an If, `scan` a Scan, `while` a Loop. Each body becomes a
 * subgraph; values it closed over are read from the enclosing graph by name (ONNX's outer scope).
 */
import type { IRNode } from "../ir";
import { nodeResults } from "../ir";
import type { OnnxGraph, OnnxNode, OnnxValueInfo } from "./model";
import type { EmitContext, Rule } from "./ops";

const info = (name: string, v: { shape: readonly number[]; dtype: OnnxValueInfo["dtype"] }): OnnxValueInfo => ({ name, dims: [...v.shape], dtype: v.dtype });

/** Give a body's outputs names and types of their own (an Identity each): ONNX names are SSA. */
function bodyOutputs(
  ctx: EmitContext,
  names: string[],
  types: readonly { shape: readonly number[]; dtype: OnnxValueInfo["dtype"] }[],
  into: OnnxNode[],
  hint: string,
): OnnxValueInfo[] {
  return names.map((n, k) => {
    const out = ctx.fresh(`${hint}_out${k}`);
    into.push({ op: "Identity", inputs: [n], outputs: [out], name: ctx.fresh(`Identity_${hint}${k}`) });
    return info(out, types[k]);
  });
}

const condRule: Rule = (n, ctx) => {
  const [pred, ...ops] = n.inputs;
  const args = ops.map((v) => ctx.name(v));
  const results = nodeResults(n);
  const branch = (k: number, label: string): OnnxGraph => {
    const nodes: OnnxNode[] = [];
    const outs = ctx.inline(n.regions![k], args, nodes);
    return { name: ctx.fresh(label), nodes, inputs: [], outputs: bodyOutputs(ctx, outs, results, nodes, label), initializers: [] };
  };
  ctx.node(
    "If",
    [ctx.name(pred)],
    results.map((v) => ctx.name(v)),
    { then_branch: { graph: branch(0, "then") }, else_branch: { graph: branch(1, "else") } },
  );
};

const scanRule: Rule = (n: IRNode, ctx) => {
  const a = n.attrs as { numCarry: number; numXs: number; reverse: boolean };
  if (a.numXs === 0) throw new Error("a scan without xs (only a length) has no ONNX Scan equivalent: give it the counter as xs (fori does)");
  const body = n.regions![0];
  const carries = n.inputs.slice(0, a.numCarry),
    xs = n.inputs.slice(a.numCarry, a.numCarry + a.numXs),
    caps = n.inputs.slice(a.numCarry + a.numXs);
  const stateIn = carries.map((v, k) => info(ctx.fresh(`scan_state${k}`), v));
  const sliceIn = xs.map((v, k) => info(ctx.fresh(`scan_x${k}`), { shape: v.shape.slice(1), dtype: v.dtype }));
  const nodes: OnnxNode[] = [];
  const outs = ctx.inline(body, [...stateIn, ...sliceIn].map((i) => i.name).concat(caps.map((v) => ctx.name(v))), nodes);
  const types = body.outputs.map((o) => o.value!);
  const graph: OnnxGraph = {
    name: ctx.fresh("scan_body"),
    nodes,
    inputs: [...stateIn, ...sliceIn],
    outputs: bodyOutputs(ctx, outs, types, nodes, "scan"),
    initializers: [],
  };
  const ny = types.length - a.numCarry;
  const dir = a.reverse ? 1 : 0;
  ctx.node(
    "Scan",
    [...carries, ...xs].map((v) => ctx.name(v)),
    nodeResults(n).map((v) => ctx.name(v)),
    {
      body: { graph },
      num_scan_inputs: { int: a.numXs },
      scan_input_directions: { ints: xs.map(() => dir) },
      ...(ny > 0 ? { scan_output_directions: { ints: Array.from({ length: ny }, () => dir) } } : {}),
    },
  );
};

const whileRule: Rule = (n, ctx) => {
  const a = n.attrs as { numCarry: number; maxIterations?: number };
  const [condR, bodyR] = n.regions!;
  const carries = n.inputs.slice(0, a.numCarry),
    caps = n.inputs.slice(a.numCarry).map((v) => ctx.name(v));
  // Loop tests its condition after each body run: compute the first one out here.
  const outer: OnnxNode[] = [];
  const [first] = ctx.inline(condR, [...carries.map((v) => ctx.name(v)), ...caps], outer);
  outer.forEach((o) => ctx.node(o.op, o.inputs, o.outputs, o.attrs));
  const iter = info(ctx.fresh("loop_iter"), { shape: [], dtype: "int64" });
  const condIn = info(ctx.fresh("loop_cond"), { shape: [], dtype: "bool" });
  const stateIn = carries.map((v, k) => info(ctx.fresh(`loop_state${k}`), v));
  const nodes: OnnxNode[] = [];
  const next = ctx.inline(bodyR, [...stateIn.map((i) => i.name), ...caps], nodes);
  const [again] = ctx.inline(condR, [...next, ...caps], nodes);
  const outputs = bodyOutputs(ctx, [again, ...next], [{ shape: [], dtype: "bool" }, ...carries], nodes, "loop");
  const graph: OnnxGraph = { name: ctx.fresh("loop_body"), nodes, inputs: [iter, condIn, ...stateIn], outputs, initializers: [] };
  const trip = a.maxIterations === undefined ? "" : ctx.int64s([a.maxIterations], "max_iterations");
  // M must be a scalar: int64s makes a [1] tensor, so reshape it.
  const m = trip === "" ? "" : ctx.fresh("trip_count");
  if (trip !== "") ctx.node("Reshape", [trip, ctx.int64s([], "scalar_shape")], [m]);
  ctx.node(
    "Loop",
    [m, first, ...carries.map((v) => ctx.name(v))],
    nodeResults(n).map((v) => ctx.name(v)),
    { body: { graph } },
  );
};

/** Control-flow ops in the primitive → ONNX table. */
export const CONTROL_ONNX_OPS: Readonly<Record<string, Rule>> = { cond: condRule, scan: scanRule, while: whileRule };
