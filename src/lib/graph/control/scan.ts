/**
 * `scan`: a loop with a static trip count that carries state and stacks per-step outputs
 * (JAX's `lax.scan`). Eagerly it is a JS `for`; under `jit` it is one node whose `body` region
 * runs once per step. Its reverse mode is a reverse scan over the carries saved by the forward.
 */
import { ShapeError, WebgradError } from "../../errors";
import type { AbstractValue, Attrs } from "../../ops/registry";
import { treeFlatten } from "../../autodiff/pytree";
import { isFloat } from "../../tensor/dtype";
import { fmtShape } from "../../tensor/shape";
import type { Tensor } from "../../tensor/tensor";
import { zeros, zerosLike } from "../../ops/creation";
import * as F from "../../ops/functional";
import type { IRGraph } from "../ir";
import { defineControlOp } from "./bind";
import { jvpRegion, runRegion, vjpRegion } from "./closed";
import { isStaged, mergeCaptures, structureOf, traceRegion, withOwnMemory } from "./region";

/** Options of {@link scan}. */
export interface ScanOptions {
  /** The number of steps; needed when `xs` is null, else it must equal xs's leading size. */
  length?: number;
  /** Run from the last step to the first (ys keep their positions). */
  reverse?: boolean;
}

interface ScanAttrs extends Attrs {
  length: number;
  reverse: boolean;
  numCarry: number;
  numXs: number;
  /** The body also yields its input carries, stacked: the forward's residuals for reverse mode. */
  residuals: boolean;
}

const aval = (v: AbstractValue): AbstractValue => ({ shape: v.shape, dtype: v.dtype });

function stepOutputs(operands: Tensor[], regions: IRGraph[], a: ScanAttrs): Tensor[] {
  const { length, reverse, numCarry: nc, numXs: nx } = a;
  const body = regions[0];
  let carry = operands.slice(0, nc);
  const xs = operands.slice(nc, nc + nx),
    caps = operands.slice(nc + nx);
  const ny = body.outputs.length - nc;
  const ys: Tensor[][] = Array.from({ length: ny }, () => new Array<Tensor>(length));
  for (let step = 0; step < length; step++) {
    const i = reverse ? length - 1 - step : step;
    const outs = runRegion(body, [...carry, ...xs.map((x) => F.slice(x, [i])), ...caps]);
    carry = outs.slice(0, nc);
    for (let j = 0; j < ny; j++) ys[j][i] = outs[nc + j];
  }
  const stacked = ys.map((list, j) => {
    const v = body.outputs[nc + j].value!;
    return length > 0 ? F.stack(list, 0) : zeros([0, ...v.shape], { dtype: v.dtype });
  });
  return [...carry, ...stacked];
}

