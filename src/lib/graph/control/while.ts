/**
 * `whileLoop`: a loop whose trip count depends on the data. Eagerly it is a JS `while`; under
 * `jit` it is one node with a `cond` and a `body` region. Forward mode goes through it; reverse
 * mode needs a bound (`maxIterations`, then it runs as a scan of that many guarded steps) —
 * without one it is refused, as in JAX, because the carries to save are unknown in number.
 */
import { AutogradError, ShapeError, WebgradError } from "../../errors";
import type { AbstractValue, Attrs } from "../../ops/registry";
import { treeFlatten } from "../../autodiff/pytree";
import { isFloat } from "../../tensor/dtype";
import { Tensor } from "../../tensor/tensor";
import { full, zerosLike } from "../../ops/creation";
import * as F from "../../ops/functional";
import { withGradMode } from "../../ops/gradmode";
import { defineControlOp, savesOnlyWhen } from "./bind";
import { jvpRegion, runRegion } from "./closed";
import { cond } from "./cond";
import { scan } from "./scan";
import { canReadSync, guardedSteps, isStaged, mergeCaptures, readBool, scalarPred, structureOf, traceRegion, withOwnMemory } from "./region";

/** Options of {@link whileLoop}. */
export interface WhileOptions {
  /**
   * Stop after this many iterations even if the condition still holds. With a bound, reverse mode
   * works (the loop runs as a scan of guarded steps); without one, only forward mode does.
   */
  maxIterations?: number;
}

interface WhileAttrs extends Attrs {
  numCarry: number;
  maxIterations?: number;
}

const aval = (v: AbstractValue): AbstractValue => ({ shape: v.shape, dtype: v.dtype });

/** The message for reverse mode through an unbounded whileLoop. */
export const WHILE_VJP_REFUSAL =
  "reverse-mode differentiation through whileLoop is not supported without a bound: its trip count is only known at run time, so the carries to save for backward cannot be planned. Use scan or fori with a static trip count, or pass { maxIterations } to whileLoop";

function runWhile(carry: Tensor[], caps: Tensor[], condR: (ins: Tensor[]) => unknown, bodyR: (ins: Tensor[]) => Tensor[], max: number | undefined): Tensor[] {
  let k = 0;
  while ((max === undefined || k < max) && readBool("whileLoop", condR([...carry, ...caps]))) {
    carry = bodyR([...carry, ...caps]);
    k++;
  }
  return carry;
}

/** The `while` graph op: operands [...carry, ...captures]; regions [cond, body]. */
export const whileOp = defineControlOp({
  name: "while",
  savingRegions: { regions: [1], offset: 0 },
  regionNames: ["cond", "body"],
  outAvals: (ops, _r, attrs) => ops.slice(0, (attrs as WhileAttrs).numCarry).map(aval),
  visibleCount: (_r, attrs) => (attrs as WhileAttrs).numCarry,
  run(operands, regions, attrs) {
    const a = attrs as WhileAttrs;
    const caps = operands.slice(a.numCarry);
    const first = runRegion(regions[0], [...operands.slice(0, a.numCarry), ...caps])[0];
    if (!canReadSync(first) && a.maxIterations !== undefined) {
      // No synchronous read-back (WebGPU): maxIterations guarded steps, each selecting with where.
      return guardedSteps(
        a.maxIterations,
        operands,
        operands.slice(0, a.numCarry),
        (c) => runRegion(regions[0], [...c, ...caps])[0],
        (c) => runRegion(regions[1], [...c, ...caps]),
      );
    }
    return runWhile(
      operands.slice(0, a.numCarry),
      operands.slice(a.numCarry),
      (ins) => runRegion(regions[0], ins)[0],
      (ins) => runRegion(regions[1], ins),
      a.maxIterations,
    );
  },
  jvp(primals, tangents, regions, attrs) {
    const a = attrs as WhileAttrs;
    const nc = a.numCarry;
    const carry = primals.slice(0, nc),
      caps = primals.slice(nc);
    const cF = carry.flatMap((c, k) => (isFloat(c.dtype) ? [k] : []));
    const capD = caps.flatMap((c, k) => (isFloat(c.dtype) && tangents[nc + k] !== null ? [k] : []));
    const capT = capD.map((k) => tangents[nc + k]!);
    const body = (c: Tensor[]) => {
      const cp = c.slice(0, nc),
        ct = c.slice(nc);
      const [o, to] = jvpRegion(regions[1], [...cp, ...caps], [...cF, ...capD.map((k) => nc + k)], [...ct, ...capT], cF);
      return [...o, ...to];
    };
    const condFn = (c: Tensor[]) => runRegion(regions[0], [...c.slice(0, nc), ...caps])[0];
    const init = [...carry, ...cF.map((k) => tangents[k] ?? zerosLike(carry[k]))];
    const out = whileLoop(condFn, body, init, { maxIterations: a.maxIterations });
    const touts: (Tensor | null)[] = carry.map(() => null);
    cF.forEach((k, j) => (touts[k] = out[nc + j]));
    return [out.slice(0, nc), touts];
  },
  vjp() {
    throw new AutogradError("whileLoop", WHILE_VJP_REFUSAL);
  },
  stageForGrad(operands, regions, attrs) {
    const a = attrs as WhileAttrs;
    if (a.maxIterations === undefined) return null;
    const nc = a.numCarry;
    const caps = operands.slice(nc);
    const step = (c: Tensor[]): [Tensor[], null] => {
      const p = runRegion(regions[0], [...c, ...caps])[0];
      return [
        cond(
          p,
          (...cc: Tensor[]) => runRegion(regions[1], [...cc, ...caps]),
          (...cc: Tensor[]) => cc,
          ...c,
        ),
        null,
      ];
    };
    const init = operands.slice(0, nc);
    const out = scan(step, init, null, { length: a.maxIterations })[0];
    // Eagerly the body runs, and saves what it saves, only when the loop runs at all: when its
    // first test holds (a loop that runs no step refuses no backward).
    savesOnlyWhen(
      out,
      withGradMode(false, () => runRegion(regions[0], [...init, ...caps])[0]),
    );
    return out;
  },
  regionTypes(node) {
    const ins = node.inputs.map(aval);
    const carry = ins.slice(0, (node.attrs as WhileAttrs).numCarry);
    return [
      [ins, [{ shape: [], dtype: "bool" }]],
      [ins, carry],
    ];
  },
});

