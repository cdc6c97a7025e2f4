/**
 * Dispatch of control-flow ops through the interpreters, as `bind` does for primitives: eagerly
 * the regions are interpreted on values; under forward mode the op is rewritten into the same op
 * over forward-mode regions; under `jit` it becomes one graph node with regions, and when a
 * gradient is needed a tape entry whose vjp builds the backward as control flow again.
 */
import { WebgradError, ShapeError } from "../../errors";
import { topTrace } from "../../ops/dispatch";
import { isGradEnabled, autodiffPhase } from "../../ops/gradmode";
import { recordNode, savedInputMask } from "../../autodiff/tape";
import { anyFlag, type Refusal } from "../../autodiff/backward";
import { JVPTrace, JVPTracer } from "../../autodiff/forward";
import { getOp, type AbstractValue, type Attrs, type OpDef } from "../../ops/registry";
import { isFloat, type DType } from "../../tensor/dtype";
import { fmtShape, shapeEqual, shapeSize } from "../../tensor/shape";
import { Tensor } from "../../tensor/tensor";
import * as F from "../../ops/functional";
import { currentUserLine } from "../../debug/source";
import { scopeField } from "../../debug/scope";
import { newNodeId, newValue, typeText, type IRGraph, type IRNode, type IRValue } from "../ir";
import { GraphTrace, GraphTracer } from "../tracer";
import { resultsTaped, valuesReached } from "./reach";
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
  /**
   * For an op of which one region runs (savingRegions.oneRuns): per saving region, why eager would
   * refuse a backward through it (a tensor it saved was changed in place since), or null.
   */
  refusals: readonly (Refusal | null)[];
  /** In a traced backward: whether the cotangents are real at run time (absent: always); see VjpContext.reach. */
  reach: Tensor | null;
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
  /**
   * The regions that run on the operands when the op is differentiated, and where their arguments
   * sit among the operands (region argument j is operand j + offset): an operand that a node of
   * such a region saves for backward is saved by the op's tape entry too, so eager's in-place
   * check sees it changed (see savedByRegions). With resultsAreOutputs, the regions' results are
   * the op's results, and one a region's op saves is saved too. With oneRuns, exactly one of the
   * regions runs (cond's branches): the vjp gets a refusal per region (ControlVjpContext.refusals).
   */
  readonly savingRegions: { readonly regions: readonly number[]; readonly offset: number; readonly resultsAreOutputs?: boolean; readonly oneRuns?: boolean };
  /**
   * For an op of which one region runs: the traced boolean that says region `r` is the one (cond:
   * the predicate, or its negation). A result only some regions compute from a gradient-carrying
   * operand is then taped only when one of those runs (TapeNode.tapedWhen), as eagerly.
   */
  regionRuns?(operands: readonly Tensor[], r: number): Tensor;
  /** Operand and result types each region must have: [inputs, outputs] per region. */
  regionTypes(node: IRNode): [AbstractValue[], AbstractValue[]][];
}

/** Every control op's spec by name: a region's nested control op saves what its own regions save (savedByRegions). */
const CONTROL_SPECS = new Map<string, ControlSpec>();

