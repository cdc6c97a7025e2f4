/**
 * What the first computation-graph lessons print, against what their text says: example 20's graph
 * is matmul → add → relu → sum with the shapes of the layer, and a new input shape retraces (two
 * traces for three calls); example 21's generated backward gives ∇L = (2/N)·xᵀ(xw − y) for the
 * linear model, here against that closed form replayed in float64 from the same seeded data; example
 * 22's passes leave one matmul, computed once, fused with the elementwise chain
 * relu(tanh(6·(h + h)) + 1) into one kernel, with 2·3 folded to 6 and the dead exp/sum and the
 * double transpose gone.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { getMode, manualSeed, randn, setDefaultBackend, setMode } from "webgrad";

const initial = getMode();
afterAll(() => setMode(initial));

/** Runs an example (a fresh module instance) on the CPU and returns what it printed. */
async function run(id: string): Promise<string[]> {
  setDefaultBackend("cpu");
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  try {
    await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?figures`);
  } finally {
    log.mockRestore();
  }
  return lines.join("\n").split("\n");
}

describe("the graph lessons' printed figures", () => {
  it("20: the layer's graph is matmul → add → relu → sum, and a new shape is a second trace", async () => {
    const lines = await run("20-what-a-graph-is");
    expect(lines).toContain("traces: 2");
    const ops = lines.filter((l) => /^\s+%\d+: /.test(l)).map((l) => l.trim().replace(/ %.*$/, ""));
    expect(ops).toEqual(["%3: f32[8,3] = matmul", "%4: f32[8,3] = add", "%5: f32[8,3] = relu", "%6: f32[8] = sum"]);
  });

  it("21: the generated backward's gradient is (2/N)·xᵀ(xw − y), step after step", async () => {
    const lines = await run("21-graph-and-autodiff");
    // The same data and start from the same seed, then the 20 steps of w ← w − 0.1·∇L in float64 with the closed form.
    manualSeed(0);
    const [x, y, w0] = [randn([16, 3]), randn([16, 1]), randn([3, 1])].map((t) => Array.from(t.dataSync()));
    const gradient = (w: number[]) => {
      const g = [0, 0, 0];
      for (let i = 0; i < 16; i++) {
        const r = x[3 * i]! * w[0]! + x[3 * i + 1]! * w[1]! + x[3 * i + 2]! * w[2]! - y[i]!;
        for (let j = 0; j < 3; j++) g[j]! += (2 / 16) * x[3 * i + j]! * r;
      }
      return g;
    };
    let w = w0!;
    for (let step = 0; step < 20; step++) w = w.map((v, j) => v - 0.1 * gradient(w)[j]!);
    const printed = lines
      .find((l) => l.startsWith("grad "))!
      .slice(5)
      .split(",")
      .map(Number);
    printed.forEach((g, j) => expect(g).toBeCloseTo(gradient(w)[j]!, 4));
  });

  it("22: one matmul, fused with the chain relu(tanh(6·(h + h)) + 1); 2·3 folded; the dead code and the double transpose gone", async () => {
    const lines = await run("22-optimization-passes");
    const kernels = lines.filter((l) => /^ {2}%\d+: .* = /.test(l));
    expect(kernels).toHaveLength(1);
    expect(kernels[0]).toContain("fused[matmul+add+mul+tanh+add+relu]");
    const body = lines
      .filter((l) => /^ {6}%\d+: /.test(l))
      .map((l) =>
        l
          .trim()
          .replace(/^%\d+: \S+ = /, "")
          .replace(/ .*$/, ""),
      );
    expect(body).toEqual(["matmul", "add", "mul", "tanh", "add", "relu"]);
    expect(lines.join("\n")).not.toMatch(/\b(exp|transpose)\b/);
    expect(lines.find((l) => l.startsWith("graph passes("))).toMatch(/← folded\d+\)/);
  });
});
