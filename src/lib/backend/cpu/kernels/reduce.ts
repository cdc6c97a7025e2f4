/** CPU kernels for reductions (axes moved last, one contiguous run per output element) and cumsum. */
import { allocArray } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import { arrayOf, axesLast, byDtype, outOffsetsPermuted, permutedOffsets, type CpuKernel } from "./util";
import type { PartialOpTable } from "../../../ops/names";

type Fold = { init: number; step: (acc: number, v: number) => number };

function reduceKernel(fold: Fold): CpuKernel {
  return ([x], attrs, out) => {
    const axes = attrs.axes as number[];
    const src = arrayOf(x);
    const offs = permutedOffsets(x, axesLast(x.shape.length, axes));
    const r = axes.reduce((n, a) => n * x.shape[a], 1);
    const n = shapeSize(out.shape);
    const o = allocArray(out.dtype, n);
    for (let i = 0, k = 0; i < n; i++) {
      let acc = fold.init;
      for (let j = 0; j < r; j++) acc = fold.step(acc, src[offs[k++]]);
      o[i] = acc;
    }
    return o;
  };
}

function argKernel(better: (v: number, best: number) => boolean): CpuKernel {
  return ([x], attrs, out) => {
    const axes = attrs.axes as number[];
    const src = arrayOf(x);
    const offs = permutedOffsets(x, axesLast(x.shape.length, axes));
    const r = axes.reduce((n, a) => n * x.shape[a], 1);
    const n = shapeSize(out.shape);
    const o = allocArray(out.dtype, n);
    for (let i = 0, k = 0; i < n; i++) {
      let best = src[offs[k]],
        bi = 0;
      for (let j = 0; j < r; j++, k++) {
        const v = src[offs[k]];
        // NaN wins (first one), as in NumPy.
        if (best === best && (v !== v || better(v, best))) {
          best = v;
          bi = j;
        }
      }
      o[i] = bi;
    }
    return o;
  };
}

/** Kernels by op name. */
export const REDUCE_KERNELS = {
  sum: reduceKernel({ init: 0, step: (a, v) => a + v }),
  prod: byDtype(reduceKernel({ init: 1, step: (a, v) => a * v }), reduceKernel({ init: 1, step: Math.imul })),
  max: reduceKernel({ init: -Infinity, step: (a, v) => (a !== a || v !== v ? NaN : v > a ? v : a) }),
  min: reduceKernel({ init: Infinity, step: (a, v) => (a !== a || v !== v ? NaN : v < a ? v : a) }),
  argmax: argKernel((v, best) => v > best),
  argmin: argKernel((v, best) => v < best),
  cumsum: ([x], attrs, out) => {
    const axis = attrs.axis as number;
    const perm = axesLast(x.shape.length, [axis]);
    const src = arrayOf(x);
    const inOffs = permutedOffsets(x, perm);
    const outOffs = outOffsetsPermuted(out.shape, perm);
    const len = x.shape[axis] ?? 1;
    const o = allocArray(out.dtype, shapeSize(out.shape));
    for (let k = 0; k < inOffs.length; k += len) {
      let acc = 0;
      for (let j = 0; j < len; j++) {
        acc += src[inOffs[k + j]];
        o[outOffs[k + j]] = acc;
      }
    }
    return o;
  },
} satisfies PartialOpTable<CpuKernel>;