/** Register a control-flow op from its spec; returns its `bind`. */
export function defineControlOp(spec: ControlSpec): ControlOp {
  CONTROL_SPECS.set(spec.name, spec);
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
    ...scopeField(),
    ...(dyn.inNoGrad() ? { noGrad: true } : {}),
  };
  dyn.nodes.push(node);
  // When the graph runs, the regions' ops save what they save on the tape (executor.ts moves the
  // version of an operand written afterwards): note every operand, eager's tape then decides.
  const outs: Tensor[] = results.map((v) => new GraphTracer(dyn, v));
  if (!node.noGrad)
    dyn.noteSaved(
      node,
      operands,
      operands.map(() => true),
      outs,
    );
  if (anyGrad) {
    const visible = spec.visibleCount(staged.regions, staged.attrs);
    const outputs = outs.slice(0, visible),
      residuals = outs.slice(visible);
    // The vjp reads operands and results from this closure, not from saved tensors: one written
    // in place afterwards (allowed: its regions did not save it) is read as it was here.
    const saved = savedByRegions(spec, staged.regions, needsGrad);
    const versions = [...operands, ...outs].map((t) => t._version.v);
    const asRecorded = frozen(dyn, [...operands, ...outs], [...node.inputs, ...results], versions);
    const ops = () => asRecorded().slice(0, operands.length);
    const res = () => asRecorded().slice(operands.length);
    // A region that always runs refuses through the hub's own check (it saves what the region
    // saves); branches, of which one runs, through the refusals their vjp builds into the graph.
    const always = spec.savingRegions.oneRuns ? [] : saved;
    const union = (key: keyof RegionSaves) => [...new Set(always.flatMap((r) => [...r[key].keys()]))].sort((a, b) => a - b);
    // Residuals are results too: a higher-order gradient flows into them (the backward reads them).
    recordMultiOutput(
      spec.name,
      operands,
      [...outputs, ...residuals],
      (cts, needs, reach) => {
        const refusals = spec.savingRegions.oneRuns ? saved.map((r) => refusal(r, operands, outs, versions)) : [];
        return spec.vjp({
          operands: ops(),
          regions,
          attrs,
          outputs: res().slice(0, visible),
          residuals: res().slice(visible),
          cts,
          needsGrad: needs,
          refusals,
          reach,
        });
      },
      union("operands"),
      union("results"),
    );
    if (spec.regionRuns) markTapedWhen(spec, staged.regions, operands, outputs, needsGrad);
  }
  return outs;
}

/** Results some regions compute without a gradient-carrying operand: taped only when another region runs. */
function markTapedWhen(
  spec: ControlSpec,
  regions: readonly IRGraph[],
  operands: readonly Tensor[],
  outputs: readonly Tensor[],
  needsGrad: readonly boolean[],
): void {
  const { offset } = spec.savingRegions;
  const taped = spec.savingRegions.regions.map((r) => ({ r, results: resultsTaped(regions[r], (k) => needsGrad[k + offset]) }));
  outputs.forEach((o, i) => {
    const node = o._node;
    if (node === null || taped.every((t) => t.results.has(i))) return;
    const runs = taped.filter((t) => t.results.has(i)).map((t) => spec.regionRuns!(operands, t.r));
    const when = runs.length ? runs : [F.scalarTensor(false, "bool", operands[0])];
    node.tapedWhen = node.tapedWhen === null ? when : [F.logicalAnd(anyFlag(when), anyFlag(node.tapedWhen))];
  });
}

/**
 * `ts` as they were when recorded (their IR values `vs`): a tensor written in place since (its
 * version moved) is read through a tracer of the recorded value, with its tape.
 */
function frozen(dyn: GraphTrace, ts: readonly Tensor[], vs: readonly IRValue[], versions: readonly number[]): () => Tensor[] {
  return () =>
    ts.map((t, i) => {
      if (t._version.v === versions[i]) return t;
      const f = new GraphTracer(dyn, vs[i], t._backendOf());
      f._node = t._node;
      f.requiresGrad = t.requiresGrad;
      return f;
    });
}

/** What one region's ops save for backward: operand and result indices, each with the op that saves it. */
interface RegionSaves {
  operands: Map<number, string>;
  results: Map<number, string>;
}

/**
 * The operands (and results) each saving region's ops save for backward, directly or through a
 * view: eagerly those ops run on them and save them, so an in-place change afterwards refuses the
 * backward (when that region runs).
 */
