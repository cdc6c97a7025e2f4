import { describe, expect, it } from "vitest";
import { aggregateRounds, END, renderBenchTable, replaceBetweenMarkers, START } from "../../../scripts/tools/bench-table.mjs";

const results = {
  date: "2026-01-02T03:04:05.000Z",
  adapter: "WebGPU — test adapter",
  host: "Test CPU, 2 cores, AVX2",
  chromium: "1.2.3",
  budgetMs: 1000,
  rows: [
    { case: "matmul 256", lib: "webgrad", ms: 50, dispatches: 1 },
    { case: "matmul 256", lib: "tfjs", ms: 200 },
    { case: "matmul 256", lib: "jax-js", ms: 100 },
    { case: "mlp step (jit)", lib: "webgrad", ms: 300, dispatches: 33 },
    { case: "mlp step (jit)", lib: "jax-js", ms: 150 },
    { case: "softmax", lib: "webgrad", ms: 0, error: "device lost" },
    { case: "softmax", lib: "tfjs", ms: 12.34 },
  ],
};

describe("bench table", () => {
  it("has one line per case, ms per library, — where a library has no row, and the ratio to the fastest peer", () => {
    const lines = renderBenchTable(results).split("\n");
    expect(lines[0]).toBe("| case | webgrad ms | TensorFlow.js ms | jax-js ms | webgrad dispatches | webgrad vs fastest peer |");
    expect(lines).toContain("| matmul 256 | 50.0 | 200 | 100 | 1 | 2.00× |");
    expect(lines).toContain("| mlp step (jit) | 300 | — | 150 | 33 | 0.50× |");
    expect(lines).toContain("| softmax | error | 12.3 | — | — | — |");
    expect(lines.at(-1)).toContain("WebGPU — test adapter on Test CPU, 2 cores, AVX2, Chromium 1.2.3, 2026-01-02");
  });

  it("compares with the fastest peer of the same work in any mode, naming it, and shows the spread over rounds", () => {
    const perRound = [
      [
        { case: "mlp step (eager)", lib: "webgrad", ms: 40, iters: 6, dispatches: 27 },
        { case: "mlp step (eager)", lib: "tfjs", ms: 300, iters: 5 },
        { case: "mlp step (jit)", lib: "jax-js", ms: 60, iters: 9 },
      ],
      [
        { case: "mlp step (jit)", lib: "jax-js", ms: 80, iters: 7 },
        { case: "mlp step (eager)", lib: "tfjs", ms: 280, iters: 5 },
        { case: "mlp step (eager)", lib: "webgrad", ms: 50, iters: 5, dispatches: 27 },
      ],
      [
        { case: "mlp step (eager)", lib: "webgrad", ms: 45, iters: 5, dispatches: 27 },
        { case: "mlp step (eager)", lib: "tfjs", ms: 0, iters: 0, error: "lost" },
        { case: "mlp step (jit)", lib: "jax-js", ms: 45, iters: 8 },
      ],
    ];
    const rows = aggregateRounds(perRound);
    const wg = rows.find((r) => r.lib === "webgrad")!;
    expect(wg.ms).toBe(45);
    expect(wg.rounds).toEqual([40, 50, 45]);
    expect(wg.iters).toBe(5);
    expect(rows.find((r) => r.lib === "tfjs")!.rounds).toEqual([300, 280, NaN]);
    const lines = renderBenchTable({ adapter: "a", rounds: 3, minIters: 5, rows }).split("\n");
    // Per round: jax-js jit 60/40, 80/50, 45/45 — not TensorFlow.js eager, the same mode's only peer.
    expect(lines).toContain("| mlp step (eager) | 45.0 (40.0–50.0) | 290 (280–300) | — | 27 | 1.50× (1.00–1.60) vs jax-js (jit) |");
    expect(lines.at(-1)).toContain("median over 3 rounds");
  });

  it("replaces only what is between the markers, and refuses a README without them", () => {
    const readme = `# x\n\n${START}\nold\n${END}\n\nafter\n`;
    expect(replaceBetweenMarkers(readme, "new")).toBe(`# x\n\n${START}\nnew\n${END}\n\nafter\n`);
    expect(() => replaceBetweenMarkers("# no markers\n", "new")).toThrow(/bench:start/);
  });
});
