/**
 * `scatter()` and `decisionGrid()`: points coloured by class in the Plots panel, optionally over
 * a classifier's class probabilities (its decision boundary) and with curves on top.
 * @module
 */
import type { ScatterEvent } from "../events";
import { ShapeError } from "../errors";
import { tensor } from "../ops/creation";
import type { Tensor } from "../tensor/tensor";
import { fmtShape } from "../tensor/shape";
import { drawThrottled } from "./throttle";
import { quantize, shapeOf, valuesOf, type Numbers } from "./values";

/**
 * A grid of points over a rectangle, to evaluate a model on for {@link ScatterOptions.background}.
 * `points` is [size·size, 2], row by row from the top (y = yMax) to the bottom, x from left to right.
 */
export interface DecisionGrid {
  points: Tensor;
  size: number;
  x: [number, number];
  y: [number, number];
}

/**
 * A `size`×`size` grid over x ∈ `xRange`, y ∈ `yRange` (default 48 per side): feed `grid.points`
 * to a classifier and hand its probabilities to `scatter(…, { background: { grid, probs } })`.
 * @example const grid = decisionGrid([-1.5, 1.5], [-1.5, 1.5]);
 */
export function decisionGrid(xRange: [number, number], yRange: [number, number], size = 48): DecisionGrid {
  for (const [what, r] of [
    ["xRange", xRange],
    ["yRange", yRange],
  ] as const) {
    if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[0] < r[1])) {
      throw new RangeError(`decisionGrid: ${what} must be [low, high] with finite low < high, got ${JSON.stringify(r)}`);
    }
  }
  if (!Number.isInteger(size) || size < 2 || size > 256) throw new RangeError(`decisionGrid: size must be an integer in 2 … 256, got ${size}`);
  const pts = new Float32Array(2 * size * size);
  for (let i = 0; i < size; i++) {
    const y = yRange[1] - ((i + 0.5) / size) * (yRange[1] - yRange[0]);
    for (let j = 0; j < size; j++) {
      pts[2 * (i * size + j)] = xRange[0] + ((j + 0.5) / size) * (xRange[1] - xRange[0]);
      pts[2 * (i * size + j) + 1] = y;
    }
  }
  return { points: tensor(pts, { shape: [size * size, 2] }), size, x: [xRange[0], xRange[1]], y: [yRange[0], yRange[1]] };
}

/** Options of {@link scatter}. */
export interface ScatterOptions {
  /**
   * Class probabilities over a {@link decisionGrid}: `probs` is [size·size, classes] (rows summing
   * to 1, e.g. `softmax`) or [size·size] / [size·size, 1] (the probability of class 1, e.g.
   * `sigmoid`). Each cell mixes the class colours by probability, so the boundary shows as the
   * blend between regions. The plot's area is the grid's.
   */
  background?: { grid: DecisionGrid; probs: Numbers };
  /** Curves drawn over the points, by name: [M, 2] (x, y) each, joined in the order given. */
  lines?: Record<string, Numbers>;
  /** Number of classes (colours); default: the largest label + 1, or the probabilities' width. */
  classes?: number;
  /** Plotted x range (default: the grid's, else the data's with a margin). */
  x?: [number, number];
  /** Plotted y range (default: the grid's, else the data's with a margin). */
  y?: [number, number];
}

function pairs(fn: string, what: string, v: Numbers): number {
  const shape = shapeOf(fn, what, v);
  if (shape.length !== 2 || shape[1] !== 2) throw new ShapeError(fn, `${what} must be [n, 2] (x, y pairs), got ${fmtShape(shape)}`);
  return shape[0]!;
}

