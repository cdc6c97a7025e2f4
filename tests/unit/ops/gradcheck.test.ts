/**
 * Gradient checks generated from the op table: for every primitive (and the composites in
 * cases.ts), in float64, reverse mode and forward mode against central finite differences, the
 * ⟨u, J v⟩ = ⟨Jᵀu, v⟩ identity, and second derivatives (grad of grad, forward-over-reverse,
 * hessian) against finite differences of the gradient.
 */
import { describe, expect, it } from "vitest";
import { allOps, grad, hessian, jvp, vjp, tensor, type Tensor } from "webgrad";
import { apply } from "../../../src/lib/ops/dispatch";
import { getOp } from "../../../src/lib/ops/registry";
import { allocArray } from "../../../src/lib/tensor/dtype";
import { shapeSize } from "../../../src/lib/tensor/shape";
import { COMPOSITE_CASES, OP_CASES as OP_CASES_BY_OP, type GradCase, type GradEntry, type InputSpec, type NonDifferentiable } from "./cases";
import { firstMismatch, withLayout, type Layout } from "./helpers";

/** The table, indexed by any op name (its type requires an entry for every op of the table). */
const OP_CASES: Readonly<Partial<Record<string, GradEntry>>> = OP_CASES_BY_OP;

// ---------------------------------------------------------------- inputs

/** A small seeded generator (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function values(spec: InputSpec, rand: () => number): number[] {
  const n = shapeSize(spec.shape);
  if (spec.values) return [...spec.values];
  const [lo, hi] = spec.range ?? [-1.5, 1.5];
  if (spec.distinct) {
    const vals = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / n + (rand() - 0.5) * 0.02);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [vals[i], vals[j]] = [vals[j], vals[i]];
    }
    return vals;
  }
  return Array.from({ length: n }, () => {
    let x = lo + (hi - lo) * rand();
    const m = spec.awayFromZero;
    if (m !== undefined && Math.abs(x) < m) x = x < 0 ? x - m : x + m;
    return x;
  });
}

function make(data: ArrayLike<number>, shape: readonly number[], dtype: Tensor["dtype"]): Tensor {
  const arr = allocArray(dtype, data.length);
  for (let i = 0; i < data.length; i++) arr[i] = data[i];
  return tensor(arr, { shape: [...shape], dtype });
}

const isDiff = (s: InputSpec) => (s.dtype ?? "float64") === "float64" && !s.constant;

// ---------------------------------------------------------------- checks

const H = 1e-6;
const TOL1 = { rtol: 1e-6, atol: 1e-7 };
const TOL2 = { rtol: 1e-5, atol: 1e-6 };

function dot(a: Tensor, b: Tensor): number {
  const x = a.dataSync(),
    y = b.dataSync();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function close(label: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: { rtol: number; atol: number }): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  const i = firstMismatch(got, want, tol.rtol, tol.atol);
  if (i >= 0)
    throw new Error(
      `${label}: element ${i} is ${got[i]}, finite differences give ${want[i]}\n  got  ${Array.from(got).join(", ")}\n  want ${Array.from(want).join(", ")}`,
    );
}

function axpy(x: Tensor, a: number, d: Tensor): Tensor {
  const xs = x.dataSync(),
    ds = d.dataSync();
  return make(
    Array.from(xs, (v, i) => v + a * ds[i]),
    x.shape,
    x.dtype,
  );
}

/**
 * Run every check on `f` of the differentiable inputs `xs`. `f` closes over constant inputs.
 */
