/**
 * The figures example 10 (AutoDiff 01–02, what differentiation is) prints and plots, against their
 * closed forms: f′(1.5) of f(x) = x² sin x + eˣ is 2x sin x + x² cos x + eˣ by every method (the
 * symbolic tree exactly, float64 AD to rounding, the central difference within its truncation bound
 * h²·|f‴|/6 plus round-off); the finite-difference error is V-shaped with its minimum where
 * truncation meets round-off, h* ≈ √ε for the forward difference and ∛ε for the central one; the
 * unsimplified derivative's tree grows with each order (expression swell).
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { onEvent, setDefaultBackend, setKnobValues } from "webgrad";

const x0 = 1.5;
const exact = 2 * x0 * Math.sin(x0) + x0 * x0 * Math.cos(x0) + Math.exp(x0);
// f‴(x) = (x² sin x)‴ + eˣ = 6 cos x − 6x sin x − x² cos x + eˣ
const f3 = 6 * Math.cos(x0) - 6 * x0 * Math.sin(x0) - x0 * x0 * Math.cos(x0) + Math.exp(x0);
const eps = Number.EPSILON;

describe("example 10 prints four derivatives and the finite-difference V", () => {
  afterAll(() => setKnobValues());

  it("the same f′(1.5) four ways, each within its own error bound, and the V's minima at √ε and ∛ε", async () => {
    setDefaultBackend("cpu");
    const h = 1e-3;
    setKnobValues({ "h (finite-difference step)": h });
    const lines: string[] = [];
    const errors: Record<string, [number, number][]> = {};
    const off = onEvent((e) => void (e.type === "plot" && (errors[e.series] ??= []).push([e.x, e.y])));
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      const id = "10-what-differentiation-is"; // a fresh module instance: the query makes a new module id
      await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?figures`);
    } finally {
      log.mockRestore();
      off();
    }
    const value = (method: string) =>
      Number(
        lines
          .find((l) => l.trimStart().startsWith(method))!
          .trim()
          .split(/\s+/)[1],
      );
    expect(value("manual")).toBeCloseTo(exact, 9);
    expect(value("symbolic")).toBeCloseTo(exact, 9);
    // the central difference at the knob's h: truncation h²·|f‴|/6 (round-off ε·|f|/h is far smaller here)
    const bound = (h * h * Math.abs(f3)) / 6;
    expect(Math.abs(value("numeric") - exact)).toBeLessThan(1.1 * bound);
    expect(Math.abs(value("numeric") - exact)).toBeGreaterThan(0.9 * bound);
    const ad64 = lines.find((l) => l.includes("(float64, CPU backend)"))!;
    expect(Number(/error ([0-9.e+-]+)/.exec(ad64)![1])).toBeLessThan(1e-13); // exact up to float64 rounding

    // The V: the error falls with h (truncation) and rises again (round-off ≈ ε/h); its minimum
    // is where the two meet: h* = √(2ε|f|/|f″|) ≈ √ε forward, h* = ∛(3ε|f|/|f‴|) ≈ ∛ε central.
    const argmin = (points: [number, number][]) => points.reduce((a, b) => (b[1] < a[1] ? b : a))[0];
    expect(Math.abs(argmin(errors["forward difference"]!) - Math.log10(Math.sqrt(eps)))).toBeLessThanOrEqual(1);
    expect(Math.abs(argmin(errors["central difference"]!) - Math.log10(Math.cbrt(eps)))).toBeLessThanOrEqual(1);
    for (const points of Object.values(errors)) {
      const lowest = Math.min(...points.map((p) => p[1]));
      expect(points[0]![1]).toBeGreaterThan(lowest + 3); // h = 0.1: truncation
      expect(points.at(-1)![1]).toBeGreaterThan(lowest + 3); // h = 1e-14: round-off has taken over again
    }

    // Expression swell: each order's unsimplified tree is larger than the last.
    const sizes = lines
      .find((l) => l.startsWith("expression size:"))!
      .match(/\d+/g)!
      .map(Number);
    expect(sizes[0]).toBe(9); // (x·x)·sin(x) + exp(x): x, x, *, x, sin, *, x, exp, +
    expect(sizes[1]).toBeGreaterThan(2 * sizes[0]!);
    expect(sizes[2]).toBeGreaterThan(2 * sizes[1]!);
  });
});
