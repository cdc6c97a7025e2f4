/**
 * `showTape` (src/lib/autodiff/engine-tape.ts): a learner-built engine's nodes become the same tape
 * events the library's tape sends, the page's validator takes them, the Tape panel's store keeps
 * them as a tape of their own, and the panel's numbers (engine-numbers.ts) are the engine's values,
 * gradients and tangents — step by step, against the closed-form derivatives.
 */
import { afterEach, describe, expect, it } from "vitest";
import { onEvent, showTape, tensor, type WebgradEvent } from "webgrad";
import { checkEvent } from "../../../src/runner/validate";
import { TapeStore, type TapeEvent } from "../../../src/app/state/tape.svelte";
import { engineNumbers, forwardSteps, leafGrads, sweepOf } from "../../../src/app/panels/tape/engine-numbers";

/** A micrograd-style engine, as a learner writes it (example 14's, cut down). */
let tape: Value[] = [];
class Value {
  grad = 0;
  backwardStep = () => {};
  constructor(
    public data: number,
    readonly op = "",
    readonly inputs: Value[] = [],
    readonly name?: string,
  ) {}
  private record(data: number, op: string, inputs: Value[], step: (out: Value) => void): Value {
    const out = new Value(data, op, inputs);
    out.backwardStep = () => step(out);
    tape.push(out);
    return out;
  }
  add(b: Value): Value {
    return this.record(this.data + b.data, "+", [this, b], (o) => {
      this.grad += o.grad;
      b.grad += o.grad;
    });
  }
  mul(b: Value): Value {
    return this.record(this.data * b.data, "*", [this, b], (o) => {
      this.grad += b.data * o.grad;
      b.grad += this.data * o.grad;
    });
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    return this.record(t, "tanh", [this], (o) => {
      this.grad += (1 - t * t) * o.grad;
    });
  }
  backward(onStep?: (v: Value) => void): void {
    this.grad = 1;
    for (let i = tape.length - 1; i >= 0; i--) {
      tape[i]!.backwardStep();
      onStep?.(tape[i]!);
    }
  }
}
/** Three significant digits, as the panel prints them. */
const p3 = (x: number) => String(Number(x.toPrecision(3)));
const describeValue = (v: Value) => ({ op: v.op, inputs: v.inputs, value: v.data, grad: v.grad, name: v.name });

let off: (() => void) | undefined;
afterEach(() => off?.());
function listen(): WebgradEvent[] {
  const events: WebgradEvent[] = [];
  off = onEvent((e) => events.push(e));
  return events;
}

