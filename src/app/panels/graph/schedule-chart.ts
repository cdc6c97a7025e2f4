/**
 * Geometry of the Graph panel's Schedule view (pure, unit-tested): the live-bytes curve of each
 * order, the streams as lanes (x: stage, y: stream), and the memory plan as buffer lifetimes
 * (x: step, y: buffer). Coordinates are in SVG user units; the view scales them to its width.
 */
import type { GraphScheduleInfo, ScheduleOrderInfo } from "../../../schema/events";

/** Width of one step (lifetime chart, live curve) and of one stage (lanes). */
export const STEP_W = 44;
/** Height of one row (a buffer, a stream). */
export const ROW_H = 22;

/** Points of a step curve of `live` bytes, scaled so that `max` bytes is `height` tall (for an SVG polyline). */
export function livePoints(live: readonly number[], max: number, height: number): string {
  const y = (b: number) => (height - (max > 0 ? (b / max) * height : 0)).toFixed(1);
  return live.flatMap((b, s) => [`${s * STEP_W},${y(b)}`, `${(s + 1) * STEP_W},${y(b)}`]).join(" ");
}

/** The step at which an order reaches its peak (the first, when it reaches it twice). */
export function peakStep(o: ScheduleOrderInfo): number {
  return o.live.indexOf(o.peak);
}

/** A node drawn in its stream's lane. */
export interface LaneBox {
  id: number;
  op: string;
  x: number;
  y: number;
  lane: number;
  stage: number;
}

/** An edge between lanes: a synchronisation (the later stream waits for an event of the earlier one). */
export interface LaneSync {
  from: LaneBox;
  to: LaneBox;
}

/** Boxes at (stage, lane) and the edges that cross lanes. */
export function laneLayout(s: GraphScheduleInfo): { boxes: LaneBox[]; syncs: LaneSync[]; width: number; height: number } {
  const slot = new Map<string, number>(); // several nodes of one lane in one stage sit side by side
  const boxes = s.nodes.map((n) => {
    const k = `${n.stage}:${n.lane}`;
    const i = slot.get(k) ?? 0;
    slot.set(k, i + 1);
    return { id: n.id, op: n.op, lane: n.lane, stage: n.stage, x: n.stage * STEP_W * 1.6 + i * 6, y: n.lane * ROW_H };
  });
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const syncs = s.nodes.flatMap((n) =>
    n.deps.flatMap((d) => {
      const from = byId.get(d),
        to = byId.get(n.id)!;
      return from && from.lane !== to.lane ? [{ from, to }] : [];
    }),
  );
  return { boxes, syncs, width: s.stages * STEP_W * 1.6, height: s.streams * ROW_H };
}

/** One value's bar in the lifetime chart: buffer row, steps [start, end] inclusive. */
export interface LifetimeBar {
  row: number;
  x: number;
  w: number;
  label: string;
  node: number;
}

/**
 * The memory plan of an order as bars: one row per buffer, one bar per value from the step that
 * makes it through its last use (graph outputs: through the last step). When a value is written
 * in place into a buffer whose value dies at that step, the two share the step half and half.
 */
export function lifetimeBars(o: ScheduleOrderInfo): LifetimeBar[] {
  const last = o.order.length - 1;
  return o.buffers.flatMap((b, row) =>
    b.values.map((v) => {
      const end = Math.min(v.end, last);
      const handsOver = b.values.some((w) => w !== v && w.start === end && w.start > v.start);
      const takesOver = b.values.some((w) => w !== v && Math.min(w.end, last) === v.start && w.start < v.start);
      const x0 = v.start * STEP_W + (takesOver ? STEP_W / 2 : 0);
      const x1 = (end + 1) * STEP_W - (handsOver ? STEP_W / 2 : 0);
      return { row, x: x0, w: Math.max(4, x1 - x0 - 2), label: `${v.op}#${v.node}`, node: v.node };
    }),
  );
}
