/**
 * Random chains of movement ops (permute, slice with any step, reshape, expand, flip, squeeze,
 * unsqueeze) against a plain reference that tracks, for each element, which base element it is.
 * Checks values, memory sharing, in-place aliasing, and that reshape copies exactly when no
 * strided view can express the result.
 */
import { describe, expect, it } from "vitest";
import { noGrad, tensor, type Tensor } from "webgrad";

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

/** The reference: element ids (base positions) in row-major order, and the shape. */
interface Ref {
  ids: number[];
  shape: number[];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const strides = (s: readonly number[]) => s.map((_, i) => size(s.slice(i + 1)));

/** Rebuild a reference from a map of output multi-index → input multi-index. */
function remap(r: Ref, shape: number[], src: (idx: number[]) => number[]): Ref {
  const n = size(shape),
    st = strides(shape),
    inSt = strides(r.shape);
  const ids = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const idx = shape.map((d, k) => Math.floor(i / st[k]) % d);
    const from = src(idx);
    ids[i] = r.ids[from.reduce((a, v, k) => a + v * inSt[k], 0)];
  }
  return { ids, shape };
}

/** Storage offsets of a tensor's elements, row-major. */
function offsets(t: Tensor): number[] {
  const v = t._view!;
  const n = size(t.shape),
    st = strides(t.shape);
  return Array.from({ length: n }, (_, i) => t.shape.reduce((a, d, k) => a + (Math.floor(i / st[k]) % d) * v.strides[k], v.offset));
}

/** True when some strides (and offset) express these element offsets in `shape`: a view is possible. */
function viewPossible(offs: number[], shape: number[]): boolean {
  const n = size(shape);
  if (n <= 1) return true;
  const st = strides(shape);
  const cand = shape.map((d, k) => (d > 1 ? offs[st[k]] - offs[0] : 0));
  for (let i = 0; i < n; i++) {
    const o = shape.reduce((a, d, k) => a + (Math.floor(i / st[k]) % d) * cand[k], offs[0]);
    if (o !== offs[i]) return false;
  }
  return true;
}

/** What the chains exercised, so the test proves it covered both sides of each branch. */
const seen = { reshapeCopies: 0, reshapeViews: 0, aliasedAtEnd: 0, copiedAtEnd: 0, expands: 0, negativeSteps: 0 };

