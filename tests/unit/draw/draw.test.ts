import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decisionGrid, image, onEvent, scatter, tensor, type ImageEvent, type ScatterEvent, type WebgradEvent } from "webgrad";
import { drawInterval, setDrawInterval } from "../../../src/lib/draw/throttle";

let events: WebgradEvent[] = [];
let off: () => void = () => {};
const initialInterval = drawInterval();
beforeEach(() => {
  events = [];
  off = onEvent((e) => void events.push(e));
  setDrawInterval(0);
});
afterEach(() => {
  off();
  setDrawInterval(initialInterval);
  vi.useRealTimers();
});
const only = <T extends WebgradEvent>(): T => {
  expect(events).toHaveLength(1);
  return events[0] as T;
};

describe("image()", () => {
  it("sends a [H, W] tensor as one image of levels 0–255 over its min–max range", async () => {
    await image(
      "ramp",
      tensor([
        [0, 1],
        [2, 4],
      ]),
    );
    const e = only<ImageEvent>();
    expect(e).toMatchObject({ type: "image", name: "ramp", count: 1, height: 2, width: 2, range: [0, 4], colormap: "gray" });
    expect(e.pixels).toBeInstanceOf(Uint8Array);
    expect([...e.pixels]).toEqual([0, 64, 128, 255]);
  });

  it("sends a grid of [N, H, W] images (or [N, 1, H, W]) with captions and correctness", async () => {
    const x = tensor(
      Array.from({ length: 3 * 4 }, (_, i) => i),
      { shape: [3, 1, 2, 2] },
    );
    await image("digits", x, { captions: [7, 1, "?"], correct: [true, false, null], range: [0, 11], columns: 2, colormap: "viridis" });
    const e = only<ImageEvent>();
    expect(e).toMatchObject({
      count: 3,
      height: 2,
      width: 2,
      captions: ["7", "1", "?"],
      correct: [true, false, null],
      columns: 2,
      colormap: "viridis",
      range: [0, 11],
    });
    expect(e.pixels.length).toBe(12);
    expect(e.pixels[11]).toBe(255);
  });

  it("takes nested arrays, clamps to the range and maps NaN to 0", async () => {
    await image("a", [[-1, 0.5, NaN, 9]], { range: [0, 1] });
    expect([...only<ImageEvent>().pixels]).toEqual([0, 128, 0, 255]);
  });

  it("names the function and the shapes when the input is wrong", () => {
    expect(() => image("v", tensor([1, 2, 3]))).toThrow(/image\("v"\): expects \[height, width\] or \[count, height, width\].*got \[3\]/);
    expect(() => image("v", [[1, 2], [3]])).toThrow(/image\("v"\).*not rectangular: values\[1\] has 1 entries where \[2, 2\] needs 2/);
    expect(() => image("v", tensor([[1, 2]]), { captions: ["a", "b"] })).toThrow(
      /image\("v"\).*one captions entry per image: 1 images \(values \[1, 1, 2\]\), got 2/,
    );
    expect(() => image("v", [[1]], { range: [1, 0] })).toThrow(/range must be \[low, high\]/);
    expect(() => image("v", [[1]], { colormap: "jet" as "gray" })).toThrow(/colormap must be one of gray, viridis, coolwarm/);
    expect(() => image("", [[1]])).toThrow(/image: the name must be a non-empty string/);
    expect(() => image("big", tensor(new Float32Array(401 * 4), { shape: [401, 2, 2] }))).toThrow(/at most 400 images.*\[401, 2, 2\]/);
    expect(() => image("s", "x" as unknown as number[])).toThrow(/image\("s"\): values must be a Tensor or an array of numbers, got string/);
    expect(events).toHaveLength(0);
  });
});

