/**
 * JAX-like function transforms: grad, valueAndGrad, vjp, jvp, jacrev, jacfwd, hessian. They
 * compose in any order (grad of grad, jvp of grad, jacfwd of jacrev …) because reverse mode is a
 * tape recorded at whatever level an op runs and forward mode is an interpreter with a level.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- values and gradients are pytrees shaped like the
   user's arguments and results; `any` lets user code index them (`g[0]`, `g.w`) as it would in JAX. */
import { AutogradError, ShapeError } from "../errors";
import { isFloat } from "../tensor/dtype";
import { fmtShape, shapeEqual, shapeSize } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { full, tensor, zerosLike } from "../ops/creation";
import { allocArray } from "../tensor/dtype";
import * as F from "../ops/functional";
import { backward } from "./backward";
import { enableGrad } from "../ops/gradmode";
import { JVPTracer, withJvpTrace } from "./forward";
import { treeFlatten } from "./pytree";

/** Options of grad and valueAndGrad. */
export interface GradOptions {
  /** Which positional arguments to differentiate with respect to (default 0). */
  argnums?: number | number[];
  /** f returns [output, aux]: aux is passed through undifferentiated. */
  hasAux?: boolean;
}

let gradDepth = 0;

/** Make differentiable aliases of the tensors in the selected arguments. */
function aliasArgs(op: string, args: unknown[], argnums: number[]) {
  const targets: Tensor[] = [];
  const structures: ((ls: readonly unknown[]) => unknown)[] = [];
  let outerTape = false;
  const newArgs = args.slice();
  for (const i of argnums) {
    if (i < 0 || i >= args.length) throw new AutogradError(op, `argnums ${i} is out of range: the function was called with ${args.length} argument(s)`);
    const { leaves, unflatten } = treeFlatten(args[i]);
    if (leaves.length === 0) throw new AutogradError(op, `argument ${i} contains no tensors to differentiate with respect to`);
    const aliases = leaves.map((t) => {
      if (!isFloat(t.dtype))
        throw new AutogradError(
          op,
          `can only differentiate with respect to float tensors; argument ${i} has a ${t.dtype} tensor of shape ${fmtShape(t.shape)}`,
        );
      if (t.requiresGrad) outerTape = true;
      const a = enableGrad(() => F.identity(t));
      a.requiresGrad = true;
      return a;
    });
    targets.push(...aliases);
    structures.push(unflatten);
    newArgs[i] = unflatten(aliases);
  }
  return { newArgs, targets, structures, outerTape };
}

/** A concrete value cut from the tape (tracers are kept: their tangents matter). */
function untape(t: unknown): unknown {
  if (t instanceof Tensor && t._view !== null && t._node !== null) return Tensor._fromView(t._view, t._version);
  return t;
}

function normArgnums(a: number | number[] | undefined): { list: number[]; single: boolean } {
  if (a === undefined) return { list: [0], single: true };
  if (typeof a === "number") return { list: [a], single: true };
  return { list: a, single: false };
}

/** A user function's name for the name of a transformed one ("grad(loss)"). */
const nameOf = (f: { readonly name: string }): string => f.name || "fn";

/** `fn` with the name `name` (jit names its trace after it: `jit(grad(loss))` shows as "grad(loss)"). */
function named<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  Object.defineProperty(fn, "name", { value: name });
  return fn;
}

/**
 * `valueAndGrad(f)(...args)` returns `[f(...args), ∂f/∂args[argnums]]`; f must return a scalar.
 * With hasAux, f returns `[value, aux]` and the result is `[[value, aux], grads]`.
 * @example const [loss, g] = valueAndGrad((w) => lossFn(w, x, y))(w);
 */
