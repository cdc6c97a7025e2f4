/**
 * Data behind the Plots panel: named charts, each with named series over one shared x array in
 * the column layout uPlot draws directly. Appending is O(1) for the usual case (x increasing,
 * several series logged at the same x); points that arrive out of order are inserted in place.
 * Pictures (`image()`, `scatter()`) are kept as the newest event of each name: a training loop
 * that redraws every step replaces, never accumulates.
 * @module
 */
import type { ImageEvent, PlotEvent, ScatterEvent } from "../../schema/events";

/** The events the Plots panel draws. */
export type PlotsEvent = PlotEvent | ImageEvent | ScatterEvent;

/** One chart: x values and a y column per series (null where a series has no point at that x). */
export class ChartData {
  readonly kind = "chart";
  readonly x: number[] = [];
  readonly series = new Map<string, (number | null)[]>();
  /** Bumped when data changes; the chart component redraws on the next frame. */
  version = $state(0);
  /** Bumped when a series is added (the chart is rebuilt). */
  layout = $state(0);

  constructor(readonly name: string) {}

  /** Number of points over all series. */
  points = 0;

  add(seriesName: string, x: number, y: number | null): void {
    let ys = this.series.get(seriesName);
    if (!ys) {
      ys = new Array<number | null>(this.x.length).fill(null);
      this.series.set(seriesName, ys);
      this.layout++;
    }
    const n = this.x.length;
    const last = n > 0 ? this.x[n - 1]! : -Infinity;
    if (x === last) {
      ys[n - 1] = y;
    } else if (x > last || Number.isNaN(last)) {
      this.x.push(x);
      for (const col of this.series.values()) col.push(null);
      ys[n] = y;
    } else {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.x[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      if (this.x[lo] === x) {
        ys[lo] = y;
      } else {
        this.x.splice(lo, 0, x);
        for (const col of this.series.values()) col.splice(lo, 0, null);
        ys[lo] = y;
      }
    }
    this.points++;
  }
}

/** A picture: the newest image or scatter event of one name. */
export class PictureData<E extends ImageEvent | ScatterEvent = ImageEvent | ScatterEvent> {
  readonly kind: E["type"];
  /** Replaced (not mutated) by each new event of this name. */
  event = $state.raw<E>() as E;
  /** How many events of this name arrived (the panel shows it; a change redraws). */
  updates = $state(0);

  constructor(event: E) {
    this.kind = event.type;
    this.event = event;
    this.updates = 1;
  }
  get name(): string {
    return this.event.name;
  }
}

/** What the panel lays out, in the order each first appeared. */
export type Figure = ChartData | PictureData;

export class PlotStore {
  /** Charts, images and scatter plots in the order they first appeared. */
  figures = $state.raw<Figure[]>([]);
  private byName = new Map<string, ChartData>();
  private pictures = new Map<string, PictureData>();

  /** The line charts among the figures. */
  get charts(): ChartData[] {
    return this.figures.filter((f): f is ChartData => f.kind === "chart");
  }

  /** Adds a batch of points and pictures; marks each touched chart changed once. */
  addAll(events: readonly PlotsEvent[]): void {
    const touched = new Set<ChartData>();
    const added: Figure[] = [];
    for (const e of events) {
      if (e.type !== "plot") {
        // Effects run after the batch, so only the newest picture of a name is drawn.
        const key = `${e.type}:${e.name}`;
        const picture = this.pictures.get(key);
        if (picture) {
          picture.event = e;
          picture.updates++;
        } else {
          const p = new PictureData(e);
          this.pictures.set(key, p);
          added.push(p);
        }
        continue;
      }
      if (!Number.isFinite(e.x) || typeof e.y !== "number") continue;
      let chart = this.byName.get(e.chart);
      if (!chart) {
        chart = new ChartData(e.chart);
        this.byName.set(e.chart, chart);
        added.push(chart);
      }
      chart.add(e.series, e.x, Number.isFinite(e.y) ? e.y : null);
      touched.add(chart);
    }
    if (added.length) this.figures = [...this.figures, ...added];
    for (const c of touched) c.version++;
  }

  clear(): void {
    this.byName.clear();
    this.pictures.clear();
    this.figures = [];
  }
}