describe("random view chains match a reference", () => {
  for (let trial = 0; trial < 150; trial++) {
    it(`chain ${trial}`, () => {
      const rand = rng(trial + 1);
      const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
      const shape0 = Array.from({ length: ri(1, 4) }, () => ri(1, 4));
      const n0 = size(shape0);
      const base = tensor(
        Float64Array.from({ length: n0 }, (_, i) => i),
        { shape: shape0, dtype: "float64" },
      );
      let t = base;
      let ref: Ref = { ids: Array.from({ length: n0 }, (_, i) => i), shape: [...shape0] };
      let aliased = true; // does t still view base's memory?
      let expanded = false;
      const log: string[] = [];
      for (let step = 0; step < 6; step++) {
        const kind = ri(0, 6);
        const r = ref.shape.length;
        if (kind === 0 && r > 0) {
          const axes = Array.from({ length: r }, (_, i) => i).sort(() => rand() - 0.5);
          log.push(`permute(${axes})`);
          t = t.permute(axes);
          ref = remap(
            ref,
            axes.map((a) => ref.shape[a]),
            (idx) => {
              const from = new Array<number>(r);
              axes.forEach((a, k) => (from[a] = idx[k]));
              return from;
            },
          );
        } else if (kind === 1 && r > 0) {
          const d = ri(0, r - 1),
            n = ref.shape[d];
          const stepv = [1, 2, 3, -1, -2][ri(0, 4)];
          const a = ri(-n, n),
            b = ri(-n - 1, n + 1);
          const spec: (null | [number, number, number])[] = ref.shape.map(() => null);
          spec[d] = [a, b, stepv];
          log.push(`slice(dim ${d}: ${a}:${b}:${stepv})`);
          if (stepv < 0) seen.negativeSteps++;
          // Python slice semantics for the reference
          const norm = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
          const start = stepv > 0 ? norm(a, 0, n) : norm(a, -1, n - 1);
          const stop = stepv > 0 ? norm(b, 0, n) : b < -n ? -1 : norm(b, -1, n - 1);
          const len = stepv > 0 ? Math.max(0, Math.ceil((stop - start) / stepv)) : Math.max(0, Math.ceil((start - stop) / -stepv));
          t = t.slice(...spec);
          const shape = [...ref.shape];
          shape[d] = len;
          ref = remap(ref, shape, (idx) => idx.map((v, k) => (k === d ? start + v * stepv : v)));
        } else if (kind === 2) {
          // reshape: split or merge dimensions of the same total size
          const total = size(ref.shape);
          const dims: number[] = [];
          let rest = total;
          for (const f of [2, 3, 2, 1]) {
            if (rest % f === 0 && rand() < 0.6) {
              dims.push(f);
              rest /= f;
            }
          }
          dims.push(rest);
          dims.sort(() => rand() - 0.5);
          if (total === 0) dims.splice(0, dims.length, 0, ...(rand() < 0.5 ? [3] : []));
          log.push(`reshape(${dims})`);
          const before = offsets(t);
          const y = t.reshape(dims);
          const shared = y._view!.storage === t._view!.storage;
          expect(shared, `reshape ${JSON.stringify(ref.shape)} → ${JSON.stringify(dims)} after ${log.join(", ")}: copy iff no view exists`).toBe(
            viewPossible(before, dims),
          );
          if (!shared) aliased = false;
          if (shared) seen.reshapeViews++;
          else seen.reshapeCopies++;
          t = y;
          ref = { ids: ref.ids, shape: dims };
        } else if (kind === 3) {
          const axes = ref.shape.flatMap((_, i) => (rand() < 0.5 ? [i] : []));
          log.push(`flip(${axes})`);
          t = t.flip(axes);
          ref = remap(ref, [...ref.shape], (idx) => idx.map((v, k) => (axes.includes(k) ? ref.shape[k] - 1 - v : v)));
        } else if (kind === 4 && r < 5) {
          const a = ri(0, r);
          log.push(`unsqueeze(${a})`);
          t = t.unsqueeze(a);
          const shape = [...ref.shape];
          shape.splice(a, 0, 1);
          ref = { ids: ref.ids, shape };
        } else if (kind === 5 && ref.shape.includes(1)) {
          const a = ref.shape.indexOf(1);
          log.push(`squeeze(${a})`);
          t = t.squeeze(a);
          ref = { ids: ref.ids, shape: ref.shape.filter((_, i) => i !== a) };
        } else if (kind === 6 && ref.shape.includes(1)) {
          const shape = ref.shape.map((d) => (d === 1 ? ri(1, 3) : d));
          log.push(`expand(${shape})`);
          t = t.expand(shape);
          const from = ref.shape;
          ref = remap(ref, shape, (idx) => idx.map((v, k) => (from[k] === 1 ? 0 : v)));
          expanded = true;
          seen.expands++;
        }
        expect(t.shape, log.join(", ")).toEqual(ref.shape);
        expect(Array.from(t.dataSync()), log.join(", ")).toEqual(ref.ids);
      }
      expect(t._view!.storage === base._view!.storage, log.join(", ")).toBe(aliased);
      if (aliased) seen.aliasedAtEnd++;
      else seen.copiedAtEnd++;
      expect(t._version === base._version, log.join(", ")).toBe(aliased);
      // writing through the view changes exactly the base elements it shows (when it aliases)
      if (!expanded) {
        noGrad(() => t.fill_(-1));
        const seen = new Set(aliased ? ref.ids : []);
        expect(Array.from(base.dataSync()), log.join(", ")).toEqual(Array.from({ length: n0 }, (_, i) => (seen.has(i) ? -1 : i)));
      }
    });
  }
  it("covered copies and views, aliasing and copies, expand and negative steps", () => {
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(5);
  });
});
