/**
 * Dispatch of control-flow ops through the interpreters, as `bind` does for primitives: eagerly
 * the regions are interpreted on values; under forward mode the op is rewritten into the same op
 * over forward-mode regions; under `jit` it becomes one graph node with regions, and when a
 * gradient is needed a tape entry whose vjp builds the backward as control flow again.
 */
import { WebgradError, ShapeError } from "../../errors";
import { topTrace } from "../../ops/dispatch";
import { isGradEnabled, autodiffPhase } from "../../autodiff/gradmode";
import { recordNode } from "../../autodiff/tape";
import { JVPTrace, JVPTracer } from "../../autodiff/forward";
import type { AbstractValue, Attrs, OpDef } from "../../ops/registry";
import { isFloat, type DType } from "../../tensor/dtype";
import { fmtShape, shapeEqual, shapeSize } from "../../tensor/shape";
import { Tensor } from "../../tensor/tensor";
import * as F from "../../ops/functional";
import { currentUserLine } from "../../debug/source";
import { newNodeId, newValue, typeText, type IRGraph, type IRNode } from "../ir";
import { GraphTrace, GraphTracer } from "../tracer";
import { registerControlOp, type ControlOp } from "./registry";

/** What reverse mode hands a control-flow op's vjp rule. */
export interface ControlVjpContext {
  operands: Tensor[];
  regions: IRGraph[];
  attrs: Attrs;
  /** The visible results. */
  outputs: Tensor[];
  /** Extra results staged for reverse mode (scan: the carry before each step). */
  residuals: Tensor[];
  /** Cotangent of each visible result, then of each residual (null: zero). */
  cts: (Tensor | null)[];
  needsGrad: readonly boolean[];
}

/** How one control-flow op runs under each interpreter. */
export interface ControlSpec {
  name: string;
  regionNames: readonly string[];
  /** Types of every result (visible, then residuals). */
  outAvals(operands: readonly AbstractValue[], regions: readonly IRGraph[], attrs: Attrs): AbstractValue[];
  /** How many results are visible (the rest are residuals for reverse mode). */
  visibleCount(regions: readonly IRGraph[], attrs: Attrs): number;
  /** Interpret the regions on values (eager, and the compiled graph at run time). */
  run(operands: Tensor[], regions: IRGraph[], attrs: Attrs): Tensor[];
  /** Forward mode: results and their tangents (null: zero). */
  jvp(primals: Tensor[], tangents: (Tensor | null)[], regions: IRGraph[], attrs: Attrs): [Tensor[], (Tensor | null)[]];
  /** Reverse mode: the cotangent of each operand (null: none). */
  vjp(ctx: ControlVjpContext): (Tensor | null)[];
  /** A variant of the node that also returns what its vjp needs (scan: the carries). */
  withResiduals?(regions: IRGraph[], attrs: Attrs): { regions: IRGraph[]; attrs: Attrs };
  /** Replaces staging when a gradient is needed (whileLoop with a bound becomes a scan). */
  stageForGrad?(operands: Tensor[], regions: IRGraph[], attrs: Attrs): Tensor[] | null;
  /** Operand and result types each region must have: [inputs, outputs] per region. */
  regionTypes(node: IRNode): [AbstractValue[], AbstractValue[]][];
}

/** Register a control-flow op from its spec; returns its `bind`. */
export function defineControlOp(spec: ControlSpec): ControlOp {
  const op: ControlOp = {
    name: spec.name,
    regionNames: spec.regionNames,
    bind: (operands, regions, attrs) => bindControl(spec, operands, regions, attrs),
    verify: (node) => verifyControl(spec, node),
  };
  registerControlOp(op);
  return op;
}

function bindControl(spec: ControlSpec, operands: Tensor[], regions: IRGraph[], attrs: Attrs): Tensor[] {
  const dyn = topTrace([]);
  if (!(dyn instanceof GraphTrace)) return spec.run(operands, regions, attrs);
  const top = topTrace(operands);
  if (top !== dyn && top.level > dyn.level) {
    if (!(top instanceof JVPTrace)) throw new WebgradError(spec.name, `cannot run inside a ${top.kind} transform under jit`);
    const primals = operands.map((t) => (t._trace === top ? (t as JVPTracer).primal : t));
    const tangents = operands.map((t) => (t._trace === top ? (t as JVPTracer).tangent : null));
    const [outs, touts] = spec.jvp(primals, tangents, regions, attrs);
    return outs.map((p, i) => (isFloat(p.dtype) ? new JVPTracer(top, p, touts[i] ?? null) : p));
  }
  const needsGrad = operands.map((t) => isGradEnabled() && t.requiresGrad && isFloat(t.dtype));
  const anyGrad = needsGrad.some(Boolean);
  if (anyGrad && spec.stageForGrad) {
    const r = spec.stageForGrad(operands, regions, attrs);
    if (r !== null) return r;
  }
  const staged = anyGrad && spec.withResiduals ? spec.withResiduals(regions, attrs) : { regions, attrs };
  const avals = spec.outAvals(operands, staged.regions, staged.attrs);
  if (avals.length === 0) throw new WebgradError(spec.name, "has no results: return at least one tensor");
  const results = avals.map((a) => newValue(a.shape, a.dtype));
  const node: IRNode = {
    id: newNodeId(),
    op: spec.name,
    inputs: operands.map((t) => dyn.irValueOf(t)),
    attrs: staged.attrs,
    output: results[0],
    results,
    regions: staged.regions,
    line: currentUserLine(),
    phase: autodiffPhase.current,
    ...(dyn.inNoGrad() ? { noGrad: true } : {}),
  };
  dyn.nodes.push(node);
  const outs: Tensor[] = results.map((v) => new GraphTracer(dyn, v));
  if (anyGrad) {
    const visible = spec.visibleCount(staged.regions, staged.attrs);
    const outputs = outs.slice(0, visible), residuals = outs.slice(visible);
    // Residuals are results too: a higher-order gradient flows into them (the backward reads them).
    recordMultiOutput(spec.name, operands, [...outputs, ...residuals], (cts, needs) => spec.vjp({ operands, regions, attrs, outputs, residuals, cts, needsGrad: needs }));
  }
  return outs;
}

