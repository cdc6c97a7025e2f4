import { emit } from "./events";

/** Options for {@link plot}. */
export interface PlotOptions {
  /** Series (line) name within the chart; defaults to the chart name. */
  series?: string;
}

/**
 * Add a point to a live line chart in the Plots panel.
 * Points with the same `chart` share axes; `series` names separate lines.
 * @example plot("loss", step, await loss.item());
 * @example plot("accuracy", epoch, acc, { series: "test" });
 */
export function plot(chart: string, x: number, y: number, options: PlotOptions = {}): void {
  if (typeof chart !== "string" || chart.length === 0) throw new TypeError("plot: the chart name must be a non-empty string");
  if (typeof x !== "number" || typeof y !== "number") {
    throw new TypeError(`plot("${chart}"): x and y must be numbers (got ${typeof x} and ${typeof y}); use await t.item() to read a tensor`);
  }
  emit({ type: "plot", chart, series: options.series ?? chart, x, y });
}
