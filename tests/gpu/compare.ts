/**
 * Runs OpCases on two backends through `Backend.exec` directly (so view ops reach their kernels
 * too) and compares the results element by element.
 */
import type { Backend, StridedView } from "../../src/lib/backend/backend";
import { broadcastView } from "../../src/lib/tensor/shape";
import { getOp } from "../../src/lib/ops/registry";
import { allocArray, type DType, type TypedArray } from "../../src/lib/tensor/dtype";
import { f16round } from "../../src/lib/tensor/float16";
import { contiguousStrides, shapeSize } from "../../src/lib/tensor/shape";
import type { InputSpec, OpCase } from "./cases";

/** A seeded generator (mulberry32), so failures reproduce. */
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

/** The base memory a view kind needs, and how to lay the view over it. */
function layout(spec: InputSpec): { baseShape: number[]; view: (base: { shape: number[]; strides: number[] }) => { strides: number[]; offset: number } } {
  const s = spec.shape,
    r = s.length;
  switch (spec.view ?? "plain") {
    case "T": {
      if (r < 2) return layout({ ...spec, view: "plain" });
      const bs = [...s.slice(0, -2), s[r - 1], s[r - 2]];
      return { baseShape: bs, view: (b) => ({ strides: [...b.strides.slice(0, -2), b.strides[r - 1], b.strides[r - 2]], offset: 0 }) };
    }
    case "flip":
      return {
        baseShape: s,
        view: (b) => ({ strides: b.strides.map((st, d) => (d === r - 1 ? -st : st)), offset: r && s[r - 1] > 0 ? (s[r - 1] - 1) * b.strides[r - 1] : 0 }),
      };
    case "step": {
      const bs = [...s];
      if (r) bs[0] = 2 * s[0] + 1;
      return { baseShape: bs, view: (b) => ({ strides: b.strides.map((st, d) => (d === 0 ? 2 * st : st)), offset: r ? b.strides[0] : 0 }) };
    }
    case "expand": {
      if (r === 0) return layout({ ...spec, view: "plain" });
      const bs = [1, ...s.slice(1)];
      return { baseShape: bs, view: (b) => ({ strides: b.strides.map((st, d) => (d === 0 ? 0 : st)), offset: 0 }) };
    }
    case "offset": {
      const n = shapeSize(s);
      return { baseShape: [n + 3], view: () => ({ strides: contiguousStrides(s), offset: 3 }) };
    }
    default:
      return { baseShape: s, view: (b) => ({ strides: b.strides, offset: 0 }) };
  }
}

/**
 * The edges a "special" input mixes in. No subnormals: WGSL lets a GPU flush them to zero, and
 * SwiftShader does (docs/WEBGPU_TUNING.md), so 1e-40 is 0 there and not on the CPU. Nothing whose
 * square overflows float32 either: the CPU adds and squares in float64 (a variance of 1e30 is finite there).
 */
const SPECIAL_VALUES = [NaN, Infinity, -Infinity, 0, -0, -1, -2.5, 0.5, 1, 1e-15, 1e15];
/**
 * SPECIAL_VALUES and ±3e38, for elementwise ops only: a sum of two overflows in float32 on the GPU
 * and not in the CPU's float64 arithmetic, so a reduction or a product's answer is the order's.
 */
const EXTREME_VALUES = [...SPECIAL_VALUES, 3e38, -3e38, 123456.7, -9.87e9];

function values(spec: InputSpec, n: number, rand: () => number): TypedArray {
  const a = allocArray(spec.dtype, n);
  const lo = spec.lo ?? 0,
    hi = spec.hi ?? 1;
  for (let k = 0; k < n; k++) {
    const u = rand();
    switch (spec.values ?? "normal") {
      case "normal":
        a[k] = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * rand());
        break;
      case "pos":
        a[k] = 0.1 + 2.9 * u;
        break;
      case "unit":
        a[k] = 0.6 + 0.8 * u;
        break;
      case "bool":
        a[k] = u < 0.5 ? 1 : 0;
        break;
      case "int":
        a[k] = lo + Math.floor(u * (hi - lo + 1));
        break;
      case "index":
        a[k] = lo + Math.floor(u * (hi - lo));
        break;
      case "special":
      case "extreme": {
        // One in three an IEEE edge (NaN, ±∞, ±0, a negative into a log, a tiny normal; ±3e38 too
        // when "extreme"), the rest N(0, 1).
        const edges = spec.values === "extreme" ? EXTREME_VALUES : SPECIAL_VALUES;
        a[k] = u < 1 / 3 ? edges[Math.floor(rand() * edges.length)] : Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        break;
      }
    }
  }
  return a;
}

