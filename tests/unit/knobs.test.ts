import { afterEach, describe, expect, it } from "vitest";
import { choice, onEvent, setKnobValues, slider, type WebgradEvent } from "webgrad";

/** The events `fn` emits. */
function eventsOf(fn: () => void): WebgradEvent[] {
  const events: WebgradEvent[] = [];
  const off = onEvent((e) => events.push(e));
  try {
    fn();
  } finally {
    off();
  }
  return events;
}

describe("slider and choice (knobs)", () => {
  afterEach(() => setKnobValues());

  it("give their initial value when the page handed none in (Node, tests)", () => {
    expect(slider("lr", 0.001, 1, 0.1, { log: true })).toBe(0.1);
    expect(slider("microbatches", 1, 32, 8)).toBe(8);
    expect(choice("ZeRO stage", [0, 1, 2, 3], 2)).toBe(2);
    expect(choice("algorithm", ["ring", "tree"], "tree")).toBe("tree");
  });

  it("give the learner's value when the page handed one in", () => {
    setKnobValues({ lr: 0.02, microbatches: 16, "ZeRO stage": 3, algorithm: "ring" });
    expect(slider("lr", 0.001, 1, 0.1, { log: true })).toBe(0.02);
    expect(slider("microbatches", 1, 32, 8)).toBe(16);
    expect(choice("ZeRO stage", [0, 1, 2, 3], 2)).toBe(3);
    expect(choice("algorithm", ["ring", "tree"], "tree")).toBe("ring");
    // Another name is not affected.
    expect(slider("other", 0, 10, 5)).toBe(5);
    // The next hand-over replaces the values.
    setKnobValues({});
    expect(slider("microbatches", 1, 32, 8)).toBe(8);
  });

  it("keep a handed-in value inside the knob: clamped to the range, on the step grid, one of the options", () => {
    setKnobValues({ a: 100, b: -3, c: 7.4, d: 0.37, e: 1e-9, f: 5, g: "3", h: Number.NaN as number });
    expect(slider("a", 1, 32, 8)).toBe(32);
    expect(slider("b", 1, 32, 8)).toBe(1);
    expect(slider("c", 1, 32, 8)).toBe(7);
    expect(slider("d", 0, 1, 0.5, { step: 0.1 })).toBe(0.4);
    expect(slider("e", 1e-6, 1, 0.1, { log: true })).toBe(1e-6);
    expect(choice("f", [0, 1, 2, 3], 2)).toBe(2); // 5 is no option
    expect(choice("g", [0, 1, 2, 3], 2)).toBe(2); // the string "3" is not the number 3
    expect(slider("h", 0, 1, 0.5)).toBe(0.5);
  });

  it("declare themselves once per run through a knob event, with the value used", () => {
    setKnobValues({ microbatches: 4 });
    const events = eventsOf(() => {
      for (let i = 0; i < 3; i++) slider("microbatches", 1, 32, 8); // read in a loop: announced once
      slider("lr", 0.001, 1, 0.1, { log: true, label: "learning rate" });
      choice("stage", [1, 2, 3], 2);
    });
    expect(events).toEqual([
      { type: "knob", control: "slider", name: "microbatches", label: "microbatches", min: 1, max: 32, step: 1, log: false, initial: 8, value: 4 },
      { type: "knob", control: "slider", name: "lr", label: "learning rate", min: 0.001, max: 1, log: true, initial: 0.1, value: 0.1 },
      { type: "knob", control: "choice", name: "stage", label: "stage", options: [1, 2, 3], initial: 2, value: 2 },
    ]);
    // The same name with other settings is declared again (the bar keeps the last); a new run announces all again.
    expect(eventsOf(() => slider("microbatches", 1, 64, 8)).length).toBe(1);
    setKnobValues({});
    expect(eventsOf(() => slider("microbatches", 1, 64, 8)).length).toBe(1);
  });

  it("default to a step of 1 for integers and a hundredth of the range otherwise", () => {
    const [a, b, c] = eventsOf(() => {
      slider("n", 1, 32, 8);
      slider("x", 0, 2, 0.5);
      slider("big", 0, 1e6, 100);
    });
    expect([a, b, c].map((e) => (e?.type === "knob" && e.control === "slider" ? e.step : undefined))).toEqual([1, 0.02, 1e4]);
  });

  it("refuse bad arguments with an error naming the call and the value", () => {
    expect(() => slider("", 0, 1, 0.5)).toThrow(/slider\("", 0, 1, 0.5\): the name must be a non-empty string/);
    expect(() => slider("lr", 1, 0.001, 0.1)).toThrow(/slider\("lr", 1, 0.001, 0.1\): min must be less than max/);
    expect(() => slider("lr", 0, 1, 2)).toThrow(/initial 2 is outside \[0, 1\]/);
    expect(() => slider("lr", 0, Number.NaN, 0)).toThrow(/max must be a finite number \(got NaN\)/);
    expect(() => slider("lr", 0, 1, "0.5" as unknown as number)).toThrow(/initial must be a finite number \(got "0.5"\)/);
    expect(() => slider("lr", 0, 1, 0.1, { log: true })).toThrow(/a log slider needs min > 0 \(got 0\)/);
    expect(() => slider("lr", 0.1, 1, 0.1, { log: true, step: 0.1 })).toThrow(/step and log do not go together/);
    expect(() => slider("n", 0, 10, 1, { step: 0 })).toThrow(/step must be a number > 0 \(got 0\)/);
    expect(() => slider("n", 0, 1e9, 1, { step: 1 })).toThrow(/more than 10000 positions/);
    expect(() => slider("n", 0, 10, 1, { label: "" })).toThrow(/label must be a non-empty string/);
    expect(() => choice("stage", [], 1 as never)).toThrow(/choice\("stage", \[\], 1\): options must be a non-empty array/);
    expect(() => choice("stage", [0, 1, 2], 5 as 0)).toThrow(/choice\("stage", \[0, 1, 2\], 5\): initial 5 is not one of the options/);
    expect(() => choice("stage", [1, 1], 1)).toThrow(/options must be different/);
    expect(() => choice("stage", [1, Infinity], 1)).toThrow(/option Infinity is not a string or a finite number/);
    expect(() => choice("stage", [{}] as unknown as string[], "a")).toThrow(/is not a string or a finite number/);
  });

  it("infer the options' literal types", () => {
    const stage: 0 | 1 | 2 | 3 = choice("stage", [0, 1, 2, 3], 2);
    const algo: "ring" | "tree" = choice("algo", ["ring", "tree"], "ring");
    expect([stage, algo]).toEqual([2, "ring"]);
  });
});