export function valueAndGrad<Args extends unknown[]>(f: (...args: Args) => unknown, options: GradOptions = {}): (...args: Args) => [any, any] {
  const { list, single } = normArgnums(options.argnums);
  return named(`valueAndGrad(${nameOf(f)})`, (...args: Args) => {
    gradDepth++;
    try {
      const { newArgs, targets, structures, outerTape } = aliasArgs("grad", args, list);
      const result = enableGrad(() => f(...(newArgs as Args)));
      let out: unknown = result,
        aux: unknown;
      if (options.hasAux) {
        if (!Array.isArray(result) || result.length !== 2) throw new AutogradError("grad", "with hasAux, the function must return [output, aux]");
        [out, aux] = result;
      }
      if (!(out instanceof Tensor)) throw new AutogradError("grad", `the function must return a scalar tensor, got ${out === null ? "null" : typeof out}`);
      if (out.size !== 1)
        throw new AutogradError("grad", `the function must return a scalar, got shape ${fmtShape(out.shape)}; use vjp or jacrev for non-scalar outputs`);
      if (!isFloat(out.dtype)) throw new AutogradError("grad", `the output must be a float tensor, got ${out.dtype}`);
      const createGraph = gradDepth > 1 || outerTape;
      const raw = out.requiresGrad ? backward([out], undefined, { createGraph }, targets) : targets.map(() => null);
      const grads = raw.map((g, i) => g ?? zerosLike(targets[i]));
      let k = 0;
      const perArg = structures.map((unflatten) => {
        const { leaves } = treeFlatten(newArgs[list[structures.indexOf(unflatten)]]);
        const part = grads.slice(k, k + leaves.length);
        k += leaves.length;
        return unflatten(part);
      });
      const g = single ? perArg[0] : perArg;
      const value = createGraph ? out : untape(out);
      return [options.hasAux ? [value, aux] : value, g];
    } finally {
      gradDepth--;
    }
  });
}

/**
 * `grad(f)(...args)`: the gradient of scalar-valued f with respect to args[argnums] (a tensor, or a
 * pytree of them). Nest it for higher derivatives: `grad(grad(f))`.
 * @example const df = grad((x) => x.sin().sum());  df(x)  // = cos(x)
 */
export function grad<Args extends unknown[]>(f: (...args: Args) => unknown, options: GradOptions = {}): (...args: Args) => any {
  const vg = valueAndGrad(f, options);
  return named(`grad(${nameOf(f)})`, (...args: Args) => {
    const [value, g] = vg(...args);
    return options.hasAux ? [g, value[1]] : g;
  });
}

/**
 * Reverse mode for any output: returns `[f(...primals), vjpFn]` where `vjpFn(cotangent)` gives the
 * cotangents of the primals (a vector-Jacobian product). vjpFn can be called more than once.
 */
export function vjp<Args extends unknown[]>(f: (...args: Args) => unknown, ...primals: Args): [any, (cotangent: unknown) => any[]] {
  gradDepth++;
  try {
    const argnums = primals.map((_, i) => i).filter((i) => treeFlatten(primals[i]).leaves.length > 0);
    const { newArgs, targets, structures, outerTape } = aliasArgs("vjp", primals, argnums);
    const out = enableGrad(() => f(...(newArgs as Args)));
    const { leaves: outs } = treeFlatten(out);
    const createGraph = gradDepth > 1 || outerTape;
    const vjpFn = (cotangent: unknown): any[] => {
      const { leaves: cts } = treeFlatten(cotangent);
      if (cts.length !== outs.length) throw new AutogradError("vjp", `the cotangent has ${cts.length} tensor(s), the output ${outs.length}`);
      cts.forEach((c, i) => {
        if (!shapeEqual(c.shape, outs[i].shape))
          throw new ShapeError("vjp", `cotangent ${i} has shape ${fmtShape(c.shape)}, its output has shape ${fmtShape(outs[i].shape)}`);
      });
      const live = outs.map((o, i) => [o, cts[i]] as const).filter(([o]) => o.requiresGrad);
      const raw = live.length
        ? backward(
            live.map(([o]) => o),
            live.map(([, c]) => c),
            { retainGraph: true, createGraph },
            targets,
          )
        : targets.map(() => null);
      const grads = raw.map((g, i) => g ?? zerosLike(targets[i]));
      const result: any[] = primals.map(() => null);
      let k = 0;
      argnums.forEach((ai, j) => {
        const n = treeFlatten(primals[ai]).leaves.length;
        result[ai] = structures[j](grads.slice(k, k + n));
        k += n;
      });
      return result;
    };
    return [createGraph ? out : treeFlatten(out).unflatten(outs.map(untape)), vjpFn];
  } finally {
    gradDepth--;
  }
}

/**
 * Forward mode: `jvp(f, primals, tangents)` returns `[f(...primals), J·tangents]`, pushing tangents
 * through every op alongside the values (one pass, no tape).
 * @example const [y, dy] = jvp((x) => x.sin(), [x], [ones([3])]);  // dy = cos(x)
 */