/** The `scan` graph op: operands [...carry, ...xs, ...captures]; region [body]. */
export const scanOp = defineControlOp({
  name: "scan",
  savingRegions: { regions: [0], offset: 0 },
  regionNames: ["body"],
  outAvals(_ops, regions, attrs) {
    const a = attrs as ScanAttrs;
    const outs = regions[0].outputs.map((o) => aval(o.value!));
    return [...outs.slice(0, a.numCarry), ...outs.slice(a.numCarry).map((y) => ({ shape: [a.length, ...y.shape], dtype: y.dtype }))];
  },
  visibleCount: (regions, attrs) => regions[0].outputs.length - ((attrs as ScanAttrs).residuals ? (attrs as ScanAttrs).numCarry : 0),
  run: (operands, regions, attrs) => stepOutputs(operands, regions, attrs as ScanAttrs),
  withResiduals(regions, attrs) {
    const a = attrs as ScanAttrs;
    if (a.residuals) return { regions, attrs };
    const body = regions[0];
    const carryIns = body.inputs
      .filter((i) => i.source.kind === "arg" && i.source.index < a.numCarry)
      .sort((x, y) => (x.source as { index: number }).index - (y.source as { index: number }).index);
    const extra = carryIns.map((inp, k) => ({ value: inp.value, sink: { kind: "result" as const, index: body.outputs.length + k }, name: `saved_carry${k}` }));
    return { regions: [{ ...body, outputs: [...body.outputs, ...extra] }], attrs: { ...a, residuals: true } };
  },
  jvp(primals, tangents, regions, attrs) {
    const a = attrs as ScanAttrs;
    const { numCarry: nc, numXs: nx } = a;
    const body = regions[0];
    const carry = primals.slice(0, nc),
      xs = primals.slice(nc, nc + nx),
      caps = primals.slice(nc + nx);
    const cF = carry.flatMap((c, k) => (isFloat(c.dtype) ? [k] : []));
    const xD = xs.flatMap((x, k) => (isFloat(x.dtype) && tangents[nc + k] !== null ? [k] : []));
    const capD = caps.flatMap((c, k) => (isFloat(c.dtype) && tangents[nc + nx + k] !== null ? [k] : []));
    const outs = body.outputs.map((o) => o.value!);
    const outF = outs.flatMap((v, i) => (isFloat(v.dtype) ? [i] : []));
    const yF = outF.filter((i) => i >= nc);
    const capT = capD.map((k) => tangents[nc + nx + k]!);
    const fn = (c: Tensor[], x: Tensor[]): [Tensor[], Tensor[]] => {
      const cp = c.slice(0, nc),
        ct = c.slice(nc),
        xp = x.slice(0, nx),
        xt = x.slice(nx);
      const diff = [...cF, ...xD.map((k) => nc + k), ...capD.map((k) => nc + nx + k)];
      const [o, to] = jvpRegion(body, [...cp, ...xp, ...caps], diff, [...ct, ...xt, ...capT], outF);
      const tOf = (i: number) => to[outF.indexOf(i)];
      return [
        [...o.slice(0, nc), ...cF.map(tOf)],
        [...o.slice(nc), ...yF.map(tOf)],
      ];
    };
    const init = [...carry, ...cF.map((k) => tangents[k] ?? zerosLike(carry[k]))];
    const xsAll = [...xs, ...xD.map((k) => tangents[nc + k]!)];
    const [c, ys] = scan(fn, init, xsAll.length ? xsAll : null, { length: a.length, reverse: a.reverse }) as [Tensor[], Tensor[]];
    const results = [...c.slice(0, nc), ...ys.slice(0, outs.length - nc)];
    const touts: (Tensor | null)[] = results.map(() => null);
    cF.forEach((k, j) => (touts[k] = c[nc + j]));
    yF.forEach((i, j) => (touts[i] = ys[outs.length - nc + j]));
    return [results, touts];
  },
  vjp({ operands, regions, attrs, outputs, residuals, cts, needsGrad }) {
    const a = attrs as ScanAttrs;
    const { numCarry: nc, numXs: nx } = a;
    const body = regions[0];
    const xs = operands.slice(nc, nc + nx),
      caps = operands.slice(nc + nx);
    const gC = operands.slice(0, nc).flatMap((c, k) => (isFloat(c.dtype) ? [k] : []));
    const gX = xs.flatMap((_, k) => (needsGrad[nc + k] ? [k] : []));
    const gCap = caps.flatMap((_, k) => (needsGrad[nc + nx + k] ? [k] : []));
    const yF = outputs.slice(nc).flatMap((y, j) => (isFloat(y.dtype) ? [j] : []));
    const ctC = gC.map((k) => cts[k] ?? zerosLike(outputs[k]));
    const ctY = yF.map((j) => cts[nc + j] ?? zerosLike(outputs[nc + j]));
    // Cotangents of the saved carries themselves (second order: the backward read them).
    const ctSaved = gC.map((k) => cts[outputs.length + k] ?? null);
    const savedCts = ctSaved.some((t) => t !== null) ? ctSaved.map((t, j) => t ?? zerosLike(residuals[gC[j]])) : [];
    const diff = [...gC, ...gX.map((k) => nc + k), ...gCap.map((k) => nc + nx + k)];
    const outIdx = [...gC, ...yF.map((j) => nc + j)];
    const backwardBody = (carry: Tensor[], x: Tensor[]): [Tensor[], Tensor[]] => {
      const ctc = carry.slice(0, gC.length),
        acc = carry.slice(gC.length);
      const saved = x.slice(0, nc),
        xt = x.slice(nc, nc + nx),
        cty = x.slice(nc + nx, nc + nx + ctY.length),
        cts = x.slice(nc + nx + ctY.length);
      const g = vjpRegion(body, [...saved, ...xt, ...caps], diff, outIdx, [...ctc, ...cty]);
      const gc = g.slice(0, gC.length).map((t, j) => (cts.length ? F.add(t, cts[j]) : t));
      const gx = g.slice(gC.length, gC.length + gX.length),
        gcap = g.slice(gC.length + gX.length);
      return [[...gc, ...acc.map((s, j) => F.add(s, gcap[j]))], gx];
    };
    const init = [...ctC, ...gCap.map((k) => zerosLike(caps[k]))];
    const [c, ys] = scan(backwardBody, init, [...residuals, ...xs, ...ctY, ...savedCts], { length: a.length, reverse: !a.reverse }) as [Tensor[], Tensor[]];
    return operands.map((_, i) => {
      if (!needsGrad[i]) return null;
      if (i < nc) return gC.includes(i) ? c[gC.indexOf(i)] : null;
      if (i < nc + nx) return ys[gX.indexOf(i - nc)];
      return c[gC.length + gCap.indexOf(i - nc - nx)];
    });
  },
  regionTypes(node) {
    const a = node.attrs as ScanAttrs;
    const ins = node.inputs.map(aval);
    const res = (node.results ?? [node.output]).map(aval);
    const bodyIns = [
      ...ins.slice(0, a.numCarry),
      ...ins.slice(a.numCarry, a.numCarry + a.numXs).map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype })),
      ...ins.slice(a.numCarry + a.numXs),
    ];
    const bodyOuts = [...res.slice(0, a.numCarry), ...res.slice(a.numCarry).map((y) => ({ shape: y.shape.slice(1), dtype: y.dtype }))];
    return [[bodyIns, bodyOuts]];
  },
});