function savedByRegions(spec: ControlSpec, regions: readonly IRGraph[], needsGrad: readonly boolean[]): RegionSaves[] {
  const { offset, resultsAreOutputs } = spec.savingRegions;
  return spec.savingRegions.regions.map((r) => {
    const g = regions[r];
    const saves: RegionSaves = { operands: new Map(), results: new Map() };
    // Value id → the region argument it is, or views.
    const argOf = new Map<number, number>();
    // Values a gradient flows into: eager tapes (and saves for) only ops with such an input.
    const taped = new Set<number>();
    for (const i of g.inputs) {
      if (i.source.kind !== "arg") continue;
      argOf.set(i.value.id, i.source.index);
      if (needsGrad[i.source.index + offset]) taped.add(i.value.id);
    }
    const live = valuesReached(g);
    const savedBy = new Map<number, string>();
    for (const n of g.nodes) {
      if (n.regions) {
        nestedSaves(n, taped, live, (k, op) => {
          savedBy.set(n.inputs[k].id, op);
          const a = argOf.get(n.inputs[k].id);
          if (a !== undefined && !saves.operands.has(a + offset)) saves.operands.set(a + offset, op);
        });
        continue;
      }
      const op = getOp(n.op);
      const base = n.inputs.length > 0 ? argOf.get(n.inputs[0].id) : undefined;
      if (op.view && base !== undefined) argOf.set(n.output.id, base);
      // A view of a saved tensor is its memory: a result that views one (softmax's output,
      // squeezed) is checked as the saved tensor itself, as eagerly.
      const viewed = op.view && n.inputs.length > 0 ? savedBy.get(n.inputs[0].id) : undefined;
      if (viewed !== undefined) savedBy.set(n.output.id, viewed);
      if (!n.inputs.some((v) => taped.has(v.id))) continue;
      if (isFloat(n.output.dtype) && op.name !== "stopGradient") taped.add(n.output.id);
      // Eager refuses only a backward that reaches the op: one whose result no gradient can come
      // back to (a loop predicate's abs) saves what it likes.
      if (!live.has(n.output.id)) continue;
      savedInputMask(op, n.inputs.length).forEach((s, k) => {
        if (!s) return;
        savedBy.set(n.inputs[k].id, n.op);
        const a = argOf.get(n.inputs[k].id);
        if (a !== undefined && !saves.operands.has(a + offset)) saves.operands.set(a + offset, n.op);
      });
      if (op.save?.output) savedBy.set(n.output.id, n.op);
    }
    // The region's results are the op's (eagerly, the very tensors its function returned).
    if (resultsAreOutputs) g.outputs.forEach((o, k) => o.value && savedBy.has(o.value.id) && saves.results.set(k, savedBy.get(o.value.id)!));
    return saves;
  });
}

/**
 * A nested control op in a region (a whileLoop's step inside the scan it became): its results are
 * taped when an operand is, and each operand its own regions save is saved by the enclosing
 * region too (`save(k, op)`), since at run time the nested op sees a copy of the enclosing
 * operand, not the tensor the traced code writes. A cond's branch that saves counts though the
 * other may run: a refusal eager might not make, never a backward it would refuse run silently.
 * Fused nodes save nothing of their own here.
 */
function nestedSaves(n: IRNode, taped: Set<number>, live: ReadonlySet<number>, save: (operand: number, op: string) => void): void {
  const spec = CONTROL_SPECS.get(n.op);
  const needsGrad = n.inputs.map((v) => taped.has(v.id));
  if (!spec || !needsGrad.some(Boolean)) return;
  const results = n.results ?? [n.output];
  for (const v of results) if (isFloat(v.dtype)) taped.add(v.id);
  if (!results.some((v) => live.has(v.id))) return;
  for (const r of savedByRegions(spec, n.regions!, needsGrad)) for (const [k, op] of r.operands) save(k, op);
}

/**
 * Why a backward through region `saves` is refused (eager's in-place check), or null: a tensor it
 * saved moved from its recorded version.
 */