/**
 * Record a node with several results on the tape. The tape's nodes have one output, so a hidden
 * hub node stands for the op (its vjp runs the op's rule once); each float result gets a small
 * node that places its cotangent into the hub's packed cotangent vector.
 */
export function recordMultiOutput(name: string, operands: readonly Tensor[], outs: readonly Tensor[], vjpFn: (cts: (Tensor | null)[], needsGrad: readonly boolean[]) => (Tensor | null)[]): void {
  const floats = outs.map((o, i) => (isFloat(o.dtype) ? i : -1)).filter((i) => i >= 0);
  if (floats.length === 0) return;
  const dtype: DType = floats.some((i) => outs[i].dtype === "float64") ? "float64" : "float32";
  const offsets = new Map<number, number>();
  let total = 0;
  for (const i of floats) {
    offsets.set(i, total);
    total += shapeSize(outs[i].shape);
  }
  const hubOp: OpDef = {
    name,
    category: "control",
    dtypes: "any",
    infer: () => ({ shape: [total], dtype }),
    vjp: (g, ctx) => {
      const cts = outs.map((o, i) => {
        const off = offsets.get(i);
        if (off === undefined) return null;
        const n = shapeSize(o.shape);
        return F.cast(F.reshape(F.slice(g, [[off, off + n]]), o.shape), o.dtype);
      });
      return vjpFn(cts, ctx.needsGrad);
    },
  };
  const hub = new Tensor([total], dtype, null, null);
  recordNode(hubOp, operands, {}, hub);
  for (const i of floats) {
    const off = offsets.get(i)!, n = shapeSize(outs[i].shape);
    const pick: OpDef = {
      name: `${name}.result${i}`,
      category: "control",
      dtypes: "any",
      infer: () => ({ shape: outs[i].shape, dtype: outs[i].dtype }),
      vjp: (g) => [F.pad(F.reshape(F.cast(g, dtype), [n]), [[off, total - off - n]])],
    };
    recordNode(pick, [hub], {}, outs[i]);
  }
}

function verifyControl(spec: ControlSpec, node: IRNode): void {
  const regions = node.regions ?? [];
  if (regions.length !== spec.regionNames.length) throw new WebgradError("verify", `${node.op} node ${node.id} has ${regions.length} regions, expected ${spec.regionNames.length} (${spec.regionNames.join(", ")})`);
  const results = node.results ?? [node.output];
  const avals = spec.outAvals(node.inputs, regions, node.attrs);
  const same = (a: AbstractValue, b: AbstractValue) => a.dtype === b.dtype && shapeEqual(a.shape, b.shape);
  if (avals.length !== results.length || avals.some((a, i) => !same(a, results[i]))) {
    throw new ShapeError("verify", `${node.op} node ${node.id} claims results (${results.map(typeText).join(", ")}) but its regions give (${avals.map(typeText).join(", ")})`);
  }
  spec.regionTypes(node).forEach(([ins, outs], r) => {
    const g = regions[r];
    const args = g.inputs.filter((i) => i.source.kind === "arg").sort((a, b) => (a.source as { index: number }).index - (b.source as { index: number }).index);
    const where = `the ${spec.regionNames[r]} region of ${node.op} node ${node.id}`;
    if (args.length !== ins.length || args.some((a, i) => !same(a.value, ins[i]))) {
      throw new ShapeError("verify", `${where} takes (${args.map((a) => typeText(a.value)).join(", ")}) but is given (${ins.map(typeText).join(", ")})`);
    }
    const outVals = g.outputs.map((o) => o.value!);
    if (outVals.length !== outs.length || outVals.some((v, i) => !same(v, outs[i]))) {
      throw new ShapeError("verify", `${where} yields (${outVals.map(typeText).join(", ")}) but must yield (${outs.map(typeText).join(", ")})`);
    }
  });
}

/** `f32[2,3]` for messages. */
export function avalText(a: AbstractValue): string {
  return `${a.dtype}${fmtShape(a.shape)}`;
}