function bounds(all: Float32Array[], fallback: [number, number], axis: 0 | 1): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const a of all)
    for (let i = axis; i < a.length; i += 2) {
      const v = a[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (!Number.isFinite(lo)) return fallback;
  const pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
  return [lo - pad, hi + pad];
}

/**
 * Draws a scatter plot into the Plots panel, replacing the previous one of the same `name`:
 * `points` [n, 2] coloured by `labels` (class indices, [n]), optionally over a classifier's class
 * probabilities on a {@link decisionGrid} (its decision boundary) and with curves on top. Cheap
 * to call every step: redraws are limited to 30 per second per name.
 * @example
 * const grid = decisionGrid([-1.2, 1.2], [-1.2, 1.2]);
 * await scatter("spirals", x, y, { background: { grid, probs: model.forward(grid.points).softmax(-1) } });
 * @example await scatter("fit", xy, undefined, { lines: { model: curve } });
 */
export function scatter(name: string, points: Numbers, labels?: Numbers, opts: ScatterOptions = {}): Promise<void> {
  const fn = `scatter("${name}")`;
  if (typeof name !== "string" || name.length === 0) throw new TypeError("scatter: the name must be a non-empty string");
  const n = pairs(fn, "points", points);
  if (labels !== undefined) {
    const ls = shapeOf(fn, "labels", labels);
    if (ls.length !== 1 || ls[0] !== n) throw new ShapeError(fn, `labels must be [${n}] (one class per point of points [${n}, 2]), got ${fmtShape(ls)}`);
  }
  const lines = Object.entries(opts.lines ?? {});
  for (const [key, v] of lines) pairs(fn, `lines.${key}`, v);
  const bg = opts.background;
  let channels = 0;
  if (bg) {
    const g = bg.grid;
    if (!g || !Number.isInteger(g.size) || !g.points) throw new TypeError(`${fn}: background.grid must come from decisionGrid()`);
    const ps = shapeOf(fn, "background.probs", bg.probs);
    const cells = g.size * g.size;
    if (ps[0] !== cells || ps.length > 2 || (ps.length === 2 && ps[1]! < 1)) {
      throw new ShapeError(fn, `background.probs must be [${cells}, classes] or [${cells}] for a ${g.size}×${g.size} grid, got ${fmtShape(ps)}`);
    }
    channels = ps.length === 2 ? ps[1]! : 1;
  }
  if (opts.classes !== undefined && !(Number.isInteger(opts.classes) && opts.classes >= 1 && opts.classes <= 64)) {
    throw new RangeError(`${fn}: classes must be an integer in 1 … 64, got ${opts.classes}`);
  }
  for (const axis of ["x", "y"] as const) {
    const r = opts[axis];
    if (r !== undefined && bg) throw new RangeError(`${fn}: the plotted area is the background grid's; leave out ${axis} or change the decisionGrid`);
    if (r !== undefined && !(Array.isArray(r) && r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) {
      throw new RangeError(`${fn}: ${axis} must be [low, high] with finite low < high, got ${JSON.stringify(r)}`);
    }
  }
  return drawThrottled(`scatter:${name}`, async (): Promise<ScatterEvent> => {
    const xy = Float32Array.from(await valuesOf(points));
    let ls: Int32Array | undefined;
    if (labels !== undefined) {
      ls = Int32Array.from(await valuesOf(labels));
      for (let i = 0; i < ls.length; i++) {
        if (ls[i]! < 0) throw new RangeError(`${fn}: labels must be class indices ≥ 0, got ${ls[i]} at ${i}`);
      }
    }
    const curves = await Promise.all(lines.map(async ([key, v]) => ({ name: key, points: Float32Array.from(await valuesOf(v)) })));
    let maxLabel = -1;
    if (ls) for (const l of ls) maxLabel = Math.max(maxLabel, l);
    const classes = opts.classes ?? Math.max(maxLabel + 1, channels === 1 ? 2 : channels, 1);
    const event: ScatterEvent = {
      type: "scatter",
      name,
      points: xy,
      classes,
      extent: [0, 1, 0, 1],
      ...(ls && { labels: ls }),
      ...(curves.length > 0 && { lines: curves }),
    };
    const all = [xy, ...curves.map((c) => c.points)];
    const gx = bg?.grid.x,
      gy = bg?.grid.y;
    const [x0, x1] = gx ?? opts.x ?? bounds(all, [0, 1], 0);
    const [y0, y1] = gy ?? opts.y ?? bounds(all, [0, 1], 1);
    event.extent = [x0, x1, y0, y1];
    if (bg) {
      event.background = { width: bg.grid.size, height: bg.grid.size, channels, levels: quantize(await valuesOf(bg.probs), 0, 1) };
    }
    return event;
  });
}