function checkAll(
  label: string,
  f: (...xs: Tensor[]) => Tensor,
  xs: Tensor[],
  opts: { secondOrder: boolean; h: number; tol?: { rtol: number; atol: number } },
  seed: number,
): void {
  const rand = rng(seed);
  const h = opts.h;
  const tol = opts.tol ?? TOL1;
  const y0 = f(...xs);
  const u = make(
    Array.from({ length: y0.size }, () => rand() * 2 - 1),
    y0.shape,
    y0.dtype,
  );
  const vs = xs.map((x) =>
    make(
      Array.from({ length: x.size }, () => rand() * 2 - 1),
      x.shape,
      x.dtype,
    ),
  );
  const scalarOf = (...a: Tensor[]) => dot(f(...a), u);

  // reverse mode vs central differences of ⟨u, f⟩, element by element
  const [y, pullback] = vjp(f, ...xs);
  close(`${label}: value from vjp`, y.dataSync(), y0.dataSync(), { rtol: 0, atol: 0 });
  const cts = pullback(u) as Tensor[];
  xs.forEach((x, k) => {
    expect(cts[k].shape, `${label}: gradient ${k} shape`).toEqual(x.shape);
    expect(cts[k].dtype, `${label}: gradient ${k} dtype`).toBe(x.dtype);
    const fd = new Float64Array(x.size);
    const base = x.dataSync();
    for (let i = 0; i < x.size; i++) {
      const at = (d: number) => {
        const a = Float64Array.from(base);
        a[i] += d;
        const args = xs.slice();
        args[k] = make(a, x.shape, x.dtype);
        return scalarOf(...args);
      };
      fd[i] = (at(h) - at(-h)) / (2 * h);
    }
    close(`${label}: vjp w.r.t. input ${k}`, cts[k].dataSync(), fd, tol);
  });

  // forward mode vs central differences along v
  const [y2, t] = jvp(f, xs, vs);
  close(`${label}: value from jvp`, (y2 as Tensor).dataSync(), y0.dataSync(), { rtol: 0, atol: 0 });
  expect((t as Tensor).shape, `${label}: tangent shape`).toEqual(y0.shape);
  const plus = f(...xs.map((x, k) => axpy(x, h, vs[k]))).dataSync();
  const minus = f(...xs.map((x, k) => axpy(x, -h, vs[k]))).dataSync();
  close(
    `${label}: jvp`,
    (t as Tensor).dataSync(),
    Array.from(plus, (p, i) => (p - minus[i]) / (2 * h)),
    tol,
  );

  // ⟨u, J v⟩ = ⟨Jᵀ u, v⟩: the two modes agree with each other exactly (up to rounding)
  const lhs = dot(u, t as Tensor);
  const rhs = xs.reduce((s, _, k) => s + dot(cts[k], vs[k]), 0);
  expect(Math.abs(lhs - rhs), `${label}: ⟨u, Jv⟩ = ${lhs} but ⟨Jᵀu, v⟩ = ${rhs}`).toBeLessThanOrEqual(
    (y0.dtype === "float32" ? 1e-6 : 1e-10) * (1 + Math.abs(lhs)),
  );

  if (!opts.secondOrder) return;
  // second order: s(xs) = ⟨u, f(xs)⟩; its Hessian along w three ways, against FD of ∇s
  const s = (a: Tensor[]) =>
    f(...a)
      .mul(u)
      .sum();
  const gradS = grad(s) as (a: Tensor[]) => Tensor[];
  const ws = vs;
  const eps = 1e-5;
  const gPlus = gradS(xs.map((x, k) => axpy(x, eps, ws[k])));
  const gMinus = gradS(xs.map((x, k) => axpy(x, -eps, ws[k])));
  const fdHw = gPlus.map((gp, k) => Array.from(gp.dataSync(), (p, i) => (p - gMinus[k].dataSync()[i]) / (2 * eps)));
  // reverse over reverse: ∇⟨∇s, w⟩
  const hvpRR = grad((a: Tensor[]) => gradS(a).reduce((acc: Tensor, g, k) => acc.add(g.mul(ws[k]).sum()), xs[0].mul(0).sum()))(xs) as Tensor[];
  // forward over reverse: jvp of ∇s along w
  const [, hvpFR] = jvp((a: Tensor[]) => gradS(a), [xs], [ws]);
  xs.forEach((_, k) => {
    close(`${label}: grad of grad (Hessian·w) w.r.t. input ${k}`, hvpRR[k].dataSync(), fdHw[k], TOL2);
    close(`${label}: jvp of grad (Hessian·w) w.r.t. input ${k}`, (hvpFR as Tensor[])[k].dataSync(), fdHw[k], TOL2);
  });
  // the full Hessian of a one-input function: symmetric, and H·w agrees
  if (xs.length === 1 && xs[0].size <= 16) {
    const Hm = hessian((x: Tensor) => s([x]))(xs[0]);
    const n = xs[0].size;
    expect(Hm.shape, `${label}: hessian shape`).toEqual([...xs[0].shape, ...xs[0].shape]);
    const hd = Hm.dataSync();
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++)
        expect(Math.abs(hd[i * n + j] - hd[j * n + i]), `${label}: hessian symmetric at ${i},${j}`).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(hd[i * n + j])));
    const w = ws[0].dataSync();
    const Hw = Array.from({ length: n }, (_, i) => {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += hd[i * n + j] * w[j];
      return acc;
    });
    close(`${label}: hessian · w`, Hw, fdHw[0], TOL2);
  }
}

function buildInputs(specs: InputSpec[], seed: number): Tensor[] {
  const rand = rng(seed);
  return specs.map((s) => make(values(s, rand), s.shape, s.dtype ?? "float64"));
}

