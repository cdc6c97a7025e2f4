/**
 * The figures example 15 (AutoDiff 07, challenges) prints, pinned against their closed forms:
 * checkpointing's kept activations (L/k + 1)·S with the weights left out (issue #16: they stay in
 * memory anyway) and its 2L recomputed ops; PyTorch's complex gradient of a real loss,
 * ∂L/∂x + i·∂L/∂y = 2·f(z)·conj(f′(z)); the derivative through a simulation loop,
 * (1 − (1 − k·dt)^T)/k; the zero gradient of rounding. Then the example itself, run as the learner
 * runs it, prints those numbers.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { checkpoint, dist, grad, onEvent, randn, setDefaultBackend, setKnobValues, setStepLimit, tensor, type Tensor } from "webgrad";

const [L, width, batch] = [8, 64, 32];
const S = batch * width * 4; // one fp32 hidden state
/** The loss's mean divides the sum by the count and saves both scalars (fp32): kept whatever k is. */
const LOSS_SCALARS = 2 * 4;

/** The example's network: L layers h ← tanh(h·W), checkpointed in blocks of k (or not at all). */
async function runStack(k: number | "none") {
  const Ws = Array.from({ length: L }, (_, i) =>
    randn([width, width], { seed: i })
      .mul(1 / Math.sqrt(width))
      .requiresGrad_(),
  );
  const block = (first: number, n: number) => (h: Tensor) => {
    for (let i = first; i < first + n; i++) h = h.matmul(Ws[i]!).tanh();
    return h;
  };
  let h = randn([batch, width], { seed: 99 });
  if (k === "none") h = block(0, L)(h);
  else for (let i = 0; i < L; i += k) h = checkpoint(block(i, k))(h);
  const loss = h.square().mean();
  const kept = dist.activationBytes([loss], Ws, { precision: "fp32", optimizerSlots: 0 });
  const withWeights = dist.activationBytes([loss], [], { precision: "fp32", optimizerSlots: 0 });
  let recomputed = 0;
  const off = onEvent((e) => void (e.type === "tape" && e.phase === "record" && recomputed++));
  loss.backward();
  off();
  const grads = await Promise.all(Ws.map((W) => W.grad!.data()));
  return { kept, withWeights, recomputed, grads };
}

describe("checkpointing: kept activations and recomputed ops against their closed forms", () => {
  it("keeps (L/k + 1)·S bytes (and the loss's two scalars) and recomputes 2L ops for blocks of k; keeps (L + 1)·S without; the gradients are the same", async () => {
    const none = await runStack("none");
    expect(none.kept).toBe((L + 1) * S + LOSS_SCALARS);
    expect(none.recomputed).toBe(0);
    // The weights: each matmul saves its W too, but they stay in memory anyway — not counted as saved for backward.
    expect(none.withWeights - none.kept).toBe(L * width * width * 4);
    for (const k of [1, 2, 4, 8]) {
      const r = await runStack(k);
      expect(r.kept, `k = ${k}`).toBe((L / k + 1) * S + LOSS_SCALARS);
      // A checkpoint node saves only its input h: the weights its block closes over are not among its saved tensors at all.
      expect(r.withWeights, `k = ${k}`).toBe(r.kept);
      expect(r.recomputed, `k = ${k}`).toBe(2 * L);
      r.grads.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(none.grads[i]![j]!, 6)));
    }
  });
});

describe("complex numbers: PyTorch's z.grad of a real loss, from the real pair", () => {
  it("∂L/∂x + i·∂L/∂y of L = |z² + 1|² is 2·f(z)·conj(f′(z))", async () => {
    for (const [x, y] of [
      [0.5, 0.8],
      [-1.2, 0.3],
      [2, -1],
    ] as const) {
      const loss = (p: Tensor) => {
        const [a, b] = p.split(1);
        return a!.square().sub(b!.square()).add(1).square().add(a!.mul(b!).mul(2).square()).sum();
      };
      const [gx, gy] = (await grad(loss)(tensor([x, y], { dtype: "float64" })).tolist()) as number[];
      const [fr, fi] = [x * x - y * y + 1, 2 * x * y];
      const [dr, di] = [2 * x, -2 * y]; // conj(f′(z)) = conj(2z)
      expect(gx).toBeCloseTo(2 * (fr * dr - fi * di), 10);
      expect(gy).toBeCloseTo(2 * (fr * di + fi * dr), 10);
    }
  });
});

