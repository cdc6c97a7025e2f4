/**
 * Data behind the Plots panel: named charts, each with named series over one shared x array in
 * the column layout uPlot draws directly. Appending is O(1) for the usual case (x increasing,
 * several series logged at the same x); points that arrive out of order are inserted in place.
 * @module
 */
import type { PlotEvent } from "../../lib/events";

/** One chart: x values and a y column per series (null where a series has no point at that x). */
export class ChartData {
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

export class PlotStore {
  /** Charts in the order they first appeared. */
  charts = $state.raw<ChartData[]>([]);
  private byName = new Map<string, ChartData>();

  /** Adds a batch of points and marks each touched chart changed once. */
  addAll(events: PlotEvent[]): void {
    const touched = new Set<ChartData>();
    let added = false;
    for (const e of events) {
      if (!Number.isFinite(e.x) || typeof e.y !== "number") continue;
      let chart = this.byName.get(e.chart);
      if (!chart) {
        chart = new ChartData(e.chart);
        this.byName.set(e.chart, chart);
        added = true;
      }
      chart.add(e.series, e.x, Number.isFinite(e.y) ? e.y : null);
      touched.add(chart);
    }
    if (added) this.charts = [...this.byName.values()];
    for (const c of touched) c.version++;
  }

  clear(): void {
    this.byName.clear();
    this.charts = [];
  }
}