/**
 * Repeat `carry = bodyFn(carry)` while `condFn(carry)` holds; returns the final carry (a tensor or
 * a pytree of tensors, keeping its shapes and dtypes). Eagerly it is a JS `while`; under `jit` one
 * `while` node. Forward mode (jvp) goes through it. Reverse mode needs `{ maxIterations }`;
 * otherwise use `scan`/`fori` with a static trip count. On WebGPU, whose values cannot be read
 * synchronously, it needs `{ maxIterations }` too and runs that many guarded steps, each selected
 * with `where`: a step past the loop's end adds nothing to a gradient.
 * @example const n = whileLoop((x) => x.lt(100), (x) => x.mul(2), tensor(1));
 */
export function whileLoop<C>(condFn: (carry: C) => Tensor | boolean, bodyFn: (carry: C) => C, init: C, options: WhileOptions = {}): C {
  const max = options.maxIterations;
  if (max !== undefined && (!Number.isInteger(max) || max < 0)) throw new WebgradError("whileLoop", `maxIterations must be a non-negative integer, got ${max}`);
  const initStructure = structureOf(init);
  const checkCarry = (c: unknown) => {
    if (structureOf(c) !== initStructure)
      throw new ShapeError("whileLoop", `the body must return a carry like its input ${initStructure}, got ${structureOf(c)}`);
  };
  if (!isStaged()) return withOwnMemory([init], () => eagerWhile(condFn, bodyFn, init, max, checkCarry));
  const cf = treeFlatten(init);
  const nc = cf.leaves.length;
  const c = traceRegion(
    "whileLoop",
    "cond",
    (ins) => {
      let p = condFn(cf.unflatten(ins) as C) as unknown;
      if (!(p instanceof Tensor)) p = full([], Boolean(p), { dtype: "bool" });
      const t = p as Tensor;
      if (t.size !== 1) throw new ShapeError("whileLoop", `the condition must return one element, got shape [${t.shape.join(", ")}]`);
      const s = t.ndim > 0 ? F.reshape(t, []) : t;
      return s.dtype === "bool" ? s : F.ne(s, 0);
    },
    cf.leaves,
    condFn,
  );
  const b = traceRegion(
    "whileLoop",
    "body",
    (ins) => {
      const out = bodyFn(cf.unflatten(ins) as C);
      checkCarry(out);
      return treeFlatten(out).leaves;
    },
    cf.leaves,
    bodyFn,
  );
  const { graphs, captures } = mergeCaptures([c, b], nc);
  const outs = whileOp.bind([...cf.leaves, ...captures], graphs, { numCarry: nc, ...(max !== undefined ? { maxIterations: max } : {}) });
  return cf.unflatten(outs);
}

/** whileLoop run eagerly: a JS loop (guarded steps selected with where when the test cannot be read synchronously). */
function eagerWhile<C>(condFn: (carry: C) => Tensor | boolean, bodyFn: (carry: C) => C, init: C, max: number | undefined, checkCarry: (c: unknown) => void): C {
  let carry = init,
    k = 0;
  const first = condFn(carry);
  if (!canReadSync(first) && max !== undefined) {
    // No synchronous read-back (WebGPU): max guarded steps, each selecting with where.
    const { leaves, unflatten } = treeFlatten(init);
    const at = (c: Tensor[]) => unflatten(c) as C;
    return at(
      guardedSteps(
        max,
        [init],
        leaves,
        (c) => scalarPred("whileLoop", condFn(at(c)) as Tensor),
        (c) => treeFlatten(bodyFn(at(c))).leaves,
      ),
    );
  }
  let test: unknown = first;
  while ((max === undefined || k < max) && readBool("whileLoop", test)) {
    carry = bodyFn(carry);
    checkCarry(carry);
    k++;
    test = condFn(carry);
  }
  return carry;
}
