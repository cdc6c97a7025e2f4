/**
 * The evaluation trace (src/lib/autodiff/evaluation-trace.ts) of the course's example
 * f(x₁, x₂) = ln x₁ + x₁x₂ − sin x₂ at (2, 5): every row's value, tangent and adjoint against the
 * closed form, the formulas the table shows, the event the Tape panel draws, and agreement with
 * the library's jvp and grad on another function.
 */
import { describe, expect, it } from "vitest";
import { evaluationTrace, grad, jvp, onEvent, tensor, traceTable, type EvalTraceEvent, type Tensor, type WebgradEvent } from "webgrad";

const f = (x1: Tensor, x2: Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());
const [X1, X2] = [2, 5];

describe("evaluationTrace: the course's f(x₁, x₂) = ln x₁ + x₁x₂ − sin x₂ at (2, 5)", () => {
  it("forward mode: each row's value and tangent, seeded with ẋ = (1, 0) then (0, 1)", async () => {
    const t = await evaluationTrace(f, [X1, X2], { mode: "forward", dtype: "float64" });
    expect(t.rows.map((r) => r.name)).toEqual(["v₋₁", "v₀", "v₁", "v₂", "v₃", "v₄", "v₅"]);
    expect(t.rows.map((r) => r.expr)).toEqual(["x₁", "x₂", "ln v₋₁", "v₋₁ · v₀", "v₁ + v₂", "sin v₀", "v₃ − v₄"]);
    expect(t.rows.map((r) => r.derivExpr)).toEqual(["ẋ₁", "ẋ₂", "v̇₋₁ / v₋₁", "v̇₋₁ · v₀ + v̇₀ · v₋₁", "v̇₁ + v̇₂", "v̇₀ · cos v₀", "v̇₃ − v̇₄"]);
    const values = [X1, X2, Math.log(X1), X1 * X2, Math.log(X1) + X1 * X2, Math.sin(X2), Math.log(X1) + X1 * X2 - Math.sin(X2)];
    t.rows.forEach((r, i) => expect(r.value, r.name).toBeCloseTo(values[i], 12));
    // ẋ = (1, 0): v̇ᵢ = ∂vᵢ/∂x₁
    const dx1 = [1, 0, 1 / X1, X2, 1 / X1 + X2, 0, 1 / X1 + X2];
    t.rows.forEach((r, i) => expect(r.deriv, r.name).toBeCloseTo(dx1[i], 12));
    expect(t.derivative[0]).toBeCloseTo(5.5, 12);
    const t2 = await evaluationTrace(f, [X1, X2], { mode: "forward", seed: [0, 1], dtype: "float64" });
    const dx2 = [0, 1, 0, X1, X1, Math.cos(X2), X1 - Math.cos(X2)];
    t2.rows.forEach((r, i) => expect(r.deriv, r.name).toBeCloseTo(dx2[i], 12));
    expect(t2.derivative[0]).toBeCloseTo(1.7163378145367738, 12);
  });

  it("reverse mode: each row's adjoint v̄ᵢ = ∂f/∂vᵢ, summed over the rows that use vᵢ; the gradient in one sweep", async () => {
    const t = await evaluationTrace(f, [X1, X2], { mode: "reverse", dtype: "float64" });
    expect(t.rows.map((r) => r.derivExpr)).toEqual(["v̄₁ / v₋₁ + v̄₂ · v₀", "v̄₂ · v₋₁ + v̄₄ · cos v₀", "v̄₃", "v̄₃", "v̄₅", "−v̄₅", "1"]);
    const adjoints = [1 / X1 + X2, X1 - Math.cos(X2), 1, 1, 1, -1, 1];
    t.rows.forEach((r, i) => expect(r.deriv, r.name).toBeCloseTo(adjoints[i], 12));
    expect(t.derivative[0]).toBeCloseTo(5.5, 12);
    expect(t.derivative[1]).toBeCloseTo(1.716337814536774, 12);
    expect(t.value).toBeCloseTo(11.652071455223084, 12);
    expect(t.seed).toEqual([1]);
  });

  it("prints an aligned table and sends it to the Tape panel as an evaltrace event", async () => {
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    let t;
    try {
      t = await evaluationTrace(f, [X1, X2], { mode: "reverse", name: "f(x₁, x₂)" });
    } finally {
      off();
    }
    const sent = events.filter((e): e is EvalTraceEvent => e.type === "evaltrace");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ name: "f(x₁, x₂)", mode: "reverse", inputs: 2, seed: [1] });
    expect(sent[0].rows).toEqual(t.rows);
    const lines = t.table().split("\n");
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^v₋₁ += x₁ +2\.0000 +v̄₋₁ += v̄₁ \/ v₋₁ \+ v̄₂ · v₀ +5\.5000$/);
    expect(lines[7]).toMatch(/^v₅ += v₃ − v₄ +11\.6521 +v̄₅ += 1 +1\.0000$/);
    expect(traceTable(t)).toBe(t.table());
  });
});

describe("evaluationTrace agrees with the library's jvp and grad", () => {
  const g = (x: Tensor, y: Tensor) => x.mul(2).add(y.div(x)).tanh().mul(x.exp()).add(y.square()).sqrt();
  it("on a function with constants, division, tanh, exp, square and sqrt", async () => {
    const at = [0.7, -0.4];
    const rev = await evaluationTrace(g, at, { dtype: "float64" });
    const want = grad(g, { argnums: [0, 1] })(tensor(at[0], { dtype: "float64" }), tensor(at[1], { dtype: "float64" })) as Tensor[];
    expect(rev.derivative[0]).toBeCloseTo(want[0].itemSync(), 12);
    expect(rev.derivative[1]).toBeCloseTo(want[1].itemSync(), 12);
    expect(rev.rows.find((r) => r.expr === "v₋₁ · 2")).toBeDefined(); // a constant operand is shown by value
    const fwd = await evaluationTrace(g, at, { mode: "forward", seed: [0.3, -1.2], dtype: "float64" });
    const [, tangent] = jvp(
      g,
      [tensor(at[0], { dtype: "float64" }), tensor(at[1], { dtype: "float64" })],
      [tensor(0.3, { dtype: "float64" }), tensor(-1.2, { dtype: "float64" })],
    );
    expect(fwd.derivative[0]).toBeCloseTo((tangent as Tensor).itemSync(), 12);
  });

  it("refuses a function that leaves scalars, and a bad point or seed", async () => {
    await expect(evaluationTrace((x: Tensor) => x.reshape([1]).expand([3]).sum(), [1])).rejects.toThrow(/expand gives shape \[3\]/);
    await expect(evaluationTrace(f, [])).rejects.toThrow(/non-empty array/);
    await expect(evaluationTrace(f, [1, 2], { mode: "forward", seed: [1] })).rejects.toThrow(/seed must hold 2/);
  });
});
