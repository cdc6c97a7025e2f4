import { describe, expect, it } from "vitest";
import { KnobStore, type Knob } from "../../../src/app/state/knobs.svelte";
import { formatKnobValue, positionCount, positionOf, valueAt } from "../../../src/app/components/knob-scale";

const microbatches = (value = 8): Extract<Knob, { control: "slider" }> => ({
  type: "knob",
  control: "slider",
  name: "microbatches",
  label: "microbatches",
  min: 1,
  max: 32,
  step: 1,
  log: false,
  initial: 8,
  value,
});
const stage = (value: number = 2): Knob => ({ type: "knob", control: "choice", name: "stage", label: "ZeRO stage", options: [1, 2, 3], initial: 2, value });

describe("the knobs store", () => {
  it("shows what a run declared, per scope, and hands the learner's values to the next run", () => {
    const store = new KnobStore();
    expect(store.runStarted("53-pipeline-bubbles")).toEqual({});
    store.declare(microbatches());
    store.declare(stage());
    store.runFinished(true);
    expect(store.knobsFor("53-pipeline-bubbles").map((k) => k.name)).toEqual(["microbatches", "stage"]);
    expect(store.knobsFor("03-gradient-descent")).toEqual([]);
    store.choose("53-pipeline-bubbles", "microbatches", 16);
    expect(store.knobsFor("53-pipeline-bubbles")[0]!.value).toBe(16); // shown before the run reports it
    expect(store.hasChoices("53-pipeline-bubbles")).toBe(true);
    const handed = store.runStarted("53-pipeline-bubbles");
    expect(handed).toEqual({ microbatches: 16 });
    expect(structuredClone(handed)).toEqual(handed); // plain: it is posted to the worker
    // Another example keeps its own values; coming back finds these again.
    expect(store.runStarted("03-gradient-descent")).toEqual({});
    expect(store.runStarted("53-pipeline-bubbles")).toEqual({ microbatches: 16 });
  });

  it("keeps its knobs while a run goes on and replaces a redeclared one in place", () => {
    const store = new KnobStore();
    store.runStarted("s");
    store.declare(microbatches());
    store.declare(stage());
    store.runFinished(true);
    store.runStarted("s");
    expect(store.knobsFor("s").length).toBe(2); // not emptied when the run starts
    store.declare({ ...microbatches(12), max: 64 });
    expect(store.knobsFor("s").map((k) => [k.name, k.value])).toEqual([
      ["microbatches", 12],
      ["stage", 2],
    ]);
  });

  it("drops knobs (and their values) the code no longer declares, unless the run failed before declaring any", () => {
    const store = new KnobStore();
    store.runStarted("s");
    store.declare(microbatches());
    store.declare(stage());
    store.runFinished(true);
    store.choose("s", "stage", 3);
    store.choose("s", "microbatches", 4);
    store.runStarted("s");
    store.runFinished(false); // a typo: nothing declared, the bar stays
    expect(store.knobsFor("s").length).toBe(2);
    store.runStarted("s");
    store.declare(microbatches(4));
    store.runAbandoned(); // Stop: nothing dropped
    expect(store.knobsFor("s").length).toBe(2);
    store.runStarted("s");
    store.declare(microbatches(4)); // the code renamed "stage"
    store.runFinished(true);
    expect(store.knobsFor("s").map((k) => k.name)).toEqual(["microbatches"]);
    expect(store.runStarted("s")).toEqual({ microbatches: 4 });
    store.runFinished(true); // a successful run with no knobs: the bar goes
    expect(store.knobsFor("s")).toEqual([]);
    expect(store.runStarted("s")).toEqual({});
  });

  it("refuses values that do not fit the knob, and resets to the code's values", () => {
    const store = new KnobStore();
    store.runStarted("s");
    store.declare(microbatches());
    store.declare(stage());
    store.runFinished(true);
    store.choose("s", "stage", 7); // no such option
    store.choose("s", "microbatches", "8"); // a slider takes numbers
    store.choose("s", "missing", 1);
    expect(store.hasChoices("s")).toBe(false);
    store.choose("s", "stage", 3);
    store.reset("s");
    expect(store.hasChoices("s")).toBe(false);
    expect(store.knobsFor("s").map((k) => k.value)).toEqual([8, 2]);
  });
});

describe("slider positions", () => {
  it("walk a linear slider's grid, ends included, without decimal noise", () => {
    const s = { min: 0, max: 1, step: 0.1, log: false };
    expect(positionCount(s)).toBe(10);
    expect(Array.from({ length: 11 }, (_, i) => valueAt(s, i))).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(positionOf(s, 0.34)).toBe(3);
    expect(valueAt(s, 99)).toBe(1);
    expect(positionOf({ min: 1, max: 32, step: 1, log: false }, 8)).toBe(7);
  });

  it("walk a log slider in equal ratios, 12 a decade, 2 significant digits", () => {
    const s = { min: 0.001, max: 1, log: true };
    expect(positionCount(s)).toBe(36);
    const values = Array.from({ length: 37 }, (_, i) => valueAt(s, i));
    expect(values.slice(0, 13)).toEqual([0.001, 0.0012, 0.0015, 0.0018, 0.0022, 0.0026, 0.0032, 0.0038, 0.0046, 0.0056, 0.0068, 0.0083, 0.01]);
    expect(values[36]).toBe(1);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]!);
    expect(positionOf(s, 0.1)).toBe(24);
    expect(positionOf(s, 0.01)).toBe(12);
    expect(positionOf(s, 1e-9)).toBe(0);
  });

  it("format values for the bar", () => {
    expect([8, 0.1, 0.0012, 1e-5, 0.123456, 2.5e7, "ring"].map(formatKnobValue)).toEqual(["8", "0.1", "0.0012", "1.0e-5", "0.123", "25000000", "ring"]);
  });
});