export function jvp(f: (...args: any[]) => unknown, primals: readonly unknown[], tangents: readonly unknown[]): [any, any] {
  if (!Array.isArray(primals) || !Array.isArray(tangents)) throw new AutogradError("jvp", "primals and tangents must be arrays (one entry per argument of f)");
  const p = treeFlatten(primals),
    t = treeFlatten(tangents);
  if (p.leaves.length !== t.leaves.length) throw new AutogradError("jvp", `${p.leaves.length} primal tensor(s) but ${t.leaves.length} tangent(s)`);
  p.leaves.forEach((x, i) => {
    if (!shapeEqual(x.shape, t.leaves[i].shape))
      throw new ShapeError("jvp", `tangent ${i} has shape ${fmtShape(t.leaves[i].shape)} but its primal has shape ${fmtShape(x.shape)}`);
  });
  return withJvpTrace((trace) => {
    const inputs = p.leaves.map((x, i) => new JVPTracer(trace, x, F.cast(t.leaves[i], x.dtype)));
    const out = f(...(p.unflatten(inputs) as unknown[]));
    const o = treeFlatten(out);
    const primalsOut = o.leaves.map((y) => (y._trace === trace ? (y as JVPTracer).primal : y));
    const tangentsOut = o.leaves.map((y, i) => (y._trace === trace ? (y as JVPTracer).tangent : null) ?? zerosLike(primalsOut[i]));
    return [o.unflatten(primalsOut), o.unflatten(tangentsOut)];
  });
}

function singleTensorFn(op: string, f: (...args: any[]) => unknown, args: unknown[], argnum: number): Tensor {
  const x = args[argnum];
  if (!(x instanceof Tensor)) throw new AutogradError(op, `argument ${argnum} must be a tensor`);
  return x;
}

function oneHotSeed(shape: readonly number[], i: number, like: Tensor): Tensor {
  const arr = allocArray(like.dtype, shapeSize(shape));
  arr[i] = 1;
  return tensor(arr, { shape: [...shape], dtype: like.dtype });
}

/**
 * The Jacobian by reverse mode, one vjp per output element: shape `[...out.shape, ...x.shape]`.
 * Cheap when outputs are few (R^n → R^m with m ≪ n).
 */
export function jacrev(f: (...args: any[]) => unknown, options: { argnums?: number } = {}): (...args: any[]) => Tensor {
  const argnum = options.argnums ?? 0;
  return (...args: any[]) => {
    const x = singleTensorFn("jacrev", f, args, argnum);
    const [out, pullback] = vjp((xx: Tensor) => {
      const a = args.slice();
      a[argnum] = xx;
      return f(...a);
    }, x);
    if (!(out instanceof Tensor)) throw new AutogradError("jacrev", "the function must return a single tensor");
    const rows: Tensor[] = [];
    for (let i = 0; i < out.size; i++) rows.push(F.reshape(pullback(oneHotSeed(out.shape, i, out))[0] as Tensor, [x.size]));
    const J = rows.length ? F.stack(rows, 0) : F.reshape(zerosLike(x), [0, x.size]);
    return F.reshape(J, [...out.shape, ...x.shape]);
  };
}

/**
 * The Jacobian by forward mode, one jvp per input element: shape `[...out.shape, ...x.shape]`.
 * Cheap when inputs are few (R^n → R^m with n ≪ m).
 */
export function jacfwd(f: (...args: any[]) => unknown, options: { argnums?: number } = {}): (...args: any[]) => Tensor {
  const argnum = options.argnums ?? 0;
  return (...args: any[]) => {
    const x = singleTensorFn("jacfwd", f, args, argnum);
    const g = (xx: Tensor) => {
      const a = args.slice();
      a[argnum] = xx;
      return f(...a);
    };
    const cols: Tensor[] = [];
    let outShape: readonly number[] = [];
    for (let j = 0; j < x.size; j++) {
      const [y, t] = jvp(g, [x], [oneHotSeed(x.shape, j, x)]);
      if (!(y instanceof Tensor)) throw new AutogradError("jacfwd", "the function must return a single tensor");
      outShape = y.shape;
      cols.push(F.reshape(t as Tensor, [y.size]));
    }
    if (cols.length === 0) {
      const y = g(x) as Tensor;
      return full([...y.shape, ...x.shape], 0, { dtype: y.dtype });
    }
    return F.reshape(F.stack(cols, -1), [...outShape, ...x.shape]);
  };
}

/** The Hessian of a scalar function: forward-over-reverse, `jacfwd(jacrev(f))`. Shape `[...x.shape, ...x.shape]`. */
export function hessian(f: (...args: any[]) => unknown, options: { argnums?: number } = {}): (...args: any[]) => Tensor {
  return jacfwd(jacrev(f, options), options);
}
