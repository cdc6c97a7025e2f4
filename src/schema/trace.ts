/**
 * Chrome Trace Event JSON, the format Perfetto and chrome://tracing open: what the library's
 * `dist.toChromeTrace` returns and what the Cluster panel's "Export trace" writes. Types only: no
 * DOM, no imports outside src/schema.
 * @module
 */

/**
 * One Chrome Trace Event ("X": complete; "M": metadata).
 * @example dist.toChromeTrace(r.timeline).traceEvents.filter((e) => e.ph === "X")
 */
export interface TraceEvent {
  name: string;
  ph: "X" | "M";
  pid: number;
  tid: number;
  /** Start, microseconds. */
  ts?: number;
  /** Duration, microseconds. */
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

/**
 * The JSON object Perfetto opens.
 * @example const json = JSON.stringify(dist.toChromeTrace(r.timeline));   // open in ui.perfetto.dev
 */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ns" | "ms";
  metadata?: Record<string, unknown>;
}