/** Make the same input on several backends. */
function makeInputs(c: OpCase, backends: Backend[], seed: number): StridedView[][] {
  const rand = rng(seed);
  const perBackend: StridedView[][] = backends.map(() => []);
  for (const spec of c.inputs) {
    const { baseShape, view } = layout(spec);
    const data = values(spec, shapeSize(baseShape), rand);
    const v = view({ shape: baseShape, strides: contiguousStrides(baseShape) });
    backends.forEach((be, bi) =>
      perBackend[bi].push({ storage: be.fromArray(data, spec.dtype), shape: spec.shape, strides: v.strides, offset: v.offset, dtype: spec.dtype }),
    );
  }
  return perBackend;
}

/** Run `c` on one backend and read the result back. */
async function runOn(be: Backend, c: OpCase, inputs: StridedView[]): Promise<{ data: TypedArray; shape: readonly number[]; dtype: DType }> {
  const op = getOp(c.op);
  const out = op.infer(inputs, c.attrs);
  const ins = op.broadcast ? inputs.map((v) => broadcastView(v, out.shape)) : inputs;
  const storage = be.exec(c.op, ins, c.attrs, out);
  const data = await be.read({ storage, shape: out.shape, strides: contiguousStrides(out.shape), offset: 0, dtype: out.dtype });
  return { data, shape: out.shape, dtype: out.dtype };
}

/** The outcome of one case. */
export interface CaseResult {
  op: string;
  label: string;
  ok: boolean;
  message?: string;
}

/** A named check: it throws to fail. */
export type NamedCheck = readonly [name: string, run: () => Promise<void>];

/**
 * Run `checks` in order, each as one result of `op`, logging ✔ or ✘ with the name (after
 * `prefix`); `before` runs ahead of each (a seed).
 */
export async function runNamedChecks(
  op: string,
  checks: readonly NamedCheck[],
  log: (l: string) => void,
  options: { prefix?: string; before?: () => void } = {},
): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  const prefix = options.prefix ?? "";
  for (const [name, run] of checks) {
    options.before?.();
    try {
      await run();
      out.push({ op, label: name, ok: true });
      log(`✔ ${prefix}${name}`);
    } catch (e) {
      out.push({ op, label: name, ok: false, message: (e as Error).message });
      log(`✘ ${prefix}${name}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** A short description of a case for messages. */
export function caseLabel(c: OpCase): string {
  const ins = c.inputs.map((s) => `${s.dtype}[${s.shape.join(",")}]${s.view && s.view !== "plain" ? `:${s.view}` : ""}`).join(" ");
  return `${c.op}(${ins}) ${JSON.stringify(c.attrs)}`;
}

/** Compare `c` on the reference backend and the tested one. */
export async function compareCase(ref: Backend, test: Backend, c: OpCase, seed: number): Promise<CaseResult> {
  const label = caseLabel(c);
  try {
    const [ri, ti] = makeInputs(c, [ref, test], seed);
    const want = await runOn(ref, c, ri);
    const got = await runOn(test, c, ti);
    if (got.data.length !== want.data.length) return { op: c.op, label, ok: false, message: `length ${got.data.length} ≠ ${want.data.length}` };
    // Integers and bools compare exactly: a wrapped int32 product off by 5 is within 1e-4 of 2e9.
    const exact = want.dtype === "int32" || want.dtype === "bool";
    const rtol = exact ? 0 : (c.rtol ?? 1e-4),
      atol = exact ? 0 : (c.atol ?? 1e-5);
    let bad = 0,
      first = "";
    for (let k = 0; k < want.data.length; k++) {
      const w = Number(want.data[k]),
        g = Number(got.data[k]);
      const same = w === g || (w !== w && g !== g) || Math.abs(w - g) <= atol + rtol * Math.abs(w);
      if (!same) {
        if (!bad) first = `at ${k}: got ${g}, want ${w}`;
        bad++;
      }
    }
    if (bad) return { op: c.op, label, ok: false, message: `${bad}/${want.data.length} differ; first ${first}` };
    // A float16 result must hold halves only: an emulated kernel that forgot to round would pass the tolerance.
    if (got.dtype === "float16") {
      const k = got.data.findIndex((v) => !Object.is(f16round(v), v) && v === v);
      if (k >= 0) return { op: c.op, label, ok: false, message: `float16 result at ${k} is ${got.data[k]}, not a half (nearest ${f16round(got.data[k])})` };
    }
    return { op: c.op, label, ok: true };
  } catch (e) {
    return { op: c.op, label, ok: false, message: `threw: ${(e as Error).message}` };
  }
}

/** Run many cases one after another; returns every result. */
export async function compareAll(ref: Backend, test: Backend, cases: OpCase[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (let k = 0; k < cases.length; k++) results.push(await compareCase(ref, test, cases[k], 1000 + k));
  return results;
}
