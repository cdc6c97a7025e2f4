/**
 * Pixels for the Plots panel's pictures, computed without the DOM (so they are unit-tested):
 * colour maps, the class palette, image-grid layout, RGBA for one image of an `image` event and
 * for a scatter plot's class-probability background, and the accessible descriptions.
 * @module
 */
import type { ColorMap, ImageEvent, ScatterEvent } from "../../../schema/events";
import { t } from "../../i18n/i18n.svelte";

export type Rgb = readonly [number, number, number];

/** Class colours (Tableau 10: distinct, and readable by most colour-blind people). */
export const CLASS_COLORS: readonly Rgb[] = [
  [78, 121, 167],
  [242, 142, 43],
  [89, 161, 79],
  [225, 87, 89],
  [118, 183, 178],
  [237, 201, 72],
  [176, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];

export const classColor = (c: number): Rgb => CLASS_COLORS[((c % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length]!;
export const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

/** Anchor colours of each map, evenly spaced from level 0 to 255. */
const ANCHORS: Record<ColorMap, Rgb[]> = {
  gray: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  viridis: [
    [68, 1, 84],
    [72, 40, 120],
    [62, 74, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [110, 206, 88],
    [181, 222, 43],
    [253, 231, 37],
  ],
  coolwarm: [
    [59, 76, 192],
    [141, 176, 254],
    [221, 221, 221],
    [244, 154, 123],
    [180, 4, 38],
  ],
};
const luts = new Map<ColorMap, Uint8Array>();

/** 256 RGB triples for a colour map (linear between its anchors). */
export function lut(map: ColorMap): Uint8Array {
  let t = luts.get(map);
  if (t) return t;
  const a = ANCHORS[map];
  t = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const f = (i / 255) * (a.length - 1);
    const k = Math.min(Math.floor(f), a.length - 2),
      w = f - k;
    for (let c = 0; c < 3; c++) t[3 * i + c] = Math.round(a[k]![c]! * (1 - w) + a[k + 1]![c]! * w);
  }
  luts.set(map, t);
  return t;
}

/** RGBA of image `index` of an image event. */
export function imageRgba(e: ImageEvent, index: number): Uint8ClampedArray<ArrayBuffer> {
  const n = e.width * e.height,
    table = lut(e.colormap);
  const out = new Uint8ClampedArray(4 * n);
  const base = index * n;
  for (let i = 0; i < n; i++) {
    const l = e.pixels[base + i]!;
    out[4 * i] = table[3 * l]!;
    out[4 * i + 1] = table[3 * l + 1]!;
    out[4 * i + 2] = table[3 * l + 2]!;
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * RGBA of a scatter background: each cell mixes the class colours by probability (one channel:
 * the probability of class 1 against class 0), then fades toward the page colour `paper`, so the
 * points drawn on top stay readable while the regions and the boundary between them show.
 */
export function backgroundRgba(bg: NonNullable<ScatterEvent["background"]>, paper: Rgb, fade = 0.45): Uint8ClampedArray<ArrayBuffer> {
  const cells = bg.width * bg.height,
    ch = bg.channels;
  const out = new Uint8ClampedArray(4 * cells);
  for (let i = 0; i < cells; i++) {
    let r = 0,
      g = 0,
      b = 0,
      total = 0;
    const mix = (c: number, p: number): void => {
      const [cr, cg, cb] = classColor(c);
      r += p * cr;
      g += p * cg;
      b += p * cb;
      total += p;
    };
    if (ch === 1) {
      const p = bg.levels[i]! / 255;
      mix(0, 1 - p);
      mix(1, p);
    } else {
      for (let c = 0; c < ch; c++) mix(c, bg.levels[i * ch + c]! / 255);
    }
    const k = total > 0 ? 1 / total : 0;
    out[4 * i] = (1 - fade) * r * k + fade * paper[0];
    out[4 * i + 1] = (1 - fade) * g * k + fade * paper[1];
    out[4 * i + 2] = (1 - fade) * b * k + fade * paper[2];
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Where the images of a grid go: columns, rows and the integer zoom of each image. */
export interface GridLayout {
  columns: number;
  rows: number;
  /** Screen pixels per image pixel. */
  zoom: number;
  /** Cell size in CSS pixels (image plus caption). */
  cellWidth: number;
  cellHeight: number;
}

export const GRID_GAP = 4;
export const CAPTION_HEIGHT = 14;

/**
 * Lays out `count` images of `width`×`height` in `available` CSS pixels: a single image is zoomed
 * to fit (at most `maxHeight` tall); a grid uses the requested columns or as many as fit at
 * zoom ≥ 2 (small digits stay legible), then the largest zoom that fits (whole from 2 up).
 */
export function gridLayout(
  count: number,
  width: number,
  height: number,
  available: number,
  opts: { columns?: number; captions?: boolean; maxHeight?: number } = {},
): GridLayout {
  const caption = opts.captions ? CAPTION_HEIGHT : 0;
  const avail = Math.max(available, 16);
  const maxHeight = opts.maxHeight ?? 320;
  let columns = opts.columns ?? Math.max(1, Math.min(count, Math.floor((avail + GRID_GAP) / (2 * width + GRID_GAP))));
  columns = Math.min(columns, count);
  const rows = Math.ceil(count / columns);
  const fitW = (avail - GRID_GAP * (columns - 1)) / (columns * width);
  const fitH = count === 1 ? maxHeight / height : Infinity;
  const raw = Math.min(fitW, fitH);
  // Whole-number zoom keeps pixels square; below 2 the picture is scaled smoothly (a zoom of 1.9
  // rounded down to 1 would waste half the room).
  const zoom = raw >= 2 ? Math.floor(raw) : raw;
  return { columns, rows, zoom, cellWidth: width * zoom, cellHeight: height * zoom + caption };
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(+v.toPrecision(3)));

/** What an image event shows, for screen readers (`aria-label`). */
export function describeImage(e: ImageEvent): string {
  const size = { name: e.name, count: e.count, height: e.height, width: e.width };
  const what = e.count === 1 ? t("panels.imageOne", size) : t("panels.imageGrid", size);
  let s = t("panels.imageColormap", { what, colormap: e.colormap, lo: fmt(e.range[0]), hi: fmt(e.range[1]) });
  const sep = t("panels.listSeparator");
  if (e.captions) {
    const shown = e.captions
      .slice(0, 20)
      .map((caption, i) => (e.correct?.[i] === true ? t("panels.correct", { caption }) : e.correct?.[i] === false ? t("panels.wrong", { caption }) : caption));
    s += t("panels.captions", { list: shown.join(sep) + (e.captions.length > 20 ? `${sep}…` : "") });
  }
  if (e.correct) {
    const right = e.correct.filter((c) => c === true).length,
      wrong = e.correct.filter((c) => c === false).length;
    s += t("panels.tally", { right, wrong });
  }
  return s;
}

/** What a scatter event shows, for screen readers (`aria-label`). */
export function describeScatter(e: ScatterEvent): string {
  const n = e.points.length / 2;
  const [x0, x1, y0, y1] = e.extent;
  const sep = t("panels.listSeparator");
  let s = t("panels.scatter", { name: e.name, n });
  if (e.labels) {
    const counts = new Array<number>(e.classes).fill(0);
    for (const l of e.labels) if (l < e.classes) counts[l]!++;
    s += t("panels.scatterClasses", { classes: e.classes, counts: counts.map((c, i) => t("panels.classCount", { i, n: c })).join(sep) });
  }
  s += t("panels.scatterExtent", { x0: fmt(x0), x1: fmt(x1), y0: fmt(y0), y1: fmt(y1) });
  if (e.background) s += t("panels.scatterBackground", { width: e.background.width, height: e.background.height });
  if (e.lines?.length)
    s += t("panels.scatterLines", { lines: e.lines.map((l) => t("panels.lineWithPoints", { name: l.name, n: l.points.length / 2 })).join(sep) });
  return s;
}

/** About `n` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n,
    mag = 10 ** Math.floor(Math.log10(raw)),
    f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(+v.toPrecision(12));
  return out;
}