describe("differentiable programming: through a loop, and across a discrete choice", () => {
  const [dt, drag, T] = [0.1, 0.5, 30];
  const simulate = (v0: Tensor) => {
    let [x, v] = [v0.mul(0), v0];
    for (let t = 0; t < T; t++) [x, v] = [x.add(v.mul(dt)), v.sub(v.mul(drag * dt))];
    return x;
  };
  it("∂x_T/∂v0 through T Euler steps is (1 − (1 − k·dt)^T)/k", async () => {
    const d = await grad((v0: Tensor) => simulate(v0).sum())(tensor([1], { dtype: "float64" })).item();
    expect(d).toBeCloseTo((1 - (1 - drag * dt) ** T) / drag, 12);
  });
  it("rounding the result makes the gradient 0; the smooth loss's is 2(x_T − 4)·∂x_T/∂v0", async () => {
    const v0 = tensor([1.5], { dtype: "float64" });
    expect(await grad((v: Tensor) => simulate(v).round().sub(4).square().sum())(v0).item()).toBe(0);
    const xT = (1.5 * (1 - (1 - drag * dt) ** T)) / drag;
    const smooth = await grad((v: Tensor) => simulate(v).sub(4).square().sum())(v0).item();
    expect(smooth).toBeCloseTo((2 * (xT - 4) * (1 - (1 - drag * dt) ** T)) / drag, 10);
  });
});

describe("example 15 prints these figures", () => {
  afterAll(() => {
    setKnobValues();
    setStepLimit();
  });
  it("with the knob at blocks of 4: the kept bytes, recomputed ops and the table's closed forms", async () => {
    setDefaultBackend("cpu");
    setStepLimit(3);
    setKnobValues({ "checkpoint blocks of (layers)": 4 });
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      const id = "15-challenges";
      await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?figures`);
    } finally {
      log.mockRestore();
    }
    const KiB = (b: number) => (b / 1024).toFixed(1);
    const find = (start: string) => lines.find((l) => l.startsWith(start)) ?? "";
    expect(find("keep all:")).toContain(`${KiB((L + 1) * S)} KiB of activations kept for backward, 0 ops recomputed`);
    expect(find("blocks of 4")).toContain(`${KiB((L / 4 + 1) * S)} KiB of activations kept for backward, ${2 * L} ops recomputed`);
    expect(find("(the ")).toContain(`${KiB(L * width * width * 4)} KiB of weights stay in memory either way`);
    expect(find("same gradients")).toMatch(/max \|difference\| = 0\.0e\+0|e-[6-9]/);
    for (const k of [1, 2, 4, 8]) {
      const row = find(`${String(k).padEnd(4)} |`);
      expect(row.split("|").map((c) => c.trim().replace(/\s+←.*/, ""))).toEqual([String(k), KiB((L / k + 1) * S), String(2 * L), KiB((L / k + k) * S)]);
    }
    expect(find("4    |")).toContain("← your choice");
    // The complex gradient and the loop's derivative agree with their closed forms to the digits shown.
    const [pair, closed] = [find("z = 0.5 + 0.8i"), lines.find((l) => l.includes("(closed form: PyTorch's z.grad)")) ?? ""];
    expect(pair.match(/∂y\s+= (.*) \(webgrad/)?.[1]).toBe(closed.match(/= (.*) \(closed/)?.[1]);
    expect(closed).toContain("3.7800 − 0.3520i");
    const loop = find("∂x_T/∂v0 through 30 loop steps");
    expect(loop.match(/steps: ([\d.]+)/)?.[1]).toBe(((1 - 0.95 ** 30) / 0.5).toFixed(5));
    expect(loop.match(/= ([\d.]+)$/)?.[1]).toBe(((1 - 0.95 ** 30) / 0.5).toFixed(5));
    expect(find("∂/∂v0 of (round(x_T) − 4)² = 0;")).not.toBe("");
  });
});
