/**
 * The Basics figures' data: the history timeline (example 04) cuts one runnable program per era out
 * of the example, in both languages, each keeping the lesson beside it, and each runs on its own;
 * its dates are the frameworks' first public releases; the framework-layers drawing (example 01)
 * links every layer to a real panel, and the example's code touches every layer; gradient descent
 * by hand (example 03) prints the step factor 1 − η·L″ and the thresholds 1/L″ and 2/L″ of its
 * parabola, and w behaves as they say at the learning rates its lesson names.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getMode, onEvent, setDefaultBackend, setKnobValues, setMode } from "webgrad";
import { exampleCode, exampleForCode, examples } from "../../../src/app/examples";
import {
  eras,
  eraSnippet,
  HISTORY_EXAMPLE_ID,
  milestones,
  sectionStarts,
  snippetHeader,
  TIMELINE_END,
  TIMELINE_START,
} from "../../../src/app/lessons/figures/framework-history";
import { frameworkLayers } from "../../../src/app/lessons/figures/framework-layers";
import { panels } from "../../../src/app/panels/registry";

const history = examples.find((e) => e.id === HISTORY_EXAMPLE_ID)!;

describe("the history timeline's era snippets", () => {
  it("finds one section per era in the example, in era order", () => {
    const starts = sectionStarts(history.code);
    expect([...starts.keys()]).toEqual([1, 2, 3, 4]);
    expect(eras.map((e) => e.section)).toEqual([1, 2, 3, 4]);
    const lines = [...starts.values()];
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  for (const era of eras) {
    it(`${era.id}: the preamble and its own section only, line for line the same in English and Chinese`, () => {
      const en = eraSnippet(era, history.code, history.code);
      const zh = eraSnippet(era, exampleCode(history, "zh"), history.code);
      expect(en.split("\n")[0]).toBe(snippetHeader(era.id));
      expect(en).toContain('from "webgrad";');
      expect(en).toContain("const xs = linspace(-1, 1, 8);");
      const markers = en.split("\n").filter((l) => /^\/\/ [1-9]\. /.test(l));
      expect(markers).toHaveLength(1);
      expect(markers[0]!.startsWith(`// ${era.section}. `)).toBe(true);
      expect(zh.split("\n")).toHaveLength(en.split("\n").length);
      expect(zh).not.toBe(en); // its comments are in Chinese
      // the lesson stays beside it in the editor
      expect(exampleForCode(en)?.id).toBe(HISTORY_EXAMPLE_ID);
      expect(exampleForCode(zh)?.id).toBe(HISTORY_EXAMPLE_ID);
    });
  }

  describe("each snippet runs on its own (CPU, Node) and shows what its era shows", () => {
    const dir = mkdtempSync(join(tmpdir(), "webgrad-eras-"));
    const initial = getMode();
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
      setMode(initial);
    });
    const run = async (id: string): Promise<string> => {
      const era = eras.find((e) => e.id === id)!;
      const file = join(dir, `${id}.ts`);
      writeFileSync(file, eraSnippet(era, history.code, history.code));
      setDefaultBackend("cpu");
      setMode("eager");
      const lines: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        log.mockRestore();
      }
      return lines.join("\n");
    };
    // Every era fits the same line and so prints the same losses: 2.7143, 0.5598, 0.1828.
    const losses = ["step 0: loss 2.7143", "step 1: loss 0.5598", "step 2: loss 0.1828"];

    it("library: hand-derived gradients, nothing recorded", async () => {
      const out = await run("library");
      for (const l of losses) expect(out).toContain(l);
      expect(out).toContain("∂L/∂w -1.7143  (derived by hand)");
      expect(out).not.toContain("graph ");
    });
    it("dataflow: the graph is printed before it is fed, and built once", async () => {
      const out = await run("dataflow");
      expect(out.indexOf("graph train_op(")).toBeGreaterThan(-1);
      expect(out.indexOf("graph train_op(")).toBeLessThan(out.indexOf("step 0:"));
      for (const l of losses) expect(out).toContain(l);
      expect(out).toContain("graphs built: 1");
      expect(getMode()).toBe("eager"); // the toolbar's mode is given back
    });
    it("eager: values print as they are computed, gradients come from the tape", async () => {
      const out = await run("eager");
      expect(out).toContain("pred[0..2] =");
      expect(out).toContain("∂L/∂w -1.7143  (from the tape)");
      for (const l of losses) expect(out).toContain(l);
    });
    it("compiler: the optimised IR with fused ops, a retrace on a new shape, derivative source", async () => {
      const out = await run("compiler");
      expect(out).toMatch(/graph jit\(value_and_grad\(loss\)\)\(/);
      expect(out).toContain("fused[");
      expect(out).toMatch(/traced \d+ ops; after the passes \d+ run/);
      expect(out).toContain("traces: 2");
      expect(out).toContain("function grad_f(w, b)");
      for (const l of losses) expect(out).toContain(l);
    });
  });
});

describe("the timeline's dates", () => {
  const year = (name: string) => milestones.find((m) => m.name === name)?.year;
  it("places each framework at its first public release", () => {
    // Sources: the projects' release announcements (TensorFlow: 9 Nov 2015; Chainer: June 2015;
    // PyTorch: first release late 2016, announced Jan 2017; JAX: SysML 2018, on GitHub Dec 2018;
    // MindSpore: open-sourced 28 Mar 2020; torch.compile: PyTorch 2.0, Mar 2023).
    expect(Math.floor(year("TensorFlow")!)).toBe(2015);
    expect(Math.floor(year("Chainer")!)).toBe(2015);
    expect(Math.floor(year("PyTorch")!)).toBe(2016);
    expect(Math.floor(year("JAX")!)).toBe(2018);
    expect(Math.floor(year("MindSpore")!)).toBe(2020);
    expect(Math.floor(year("torch.compile")!)).toBe(2023);
    expect(Math.floor(year("Theano")!)).toBe(2007);
    expect(Math.floor(year("Caffe")!)).toBe(2013);
  });
  it("keeps every framework inside its era's band and on the axis", () => {
    for (const m of milestones) {
      const era = eras.find((e) => e.id === m.era)!;
      expect(m.year, m.name).toBeGreaterThanOrEqual(era.from);
      expect(m.year, m.name).toBeLessThanOrEqual(era.to);
      expect(m.year).toBeGreaterThanOrEqual(TIMELINE_START);
      expect(m.year).toBeLessThanOrEqual(TIMELINE_END);
    }
    for (const era of eras)
      expect(
        milestones.some((m) => m.era === era.id),
        era.id,
      ).toBe(true);
  });
});

describe("the framework-layers drawing", () => {
  it("links every layer to a panel that exists", () => {
    const ids = new Set(panels.map((p) => p.id));
    for (const layer of frameworkLayers) expect(ids.has(layer.panel), `${layer.id} → ${layer.panel}`).toBe(true);
    expect(frameworkLayers.map((l) => l.id)).toEqual(["frontend", "ops", "autodiff", "graph", "backend", "runtime"]);
  });
});

describe("example 01 touches every layer", () => {
  it("the runtime's allReduce of two devices' partial gradients is the whole batch's gradient, as in closed form", async () => {
    const initial = getMode();
    setDefaultBackend("cpu");
    setMode("eager");
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      const id = "01-what-a-framework-does"; // a fresh module instance: the query makes a new module id
      await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?basics-figures`);
    } finally {
      log.mockRestore();
      setMode(initial);
    }
    // d/dw Σᵢ (w·xᵢ + 0.5 − yᵢ)² at w = 0, with yᵢ = 2xᵢ + 0.5 + 0.05·sin(9xᵢ): Σᵢ 2·(0.5 − yᵢ)·xᵢ
    const xs = Array.from({ length: 32 }, (_, i) => -1 + (2 * i) / 31);
    const want = xs.reduce((s, x) => s + 2 * (0.5 - (2 * x + 0.5 + 0.05 * Math.sin(9 * x))) * x, 0);
    const line = lines.find((l) => l.startsWith("runtime: allReduce over 2 devices gives"))!;
    const [summed, whole] = [...line.matchAll(/-?\d+\.\d+/g)].map((m) => Number(m[0]));
    expect(summed).toBeCloseTo(want, 3);
    expect(whole).toBeCloseTo(want, 3);
    // and the other layers each printed their line
    for (const prefix of ["ops: ", "graph: traced ", "backend: cpu"])
      expect(
        lines.some((l) => l.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });
});

describe("example 03: the learning rate's thresholds", () => {
  // The example's data: y = 3x + 0.1·sin(7x) at x = i/8 − 2; L(w) = mean((w·x − y)²) has L″ = 2·mean(x²) and its minimum at w* = mean(x·y)/mean(x²).
  const xs = Array.from({ length: 32 }, (_, i) => i / 8 - 2);
  const ys = xs.map((x) => 3 * x + 0.1 * Math.sin(7 * x));
  const meanX2 = xs.reduce((s, x) => s + x * x, 0) / xs.length;
  const curvature = 2 * meanX2;
  const wStar = xs.reduce((s, x, i) => s + x * ys[i]!, 0) / xs.length / meanX2;
  afterAll(() => setKnobValues());
  let runs = 0;

  /** Runs the example at learning rate `lr` (a fresh module instance each time): its console lines and the w it plotted at each step. */
  async function run(lr: number): Promise<{ lines: string[]; ws: number[] }> {
    setKnobValues({ "learning rate": lr });
    const lines: string[] = [];
    const ws: number[] = [];
    const off = onEvent((e) => void (e.type === "plot" && e.chart === "w" && e.series === "w" && ws.push(e.y)));
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      await import(/* @vite-ignore */ `../../../src/examples/03-gradient-descent.ts?run-${++runs}`);
    } finally {
      log.mockRestore();
      off();
    }
    return { lines, ws };
  }

  it("prints 1 − η·L″ and the thresholds 1/L″ ≈ 0.374 and 2/L″ ≈ 0.749", async () => {
    expect(1 / curvature).toBeCloseTo(0.374, 3);
    const { lines } = await run(0.5);
    expect(lines).toContain(`learning rate 0.5: each step multiplies w − w* by ${(1 - 0.5 * curvature).toFixed(3)}`);
    expect(lines).toContain(`(w overshoots above lr = ${(1 / curvature).toFixed(3)} and diverges above lr = ${(2 / curvature).toFixed(3)})`);
  });

  it("w creeps up below 1/L″, overshoots but settles between 1/L″ and 2/L″, and diverges above 2/L″", async () => {
    const slow = (await run(0.1)).ws;
    expect(Math.max(...slow)).toBeLessThan(wStar); // never past the minimum
    const swing = (await run(0.5)).ws;
    expect(Math.max(...swing)).toBeGreaterThan(wStar + 0.1); // past it…
    expect(Math.abs(swing.at(-1)! - wStar)).toBeLessThan(1e-6); // …and back: the factor is −0.336
    const wild = (await run(0.9)).ws;
    expect(Math.abs(wild.at(-1)! - wStar)).toBeGreaterThan(1000 * wStar); // |1 − 0.9·L″| = 1.40 per step
  });
});