/** f of the differentiable inputs only; the others are fixed at their sampled values. */
function closeOver(all: Tensor[], specs: InputSpec[], call: (...a: Tensor[]) => Tensor): { f: (...xs: Tensor[]) => Tensor; xs: Tensor[] } {
  const diffIdx = specs.flatMap((s, i) => (isDiff(s) ? [i] : []));
  const f = (...xs: Tensor[]) => {
    const args = all.slice();
    diffIdx.forEach((i, k) => (args[i] = xs[k]));
    return call(...args);
  };
  return { f, xs: diffIdx.map((i) => all[i]) };
}

/**
 * The same values and gradients when the inputs (index tensors included) are non-contiguous views:
 * kernels must honour strides, offsets and negative strides.
 */
function checkLayouts(label: string, call: (...a: Tensor[]) => Tensor, all: Tensor[], specs: InputSpec[], seed: number): void {
  const rand = rng(seed + 7);
  const ref = closeOver(all, specs, call);
  const y = ref.f(...ref.xs);
  const u = make(
    Array.from({ length: y.size }, () => rand() * 2 - 1),
    y.shape,
    y.dtype,
  );
  const [, pull] = vjp(ref.f, ...ref.xs);
  const g = pull(u) as Tensor[];
  for (const layout of ["T", "flip", "step"] as Layout[]) {
    const moved = all.map((x) => withLayout(x, layout));
    const alt = closeOver(moved, specs, call);
    close(`${label} on ${layout} inputs: value`, alt.f(...alt.xs).dataSync(), y.dataSync(), { rtol: 1e-13, atol: 1e-14 });
    const [, pull2] = vjp(alt.f, ...alt.xs);
    (pull2(u) as Tensor[]).forEach((gi, k) =>
      close(`${label} on ${layout} inputs: gradient ${k}`, gi.dataSync(), g[k].dataSync(), { rtol: 1e-13, atol: 1e-14 }),
    );
  }
}

// ---------------------------------------------------------------- the tests

describe("gradient checks from the op table", () => {
  it("every primitive has a case (or says why it has no derivative)", () => {
    const missing = allOps()
      .filter((op) => !(op.name in OP_CASES))
      .map((op) => op.name);
    expect(missing, "add these ops to tests/unit/ops/cases.ts").toEqual([]);
    for (const op of allOps()) {
      const c = OP_CASES[op.name]!;
      if (op.vjp !== undefined)
        expect((Array.isArray(c) && c.length > 0) || "definedGradient" in c, `${op.name} has a vjp rule, so it needs gradient cases`).toBe(true);
      else expect(Array.isArray(c), `${op.name} has no vjp rule but cases.ts lists gradient cases for it`).toBe(false);
    }
    const unknown = Object.keys(OP_CASES).filter((n) => !allOps().some((op) => op.name === n));
    expect(unknown, "cases for ops that do not exist").toEqual([]);
  });

  let seed = 1;
  for (const [name, entry] of Object.entries(OP_CASES)) {
    if (!Array.isArray(entry)) {
      const nd = entry as NonDifferentiable;
      if (!nd.zeroGrad) continue;
      it(`${name}: zero derivative (${nd.nondifferentiable})`, () => {
        const op = getOp(name);
        const xs = buildInputs(nd.zeroGrad!, 7);
        const f = (...a: Tensor[]) => apply(op, a, nd.attrs ?? {});
        const [, t] = jvp(
          f,
          xs,
          xs.map((x) => x.mul(0).add(1)),
        );
        expect(Array.from((t as Tensor).dataSync()).every((v) => v === 0)).toBe(true);
        const g = grad((a: Tensor[]) => f(...a).sum())(xs) as Tensor[];
        for (const gi of g) expect(Array.from(gi.dataSync()).every((v) => v === 0)).toBe(true);
      });
      continue;
    }
    (entry as GradCase[]).forEach((c, ci) => {
      const s = seed++;
      it(`${name}${c.name ? ` (${c.name})` : entry.length > 1 ? ` #${ci}` : ""}`, () => {
        const op = getOp(name);
        const all = buildInputs(c.inputs, s);
        const { f, xs } = closeOver(all, c.inputs, (...a) => apply(op, a, c.attrs ?? {}));
        checkAll(name, f, xs, { secondOrder: c.secondOrder ?? true, h: c.h ?? H, tol: c.tol }, s);
        checkLayouts(name, (...a) => apply(op, a, c.attrs ?? {}), all, c.inputs, s);
      });
    });
  }
});

describe("gradient checks of composites", () => {
  let seed = 1000;
  for (const c of COMPOSITE_CASES) {
    const s = seed++;
    it(c.name, () => {
      const all = buildInputs(c.inputs, s);
      const { f, xs } = closeOver(all, c.inputs, c.fn);
      checkAll(c.name, f, xs, { secondOrder: c.secondOrder ?? true, h: c.h ?? H, tol: c.tol }, s);
    });
  }
});
