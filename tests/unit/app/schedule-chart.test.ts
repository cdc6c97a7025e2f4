import { describe, expect, it } from "vitest";
import { laneLayout, lifetimeBars, livePoints, peakStep, STEP_W } from "../../../src/app/panels/graph/schedule-chart";
import type { GraphScheduleInfo, ScheduleOrderInfo } from "../../../src/schema/events";

const order: ScheduleOrderInfo = {
  name: "memory-aware",
  order: [1, 2, 3],
  live: [100, 300, 200],
  peak: 300,
  // Buffer 0: value 10 (steps 0–1), then value 12 written in place at step 1 (its last use) through the end.
  buffers: [
    {
      bytes: 100,
      values: [
        { value: 10, node: 1, op: "matmul", start: 0, end: 1 },
        { value: 12, node: 2, op: "relu", start: 1, end: 3 },
      ],
    },
    { bytes: 100, values: [{ value: 13, node: 3, op: "sum", start: 2, end: 3 }] },
  ],
  arenaBytes: 200,
  unplannedBytes: 300,
};

describe("Schedule view geometry (schedule-chart.ts)", () => {
  it("the live curve is a step per order step, scaled to the largest peak", () => {
    expect(livePoints([100, 200], 200, 50)).toBe(`0,25.0 ${STEP_W},25.0 ${STEP_W},0.0 ${2 * STEP_W},0.0`);
    expect(peakStep(order)).toBe(1);
  });

  it("bars in one buffer split the step where one value hands its storage to the next (in place)", () => {
    const bars = lifetimeBars(order);
    expect(bars.map((b) => [b.row, b.label])).toEqual([
      [0, "matmul#1"],
      [0, "relu#2"],
      [1, "sum#3"],
    ]);
    const [a, b] = bars;
    expect(a.x + a.w).toBeLessThanOrEqual(b.x);
    expect(b.x).toBe(1.5 * STEP_W);
    // A graph output lives through the last step.
    expect(bars[2].x + bars[2].w).toBe(3 * STEP_W - 2);
  });

  it("lanes: a box per node at (stage, stream), a sync for each edge across streams", () => {
    const s: GraphScheduleInfo = {
      nodes: [
        { id: 1, op: "matmul", bytes: 8, stage: 0, lane: 0, deps: [] },
        { id: 2, op: "matmul", bytes: 8, stage: 0, lane: 1, deps: [] },
        { id: 3, op: "add", bytes: 8, stage: 1, lane: 0, deps: [1, 2] },
      ],
      orders: [order],
      streams: 2,
      stages: 2,
      dispatches: { eager: 3, graph: 3, submits: 1 },
    };
    const l = laneLayout(s);
    expect(l.boxes.map((b) => [b.lane, b.stage])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(l.syncs.map((e) => [e.from.id, e.to.id])).toEqual([[2, 3]]);
  });
});