describe("showTape: a learner-built reverse-mode engine", () => {
  // L = tanh(a·b + a) at a = 0.5, b = −1.5: z = a·b + a = −0.25.
  const [A, B] = [0.5, -1.5];
  const z = A * B + A;
  const y = Math.tanh(z);
  const dz = 1 - y * y; // ∂L/∂z

  it("sends the graph with values, then one backward step per node with what arrived and what it sent", () => {
    const events = listen();
    tape = [];
    const a = new Value(A, "", [], "a"),
      b = new Value(B, "", [], "b");
    const L = a.mul(b).add(a).tanh();
    const view = showTape(tape, describeValue, { name: "micrograd" });
    expect([view.ops, view.leaves]).toEqual([3, 2]);
    L.backward((node) => view.step(node));
    const tapeEvents = events.filter((e): e is TapeEvent => e.type === "tape");
    for (const e of tapeEvents) expect(checkEvent(e).ok, JSON.stringify(e)).toBe(true);

    expect(tapeEvents[0]).toEqual({ type: "tape", phase: "reset", engine: "micrograd" });
    const leaves = tapeEvents.filter((e) => e.phase === "leaf");
    expect(leaves.map((e) => [e.name, e.value])).toEqual([
      ["a", [A]],
      ["b", [B]],
    ]);
    const records = tapeEvents.flatMap((e) => (e.phase === "record" ? [e.node] : []));
    expect(records.map((n) => [n.id, n.op, n.category])).toEqual([
      [1, "*", "binary"],
      [2, "+", "binary"],
      [3, "tanh", "unary"],
    ]);
    expect(records.map((n) => n.value![0])).toEqual([A * B, z, y]);
    // Edges: "+" reads the "*" node's output and the leaf a; ids of values are negative, apart from tensors'.
    const [aId, bId] = leaves.map((e) => e.id);
    expect(records[0]!.inputs).toEqual([aId, bId]);
    expect(records[1]!.inputs).toEqual([records[0]!.output, aId]);
    expect([aId, bId, ...records.map((n) => n.output)].every((id) => id < 0)).toBe(true);

    const steps = tapeEvents.flatMap((e) => (e.phase === "backward" ? [e] : []));
    expect(steps.map((s) => s.nodeId)).toEqual([3, 2, 1]);
    // tanh: 1 arrived, it sent (1 − y²); "+": dz arrived, it sent dz to each; "*": dz arrived, it sent b·dz to a and a·dz to b.
    expect(steps[0]!.gradOut!.values![0]).toBe(1);
    expect(steps[0]!.gradValues![0]![0]).toBeCloseTo(dz, 14);
    expect(steps[1]!.gradValues!.map((v) => v![0])).toEqual([dz, dz].map((x) => expect.closeTo(x, 14)));
    expect(steps[2]!.gradOut!.values![0]).toBeCloseTo(dz, 14);
    expect(steps[2]!.gradValues!.map((v) => v![0])).toEqual([B * dz, A * dz].map((x) => expect.closeTo(x, 14)));
    // The engine's own gradients are the closed form: ∂L/∂a = (b + 1)·dz, ∂L/∂b = a·dz.
    expect(a.grad).toBeCloseTo((B + 1) * dz, 14);
    expect(b.grad).toBeCloseTo(A * dz, 14);
  });

  it("in the Tape panel's store it is a tape of its own, and the panel's numbers fill in step by step", () => {
    const events = listen();
    // A library tape first: the engine tape must not join it, nor the library's next one join the engine's.
    const w = tensor([1, 2]).requiresGrad_();
    w.mul(w).sum().backward();
    tape = [];
    const a = new Value(A, "", [], "a"),
      b = new Value(B, "", [], "b");
    const L = a.mul(b).add(a).tanh();
    const view = showTape(tape, describeValue, { name: "micrograd" });
    L.backward((node) => view.step(node));
    w.mul(w).sum().backward();

    const store = new TapeStore();
    store.addAll(events.filter((e): e is TapeEvent => e.type === "tape"));
    expect(store.tapes.map((t) => [t.engine ?? "library", t.nodes.length, t.backward.length])).toEqual([
      ["library", 2, 2],
      ["micrograd", 3, 3],
      ["library", 2, 2],
    ]);
    // The run drew a learner's engine: the panel opens on it, though the library recorded a tape after it.
    const engineTape = store.tapes[1]!;
    expect(store.current).toBe(engineTape);
    expect(sweepOf(store.nodes, store.backward)).toBe("reverse");
    const leaves = store.leaves;
    expect([...leaves.values()].map((l) => [l.name, l.value])).toEqual([
      ["a", [A]],
      ["b", [B]],
    ]);
    const [aId, bId] = [...leaves.keys()];
    const reachedAfter = (k: number) => new Map(store.backward.slice(0, k).map((s) => [s.nodeId, s]));

    // Before backward: values only, every gradient unknown.
    const before = engineNumbers(store.nodes, leaves, reachedAfter(0), "reverse");
    expect(before.get("op3")).toEqual({ value: p3(y), deriv: "ḡ ?" });
    expect(before.get(`t${aId}`)).toEqual({ value: "0.5", deriv: "ḡ ?" });
    // After tanh's and "+"'s steps: "+" got dz, a has dz so far (the "*" step has not sent its part), b nothing yet.
    const mid = engineNumbers(store.nodes, leaves, reachedAfter(2), "reverse");
    expect(mid.get("op3")!.deriv).toBe("ḡ 1");
    expect(mid.get("op2")!.deriv).toBe(`ḡ ${p3(dz)}`);
    expect(mid.get("op1")!.deriv).toBe("ḡ ?");
    expect(leafGrads(store.nodes, reachedAfter(2)).get(aId!)).toBeCloseTo(dz, 14);
    expect(mid.get(`t${bId}`)!.deriv).toBe("ḡ ?");
    // All steps: the leaves' sums are the engine's gradients.
    const all = leafGrads(store.nodes, reachedAfter(3));
    expect(all.get(aId!)).toBeCloseTo((B + 1) * dz, 14);
    expect(all.get(bId!)).toBeCloseTo(A * dz, 14);
  });

  it("an input used twice (x·x) shares what the step sent between its two slots", () => {
    const events = listen();
    tape = [];
    const x = new Value(3, "", [], "x");
    const sq = x.mul(x);
    const view = showTape(tape, describeValue);
    sq.backward((n) => view.step(n));
    const step = events.find((e): e is Extract<TapeEvent, { phase: "backward" }> => e.type === "tape" && e.phase === "backward")!;
    expect(step.gradValues).toEqual([[3], [3]]);
    expect(x.grad).toBe(6);
  });

  it("refuses a leaf among the op nodes, and a step of a node it does not know", () => {
    tape = [];
    const x = new Value(1, "", [], "x");
    expect(() => showTape([x], describeValue)).toThrow(/no op/);
    const y = x.tanh();
    const view = showTape(tape, describeValue);
    expect(() => view.step(x)).toThrow(/not one of the tape's ops/);
    expect(() => view.step(y)).not.toThrow();
  });
});

describe("showTape: a learner-built forward-mode engine (dual numbers)", () => {
  class Dual {
    constructor(
      readonly val: number,
      readonly dot: number,
      readonly op = "",
      readonly inputs: Dual[] = [],
    ) {}
    mul(b: Dual): Dual {
      return new Dual(this.val * b.val, this.dot * b.val + this.val * b.dot, "*", [this, b]);
    }
    sin(): Dual {
      return new Dual(Math.sin(this.val), Math.cos(this.val) * this.dot, "sin", [this]);
    }
  }

  it("sends tangents; the panel steps through the forward sweep, each op's tangent the closed form", () => {
    const events = listen();
    // f(x) = sin(x)·x at x = 2, seeded ẋ = 1: f′ = cos x · x + sin x.
    const x = new Dual(2, 1);
    const s = x.sin();
    const f = s.mul(x);
    showTape([s, f], (d) => ({ op: d.op, inputs: d.inputs, value: d.val, tangent: d.dot, name: d.op ? undefined : "x" }), { name: "dual numbers" });
    const store = new TapeStore();
    store.addAll(events.filter((e): e is TapeEvent => e.type === "tape"));
    expect(store.current?.engine).toBe("dual numbers");
    expect(sweepOf(store.nodes, store.backward)).toBe("forward");
    const steps = forwardSteps(store.nodes);
    expect(steps.map((st) => st.nodeId)).toEqual([1, 2]);
    const [xId] = [...store.leaves.keys()];
    const after = (k: number) => engineNumbers(store.nodes, store.leaves, new Map(steps.slice(0, k).map((st) => [st.nodeId, st])), "forward");
    expect(after(0).get(`t${xId}`)).toEqual({ value: "2", deriv: "v̇ 1" });
    expect(after(0).get("op1")!.deriv).toBe("v̇ ?");
    expect(after(1).get("op1")).toEqual({ value: p3(Math.sin(2)), deriv: `v̇ ${p3(Math.cos(2))}` });
    expect(after(2).get("op2")!.deriv).toBe(`v̇ ${p3(Math.cos(2) * 2 + Math.sin(2))}`);
    expect(f.dot).toBeCloseTo(Math.cos(2) * 2 + Math.sin(2), 14);
  });
});
