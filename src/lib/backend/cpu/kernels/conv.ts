/** CPU kernels for unfold (im2col) and fold (col2im): direct loops over windows; out-of-image taps read as 0. */
import { allocArray } from "../../../tensor/dtype";
import { shapeSize } from "../../../tensor/shape";
import { gather } from "../storage";
import type { CpuKernel } from "./util";
import type { PartialOpTable } from "../../../ops/names";

type Pair = [number, number];

/** Calls `visit(row, col, y, x)` for every tap of every window that lands inside the h×w image. */
function forEachTap(
  c: number,
  h: number,
  w: number,
  oh: number,
  ow: number,
  attrs: Record<string, unknown>,
  visit: (row: number, col: number, pixel: number) => void,
): void {
  const [kh, kw] = attrs.kernel as Pair,
    [sh, sw] = attrs.stride as Pair,
    [ph, pw] = attrs.padding as Pair,
    [dh, dw] = attrs.dilation as Pair;
  for (let ci = 0; ci < c; ci++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = (ci * kh + i) * kw + j;
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - ph + i * dh;
          if (y < 0 || y >= h) continue;
          for (let ox = 0; ox < ow; ox++) {
            const x = ox * sw - pw + j * dw;
            if (x < 0 || x >= w) continue;
            visit(row, oy * ow + ox, (ci * h + y) * w + x);
          }
        }
      }
    }
  }
}

/** Kernels by op name. */
export const CONV_KERNELS = {
  unfold: ([xv], attrs, out) => {
    const x = gather(xv);
    const [n, c, h, w] = xv.shape;
    const [, rows, l] = out.shape;
    // The output height from the first (row) entries; the output width is what `l` leaves.
    const [kh] = attrs.kernel as Pair,
      [sh] = attrs.stride as Pair,
      [ph] = attrs.padding as Pair,
      [dh] = attrs.dilation as Pair;
    const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1,
      ow = l / oh;
    const o = allocArray(out.dtype, shapeSize(out.shape));
    for (let b = 0; b < n; b++) {
      const xo = b * c * h * w,
        oo = b * rows * l;
      forEachTap(c, h, w, oh, ow, attrs, (row, col, pixel) => (o[oo + row * l + col] = x[xo + pixel]));
    }
    return o;
  },
  fold: ([colsView], attrs, out) => {
    const cols = gather(colsView);
    const [n, c, h, w] = out.shape;
    const [, rows, l] = colsView.shape;
    const [kh] = attrs.kernel as Pair,
      [sh] = attrs.stride as Pair,
      [ph] = attrs.padding as Pair,
      [dh] = attrs.dilation as Pair;
    const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1,
      ow = oh > 0 ? l / oh : 0;
    const o = allocArray(out.dtype, shapeSize(out.shape));
    for (let b = 0; b < n; b++) {
      const oo = b * c * h * w,
        co = b * rows * l;
      forEachTap(c, h, w, oh, ow, attrs, (row, col, pixel) => (o[oo + pixel] += cols[co + row * l + col]));
    }
    return o;
  },
} satisfies PartialOpTable<CpuKernel>;