describe("scatter()", () => {
  it("sends points as a Float32Array, labels as an Int32Array, and a padded extent", async () => {
    await scatter(
      "pts",
      tensor([
        [0, 0],
        [1, 2],
      ]),
      tensor([0, 2], { dtype: "int32" }),
    );
    const e = only<ScatterEvent>();
    expect(e.points).toEqual(new Float32Array([0, 0, 1, 2]));
    expect(e.labels).toEqual(new Int32Array([0, 2]));
    expect(e.classes).toBe(3);
    expect(e.extent.map((v) => +v.toFixed(3))).toEqual([-0.05, 1.05, -0.1, 2.1]);
    expect(e.background).toBeUndefined();
  });

  it("draws class probabilities over a decision grid, rows from the top", async () => {
    const grid = decisionGrid([-1, 1], [0, 2], 2);
    expect(await grid.points.data()).toEqual(new Float32Array([-0.5, 1.5, 0.5, 1.5, -0.5, 0.5, 0.5, 0.5]));
    const probs = tensor([
      [1, 0],
      [0.5, 0.5],
      [0, 1],
      [0.25, 0.75],
    ]);
    await scatter("b", [[0, 1]], [1], { background: { grid, probs } });
    const e = only<ScatterEvent>();
    expect(e.extent).toEqual([-1, 1, 0, 2]);
    expect(e.background).toMatchObject({ width: 2, height: 2, channels: 2 });
    expect([...e.background!.levels]).toEqual([255, 0, 128, 128, 0, 255, 64, 191]);
    expect(e.classes).toBe(2);
  });

  it("takes a one-channel probability (class 1) and curves on top", async () => {
    const grid = decisionGrid([0, 1], [0, 1], 2);
    await scatter("c", [[0.2, 0.3]], undefined, {
      background: { grid, probs: [0, 0.5, 1, 1] },
      lines: {
        fit: [
          [0, 0],
          [1, 1],
        ],
      },
    });
    const e = only<ScatterEvent>();
    expect(e.background!.channels).toBe(1);
    expect(e.classes).toBe(2);
    expect(e.lines).toEqual([{ name: "fit", points: new Float32Array([0, 0, 1, 1]) }]);
  });

  it("names the function and the shapes when the input is wrong", () => {
    const grid = decisionGrid([0, 1], [0, 1], 4);
    expect(() => scatter("s", tensor([1, 2]))).toThrow(/scatter\("s"\): points must be \[n, 2\] \(x, y pairs\), got \[2\]/);
    expect(() => scatter("s", tensor([[1, 2, 3]]))).toThrow(/got \[1, 3\]/);
    expect(() => scatter("s", [[1, 2]], [0, 1])).toThrow(/labels must be \[1\] \(one class per point of points \[1, 2\]\), got \[2\]/);
    expect(() => scatter("s", [[1, 2]], undefined, { background: { grid, probs: tensor(new Float32Array(15 * 2), { shape: [15, 2] }) } })).toThrow(
      /background.probs must be \[16, classes\] or \[16\] for a 4×4 grid, got \[15, 2\]/,
    );
    expect(() => scatter("s", [[1, 2]], undefined, { lines: { fit: [1, 2] } })).toThrow(/lines.fit must be \[n, 2\]/);
    expect(() => scatter("s", [[1, 2]], undefined, { background: { grid, probs: new Array(16).fill(0) }, x: [0, 2] })).toThrow(
      /plotted area is the background grid's/,
    );
    expect(() => decisionGrid([1, 0], [0, 1])).toThrow(/decisionGrid: xRange must be \[low, high\]/);
    expect(() => decisionGrid([0, 1], [0, 1], 1)).toThrow(/size must be an integer in 2 … 256, got 1/);
    expect(events).toHaveLength(0);
  });

  it("rejects negative labels when it reads them", async () => {
    await expect(scatter("s", [[1, 2]], [-1])).rejects.toThrow(/scatter\("s"\): labels must be class indices ≥ 0, got -1 at 0/);
  });
});

describe("drawing at animation rate", () => {
  it("sends at most one picture per name and interval, and always the newest last", async () => {
    vi.useFakeTimers();
    setDrawInterval(100);
    for (let i = 0; i < 50; i++) await image("live", [[i]], { range: [0, 49] });
    await scatter("other", [[0, 0]]); // another name is not held back
    expect(events.map((e) => (e as ImageEvent).name)).toEqual(["live", "other"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toHaveLength(3);
    const last = events[2] as ImageEvent;
    expect(last.name).toBe("live");
    expect(last.pixels[0]).toBe(255); // i = 49, not an intermediate step
    await vi.advanceTimersByTimeAsync(1000);
    expect(events).toHaveLength(3);
  });

  it("reads nothing back for pictures it skips", async () => {
    vi.useFakeTimers();
    setDrawInterval(100);
    const t = tensor([[1, 2]]);
    const read = vi.spyOn(t, "data");
    await image("r", t);
    for (let i = 0; i < 10; i++) await image("r", t);
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it("builds nothing when nobody listens", async () => {
    off();
    const t = tensor([[1, 2]]);
    const read = vi.spyOn(t, "data");
    await image("quiet", t);
    expect(read).not.toHaveBeenCalled();
  });
});

describe("drawing from a loop that never yields to timers", () => {
  it("still sends a picture per interval (the next call after it is due sends itself), and the last one arrives", async () => {
    setDrawInterval(5);
    // A clock that moves 1 ms per call keeps the count exact on a busy machine.
    let now = 1000;
    const clock = vi.spyOn(performance, "now").mockImplementation(() => now);
    try {
      // Only microtasks between calls, as with CPU read-backs: the timer cannot fire.
      for (; now < 1060; now++) await image("busy", [[now]]);
      expect(events.length).toBe(12); // due at 1000, 1005, …, 1055
      now += 10;
    } finally {
      clock.mockRestore();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.length).toBe(13); // the newest picture (1059), sent by the timer
  });
});
