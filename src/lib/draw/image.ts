/**
 * `image()`: grey-level pictures, heatmaps and grids of small images in the Plots panel.
 * @module
 */
import type { ColorMap, ImageEvent } from "../events";
import { fmtShape } from "../tensor/shape";
import { ShapeError } from "../errors";
import { drawThrottled } from "./throttle";
import { finiteRange, quantize, shapeOf, valuesOf, type Numbers } from "./values";

/** Options of {@link image}. */
export interface ImageOptions {
  /** Value range mapped to the colour map's ends (default: the data's min and max). */
  range?: [number, number];
  /** `"gray"` (default: black → white), `"viridis"` (heatmaps) or `"coolwarm"` (signed values, e.g. weights). */
  colormap?: ColorMap;
  /** Images per row of a grid (default: as many as fit). */
  columns?: number;
  /** A caption under each image of a grid (e.g. the predicted label). */
  captions?: (string | number)[];
  /** Per image: true colours its caption green (correct), false red (wrong), null leaves it plain. */
  correct?: (boolean | null)[];
}

/** Most images in one grid, and most pixels in one call: pictures are for looking at. */
const MAX_IMAGES = 400;
const MAX_PIXELS = 1 << 20;
const COLORMAPS: readonly ColorMap[] = ["gray", "viridis", "coolwarm"];

/**
 * Draws a picture into the Plots panel, replacing the previous one of the same `name`: a grey-level
 * image or heatmap ([H, W]) or a grid of small images ([N, H, W], or [N, 1, H, W] as a CNN sees
 * them) with optional captions coloured by correctness. Values are scaled over `range` (default:
 * min to max). Cheap to call every step: redraws are limited to 30 per second per name (calls in
 * between only keep the newest picture and read nothing back).
 * @example await image("weights", model.layers[0].weight, { colormap: "coolwarm" });
 * @example
 * await image("test digits", test.x.narrow(0, 0, 16).reshape([16, 28, 28]), {
 *   captions: preds, correct: preds.map((p, i) => p === labels[i]),
 * });
 */
export function image(name: string, values: Numbers, opts: ImageOptions = {}): Promise<void> {
  const fn = `image("${name}")`;
  if (typeof name !== "string" || name.length === 0) throw new TypeError("image: the name must be a non-empty string");
  let shape = shapeOf(fn, "values", values);
  if (shape.length === 4 && shape[1] === 1) shape = [shape[0]!, shape[2]!, shape[3]!];
  if (shape.length === 2) shape = [1, ...shape];
  if (shape.length !== 3) {
    throw new ShapeError(
      fn,
      `expects [height, width] or [count, height, width] values (or [count, 1, height, width]), got ${fmtShape(shapeOf(fn, "values", values))}`,
    );
  }
  const [count, height, width] = shape as [number, number, number];
  if (count === 0 || height === 0 || width === 0) throw new ShapeError(fn, `has nothing to draw: values are ${fmtShape(shapeOf(fn, "values", values))}`);
  if (count > MAX_IMAGES)
    throw new ShapeError(fn, `draws at most ${MAX_IMAGES} images at once, got ${count} (values ${fmtShape(shape)}); pick a few with narrow()`);
  if (count * height * width > MAX_PIXELS)
    throw new ShapeError(fn, `draws at most ${MAX_PIXELS} pixels at once, got ${count * height * width} (values ${fmtShape(shape)})`);
  const colormap = opts.colormap ?? "gray";
  if (!COLORMAPS.includes(colormap)) throw new RangeError(`${fn}: colormap must be one of ${COLORMAPS.join(", ")}, got ${JSON.stringify(colormap)}`);
  const range = opts.range;
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
    throw new RangeError(`${fn}: range must be [low, high] with finite low < high, got ${JSON.stringify(range)}`);
  }
  if (opts.columns !== undefined && !(Number.isInteger(opts.columns) && opts.columns >= 1))
    throw new RangeError(`${fn}: columns must be a positive integer, got ${opts.columns}`);
  for (const [key, list] of [
    ["captions", opts.captions],
    ["correct", opts.correct],
  ] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.length !== count)) {
      throw new ShapeError(
        fn,
        `needs one ${key} entry per image: ${count} images (values ${fmtShape(shape)}), got ${Array.isArray(list) ? list.length : typeof list}`,
      );
    }
  }
  const captions = opts.captions?.map(String);
  const correct = opts.correct?.map((c) => (c === null ? null : Boolean(c)));
  return drawThrottled(`image:${name}`, async (): Promise<ImageEvent> => {
    const data = await valuesOf(values);
    const [lo, hi] = range ?? finiteRange(data);
    return {
      type: "image",
      name,
      count,
      height,
      width,
      pixels: quantize(data, lo, hi),
      range: [lo, hi],
      colormap,
      ...(opts.columns !== undefined && { columns: opts.columns }),
      ...(captions && { captions }),
      ...(correct && { correct }),
    };
  });
}
