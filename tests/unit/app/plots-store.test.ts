import { describe, expect, it } from "vitest";
import type { ImageEvent, ScatterEvent } from "webgrad";
import { ChartData, PictureData, PlotStore } from "../../../src/app/state/plots.svelte";
import { CLASS_COLORS, backgroundRgba, describeImage, describeScatter, gridLayout, imageRgba, lut, ticks } from "../../../src/app/panels/plots/raster";

const img = (name: string, level: number): ImageEvent => ({
  type: "image",
  name,
  count: 1,
  height: 1,
  width: 2,
  pixels: new Uint8Array([level, 255 - level]),
  range: [0, 1],
  colormap: "gray",
});
const sc = (name: string, n: number): ScatterEvent => ({ type: "scatter", name, points: new Float32Array(2 * n), classes: 1, extent: [0, 1, 0, 1] });

describe("PlotStore: charts and pictures", () => {
  it("keeps figures in the order they first appeared, charts and pictures together", () => {
    const s = new PlotStore();
    s.addAll([
      { type: "plot", chart: "loss", series: "loss", x: 0, y: 1 },
      img("digits", 0),
      sc("spirals", 3),
      { type: "plot", chart: "acc", series: "acc", x: 0, y: 0.5 },
    ]);
    expect(s.figures.map((f) => `${f.kind}:${f.name}`)).toEqual(["chart:loss", "image:digits", "scatter:spirals", "chart:acc"]);
    expect(s.charts.map((c) => c.name)).toEqual(["loss", "acc"]);
    expect(s.charts[0]).toBeInstanceOf(ChartData);
  });

  it("replaces a picture by name (newest wins) and counts its updates, without new figures", () => {
    const s = new PlotStore();
    s.addAll([img("w", 0)]);
    const first = s.figures[0] as PictureData<ImageEvent>;
    s.addAll([img("w", 10), img("w", 20), sc("w", 1)]);
    expect(s.figures).toHaveLength(2); // an image and a scatter may share a name
    expect(s.figures[0]).toBe(first);
    expect(first.event.pixels[0]).toBe(20);
    expect(first.updates).toBe(3);
    s.clear();
    expect(s.figures).toEqual([]);
    s.addAll([img("w", 5)]);
    expect((s.figures[0] as PictureData<ImageEvent>).updates).toBe(1);
  });

  it("still appends chart points and skips non-finite x", () => {
    const s = new PlotStore();
    s.addAll([
      { type: "plot", chart: "c", series: "a", x: 0, y: 1 },
      { type: "plot", chart: "c", series: "a", x: NaN, y: 1 },
      { type: "plot", chart: "c", series: "a", x: 1, y: Infinity },
    ]);
    expect(s.charts[0]!.x).toEqual([0, 1]);
    expect(s.charts[0]!.series.get("a")).toEqual([1, null]);
  });
});

describe("Plots panel rasters", () => {
  it("colour maps run from their first to their last anchor", () => {
    expect([...lut("gray").subarray(0, 3)]).toEqual([0, 0, 0]);
    expect([...lut("gray").subarray(765)]).toEqual([255, 255, 255]);
    expect([...lut("viridis").subarray(0, 3)]).toEqual([68, 1, 84]);
    expect([...lut("coolwarm").subarray(765)]).toEqual([180, 4, 38]);
  });

  it("turns image levels into opaque RGBA, image by image", () => {
    const e: ImageEvent = { ...img("x", 0), count: 2, pixels: new Uint8Array([0, 255, 128, 64]) };
    expect([...imageRgba(e, 1)]).toEqual([128, 128, 128, 255, 64, 64, 64, 255]);
  });

  it("mixes class colours by probability and fades toward the paper", () => {
    const bg = { width: 2, height: 1, channels: 2, levels: new Uint8Array([255, 0, 0, 255]) };
    const out = backgroundRgba(bg, [255, 255, 255], 0);
    expect([...out.subarray(0, 3)]).toEqual([...CLASS_COLORS[0]!]);
    expect([...out.subarray(4, 7)]).toEqual([...CLASS_COLORS[1]!]);
    const faded = backgroundRgba(bg, [255, 255, 255], 1);
    expect([...faded.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    // One channel: the probability of class 1; 0.5 is halfway between the two class colours.
    const half = backgroundRgba({ width: 1, height: 1, channels: 1, levels: new Uint8Array([128]) }, [0, 0, 0], 0);
    const mid = CLASS_COLORS[0]!.map((c, i) => (c * 127 + CLASS_COLORS[1]![i]! * 128) / 255);
    [...half.subarray(0, 3)].forEach((v, i) => expect(Math.abs(v - mid[i]!)).toBeLessThanOrEqual(1));
  });

  it("lays grids out with whole-number zoom, columns that fit, and room for captions", () => {
    expect(gridLayout(32, 28, 28, 480, { captions: true })).toEqual({ columns: 8, rows: 4, zoom: 2, cellWidth: 56, cellHeight: 70 });
    expect(gridLayout(32, 28, 28, 480, { columns: 4 })).toMatchObject({ columns: 4, rows: 8, zoom: 4 });
    expect(gridLayout(1, 28, 28, 1000)).toMatchObject({ columns: 1, zoom: 11 }); // 320 px tall at most
    expect(gridLayout(1, 500, 10, 250).zoom).toBe(0.5);
  });

  it("describes pictures for screen readers", () => {
    const e: ImageEvent = { ...img("digits", 0), count: 2, captions: ["7", "1"], correct: [true, false], pixels: new Uint8Array(4) };
    expect(describeImage(e)).toBe(
      "Image grid digits: 2 images of 1 by 2 pixels, gray colour map from 0 to 1. Captions: 7 (correct), 1 (wrong). 1 correct, 1 wrong",
    );
    const s: ScatterEvent = {
      ...sc("spirals", 3),
      labels: new Int32Array([0, 1, 1]),
      classes: 2,
      background: { width: 4, height: 4, channels: 2, levels: new Uint8Array(32) },
    };
    expect(describeScatter(s)).toBe(
      "Scatter plot spirals: 3 points in 2 classes (class 0: 1, class 1: 2), x from 0 to 1, y from 0 to 1, over the class probabilities of a 4 by 4 grid (the decision boundary)",
    );
  });

  it("picks round ticks", () => {
    expect(ticks(-1.2, 1.2)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(ticks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