function scanLength(xs: readonly Tensor[], options: ScanOptions): number {
  let length = options.length;
  for (const x of xs) {
    if (x.ndim === 0) throw new ShapeError("scan", "each xs tensor needs a leading axis to scan over, got a scalar");
    if (length === undefined) length = x.shape[0];
    else if (x.shape[0] !== length) throw new ShapeError("scan", `xs tensors must all have leading size ${length}, got shape ${fmtShape(x.shape)}`);
  }
  if (length === undefined) throw new WebgradError("scan", "xs is empty: pass { length } to say how many steps to run");
  if (!Number.isInteger(length) || length < 0) throw new WebgradError("scan", `length must be a non-negative integer, got ${length}`);
  return length;
}

/** Stack per-step pytrees of tensors into one pytree of stacked tensors. */
function stackTrees(steps: unknown[]): unknown {
  const flat = steps.map((s) => treeFlatten(s));
  return flat[0].unflatten(
    flat[0].leaves.map((_, j) =>
      F.stack(
        flat.map((f) => f.leaves[j]),
        0,
      ),
    ),
  );
}

/**
 * Loop `fn(carry, x) → [carry, y]` over the leading axis of `xs` (a tensor or pytree of tensors,
 * or null with `{ length }`), returning `[finalCarry, ys]` with the ys stacked along a new leading
 * axis. Eagerly it is a JS `for`; under `jit` it is one `scan` node whose body is traced once.
 * Reverse mode runs a reverse scan over the carries saved by the forward.
 * @example const [total, partials] = scan((c, x) => { const s = c.add(x); return [s, s]; }, zeros([]), tensor([1, 2, 3]));
 */
export function scan<C, X, Y>(fn: (carry: C, x: X) => [C, Y], init: C, xs: X | null, options: ScanOptions = {}): [C, Y] {
  const xf = treeFlatten(xs ?? null);
  const length = scanLength(xf.leaves, options);
  const reverse = options.reverse ?? false;
  const call = (c: C, x: X): [C, Y] => {
    const r = fn(c, x);
    if (!Array.isArray(r) || r.length !== 2) throw new WebgradError("scan", "the body must return [carry, y] (y may be null)");
    return r as [C, Y];
  };
  const cf = treeFlatten(init);
  const initStructure = structureOf(init);
  if (!isStaged() && length > 0) {
    // The carry never shares memory with the init or xs (a body that returns its carry), as in the graph.
    return withOwnMemory([init, xs], () => {
      let carry = init;
      const ys = new Array<unknown>(length);
      for (let step = 0; step < length; step++) {
        const i = reverse ? length - 1 - step : step;
        const [c, y] = call(carry, xf.unflatten(xf.leaves.map((x) => F.slice(x, [i]))) as X);
        if (structureOf(c) !== initStructure)
          throw new ShapeError("scan", `the body must return a carry like its input ${initStructure}, got ${structureOf(c)} at step ${i}`);
        carry = c;
        ys[i] = y;
      }
      return [carry, stackTrees(ys) as Y] as [C, Y];
    });
  }
  const nc = cf.leaves.length,
    nx = xf.leaves.length;
  const xAvals = xf.leaves.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype }));
  let yUnflatten: (ls: readonly unknown[]) => unknown = () => null;
  const region = traceRegion(
    "scan",
    "body",
    (ins) => {
      const [c, y] = call(cf.unflatten(ins.slice(0, nc)) as C, xf.unflatten(ins.slice(nc)) as X);
      if (structureOf(c) !== initStructure) throw new ShapeError("scan", `the body must return a carry like its input ${initStructure}, got ${structureOf(c)}`);
      const yf = treeFlatten(y);
      yUnflatten = yf.unflatten;
      return [...treeFlatten(c).leaves, ...yf.leaves];
    },
    [...cf.leaves, ...xAvals],
    fn,
  );
  const { graphs, captures } = mergeCaptures([region], nc + nx);
  const attrs: ScanAttrs = { length, reverse, numCarry: nc, numXs: nx, residuals: false };
  const outs = isStaged()
    ? scanOp.bind([...cf.leaves, ...xf.leaves, ...captures], graphs, attrs)
    : stepOutputs([...cf.leaves, ...xf.leaves, ...captures], graphs, attrs);
  const ny = graphs[0].outputs.length - nc;
  return [cf.unflatten(outs.slice(0, nc)), yUnflatten(outs.slice(nc, nc + ny)) as Y];
}