function refusal(saves: RegionSaves, operands: readonly Tensor[], outs: readonly Tensor[], versions: readonly number[]): Refusal | null {
  for (const [i, op] of saves.operands) {
    const t = operands[i];
    if (t._version.v !== versions[i])
      return {
        op,
        message: `an input of shape ${fmtShape(t.shape)} saved for backward was changed in place afterwards (version ${versions[i]} → ${t._version.v}); use an out-of-place op, or clone() it before changing it`,
      };
  }
  for (const [k, op] of saves.results) {
    const t = outs[k],
      v = versions[operands.length + k];
    if (t._version.v !== v)
      return {
        op,
        message: `its output of shape ${fmtShape(t.shape)}, saved for backward, was changed in place afterwards (version ${v} → ${t._version.v}); use an out-of-place op, or clone() it before changing it`,
      };
  }
  return null;
}

/**
 * Mark a control op's results, bound under grad, as saving their tensors only when `flag` (a traced
 * boolean) holds at run time: a backward through them that eager would refuse because a saved
 * tensor was changed in place is refused only then (see TapeNode.savesWhen).
 */
export function savesOnlyWhen(results: readonly Tensor[], flag: Tensor): void {
  for (const r of results) {
    const pick = r._node;
    if (pick === null) continue;
    pick.savesWhen = flag;
    const hub = pick.edges[0]?.node;
    if (hub) hub.savesWhen = flag;
  }
}

/**
 * Record a node with several results on the tape. The tape's nodes have one output, so a hidden
 * hub node stands for the op (its vjp runs the op's rule once); each float result gets a small
 * node that places its cotangent into the hub's packed cotangent vector.
 */
function recordMultiOutput(
  name: string,
  operands: readonly Tensor[],
  outs: readonly Tensor[],
  vjpFn: (cts: (Tensor | null)[], needsGrad: readonly boolean[], reach: Tensor | null) => (Tensor | null)[],
  savedInputs: readonly number[] = [],
  savedResults: readonly number[] = [],
): void {
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
    // Saved only for eager's in-place check at backward; the vjp reads the operands from its closure.
    ...(savedInputs.length ? { save: { inputs: savedInputs } } : {}),
    infer: () => ({ shape: [total], dtype }),
    vjp: (g, ctx) => {
      const cts = outs.map((o, i) => {
        const off = offsets.get(i);
        if (off === undefined) return null;
        const n = shapeSize(o.shape);
        return F.cast(F.reshape(F.slice(g, [[off, off + n]]), o.shape), o.dtype);
      });
      return vjpFn(cts, ctx.needsGrad, ctx.reach ?? null);
    },
  };
  const hub = new Tensor([total], dtype, null, null);
  recordNode(hubOp, operands, {}, hub);
  for (const i of floats) {
    const off = offsets.get(i)!,
      n = shapeSize(outs[i].shape);
    const pick: OpDef = {
      name: `${name}.result${i}`,
      category: "control",
      dtypes: "any",
      infer: () => ({ shape: outs[i].shape, dtype: outs[i].dtype }),
      vjp: (g) => [F.pad(F.reshape(F.cast(g, dtype), [n]), [[off, total - off - n]])],
      // Saved only for eager's in-place check (a region's op saved this result).
      ...(savedResults.includes(i) ? { save: { output: true } } : {}),
    };
    recordNode(pick, [hub], {}, outs[i]);
  }
}

function verifyControl(spec: ControlSpec, node: IRNode): void {
  const regions = node.regions ?? [];
  if (regions.length !== spec.regionNames.length)
    throw new WebgradError(
      "verify",
      `${node.op} node ${node.id} has ${regions.length} regions, expected ${spec.regionNames.length} (${spec.regionNames.join(", ")})`,
    );
  const results = node.results ?? [node.output];
  const avals = spec.outAvals(node.inputs, regions, node.attrs);
  const same = (a: AbstractValue, b: AbstractValue) => a.dtype === b.dtype && shapeEqual(a.shape, b.shape);
  if (avals.length !== results.length || avals.some((a, i) => !same(a, results[i]))) {
    throw new ShapeError(
      "verify",
      `${node.op} node ${node.id} claims results (${results.map(typeText).join(", ")}) but its regions give (${avals.map(typeText).join(", ")})`,
    );
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
