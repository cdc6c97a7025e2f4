/**
 * The MNIST demo (src/examples/63-mnist.ts) trains for its full step count on the CPU backend
 * and must reach ≥ 90 % accuracy on the 1 000 held-out test digits, as it promises (about 40 s
 * here in Eager mode; the same program reaches it in the browser on WebGPU).
 */
import { afterAll, expect, it, vi } from "vitest";
import { getMode, onEvent, setDefaultBackend, setMode, setStepLimit } from "webgrad";

const initial = getMode();
afterAll(() => setMode(initial));

it("63-mnist reaches ≥ 90 % test accuracy with its full step count (CPU)", async () => {
  setDefaultBackend("cpu");
  setMode("eager");
  setStepLimit(); // no quick-run cap: the full training
  const test: [number, number][] = [];
  let digits = 0;
  const off = onEvent((e) => {
    if (e.type === "plot" && e.chart === "accuracy" && e.series === "test") test.push([e.x, e.y]);
    if (e.type === "image" && e.name === "test digits") digits++;
  });
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const full = "full"; // a module id of its own, apart from examples-run's quick runs
    await import(/* @vite-ignore */ `../../../src/examples/63-mnist.ts?mode=${full}`);
  } finally {
    off();
    log.mockRestore();
  }
  expect(test[0]).toEqual([0, expect.any(Number)]);
  expect(test[0]![1]).toBeLessThan(0.3); // untrained: about chance
  const [lastStep, lastAcc] = test[test.length - 1]!;
  expect(lastStep).toBe(300);
  expect(lastAcc).toBeGreaterThanOrEqual(0.9);
  expect(digits).toBeGreaterThan(0);
}, 180_000);
