import { describe, expect, it } from "vitest";
import { jit, nn, noGrad, optim, tensor, type Tensor } from "webgrad";
import { callKey, callSignature, describeChange } from "../../../src/lib/graph/cacheKey";
import { CpuBackend } from "../../../src/lib/backend/cpu/cpu";
import { registerBackend } from "../../../src/lib/backend/registry";
import { expectAllClose, f64, graphEvents, values } from "./helpers";

/** A float64 linear layer with fixed weights (so results are exact to compare). */
function linear(w: number[][], b: number[]): nn.Linear {
  const m = nn.linear(w[0]!.length, w.length, { dtype: "float64" });
  noGrad(() => {
    m.weight.copy_(f64(w));
    m.bias!.copy_(f64(b));
  });
  return m;
}

describe("jit cache: modules and functions as arguments", () => {
  it("two modules of the same shape get two traces with their own results; the same module reuses its trace", () => {
    const m1 = linear([[1, 2]], [0.5]);
    const m2 = linear([[-3, 4]], [-1]);
    const f = jit((m: nn.Linear, x: Tensor) => m.forward(x));
    const x = f64([
      [1, 1],
      [2, -1],
    ]);
    expectAllClose(f(m1, x), m1.forward(x));
    expectAllClose(f(m2, x), m2.forward(x));
    expect(values(f(m2, x))).not.toEqual(values(f(m1, x)));
    expect(f.traceCount).toBe(2);
    expect(graphEvents(() => f(linear([[1, 2]], [0.5]), x))[0]!.reason).toBe("arg0 (a Linear): a different Linear than in the previous call");
    f(m1, x);
    f(m2, x);
    f(
      m1,
      f64([
        [0, 3],
        [1, 1],
      ]),
    );
    expect(f.traceCount).toBe(3);
    // Inside a plain object too (treeFlatten does not flatten modules: their parameters are captured).
    const g = jit((o: { model: nn.Linear }, x: Tensor) => o.model.forward(x));
    expectAllClose(g({ model: m1 }, x), m1.forward(x));
    expectAllClose(g({ model: m2 }, x), m2.forward(x));
    expect(g.traceCount).toBe(2);
  });

  it("a module's public fields are keyed: eval() and a replaced parameter retrace, and the reason says so", () => {
    const m = linear([[1, 2]], [0]);
    const f = jit((mod: nn.Linear, x: Tensor) => (mod.training ? mod.forward(x).mul(2) : mod.forward(x)));
    const x = f64([[1, 1]]);
    const events = graphEvents(() => {
      expect(values(f(m, x))).toEqual([6]);
      m.eval();
      expect(values(f(m, x))).toEqual([3]);
      m.weight = nn.parameter(f64([[10, 0]]));
      expect(values(f(m, x))).toEqual([10]);
      f(m, x);
    });
    expect(f.traceCount).toBe(3);
    expect(events.map((e) => e.reason)).toEqual([
      undefined,
      "arg0.training: true → false",
      "arg0.weight (a tensor float64[1, 2] on cpu requiresGrad): a different tensor than in the previous call",
    ]);
  });

  it("two functions as arguments: their own results; the same function reuses the trace", () => {
    const double = (t: Tensor) => t.mul(2);
    const square = (t: Tensor) => t.square();
    const apply = jit((fn: (t: Tensor) => Tensor, x: Tensor) => fn(x).add(1));
    const x = f64([1, 2, 3]);
    const events = graphEvents(() => {
      expect(values(apply(double, x))).toEqual([3, 5, 7]);
      expect(values(apply(square, x))).toEqual([2, 5, 10]);
      expect(values(apply(double, x))).toEqual([3, 5, 7]);
    });
    expect(apply.traceCount).toBe(2);
    expect(events.map((e) => e.reason)).toEqual([undefined, "arg0: a function (double) → a function (square)"]);
    // Two functions of the same name (here: none) differ by identity.
    const make = (k: number) => [(t: Tensor) => t.mul(k)][0]!;
    const again = graphEvents(() => {
      expect(values(apply(make(2), x))).toEqual([3, 5, 7]);
      expect(values(apply(make(3), x))).toEqual([4, 7, 10]);
    });
    expect(again.map((e) => e.reason)).toEqual([
      expect.any(String),
      "arg0 (a function): a different function than in the previous call (functions key by identity: create it once, outside the loop, to reuse the trace)",
    ]);
  });

  it("an optimizer as an argument: its options are keyed, its lr (kept as a tensor the graph reads) is not", () => {
    const w = nn.parameter(f64([1, 2]));
    const opt = new optim.SGD([w], { lr: 0.1 });
    const step = jit((o: optim.SGD, x: Tensor) => {
      o.zeroGrad();
      const l = w.mul(x).sum();
      l.backward();
      o.step();
      return l;
    });
    const x = f64([1, -1]);
    step(opt, x);
    expect(values(w)).toEqual([0.9, 2.1]);
    opt.paramGroups[0]!.lr = 0.5;
    step(opt, x);
    expectAllClose(w, [0.4, 2.6]);
    expect(step.traceCount).toBe(1);
  });
});

describe("jit cache: JS values keyed by type and exact value", () => {
  const pick = (x: Tensor, k: unknown): Tensor => {
    if (k === null) return x.add(100);
    if (k === undefined) return x.add(200);
    if (typeof k === "number" && Number.isNaN(k)) return x.add(300);
    if (k === Infinity) return x.add(400);
    if (k === -Infinity) return x.add(500);
    return 1 / (k as number) > 0 ? x.add(600) : x.add(700); // 0 vs -0
  };

  it("NaN, ±Infinity, null, undefined, -0 and 0 are keyed apart, each equal to eager", () => {
    const f = jit(pick);
    const x = f64([1]);
    const ks = [null, undefined, NaN, Infinity, -Infinity, 0, -0];
    for (const k of ks) expect(values(f(x, k))).toEqual(values(pick(x, k)));
    expect(f.traceCount).toBe(7);
    for (const k of ks) expect(values(f(x, k))).toEqual(values(pick(x, k)));
    expect(f.traceCount).toBe(7);
    const reasons = graphEvents(() => {
      const g = jit((x: Tensor, k?: unknown) => pick(x, k));
      g(x, 0);
      g(x, -0);
      g(x, NaN);
      g(x, null);
      g(x, undefined);
      g(x);
    }).map((e) => e.reason);
    expect(reasons).toEqual([undefined, "arg1: 0 → -0", "arg1: -0 → NaN", "arg1: NaN → null", "arg1: null → undefined", "arg1: removed (was undefined)"]);
  });

  it("strings, booleans and nested objects by value, structure and key order", () => {
    type Opts = { act: string; flip: boolean; scale: { v: number } };
    const fn = (x: Tensor, o: Opts) => {
      const y = o.act === "relu" ? x.relu() : x.tanh();
      return (o.flip ? y.neg() : y).mul(o.scale.v);
    };
    const f = jit(fn);
    const x = f64([-1, 0.5]);
    const cases: Opts[] = [
      { act: "relu", flip: false, scale: { v: 2 } },
      { act: "tanh", flip: false, scale: { v: 2 } },
      { act: "tanh", flip: true, scale: { v: 2 } },
      { act: "tanh", flip: true, scale: { v: 3 } },
    ];
    const events = graphEvents(() => {
      for (const o of cases) expectAllClose(f(x, o), fn(x, o));
      for (const o of cases) expectAllClose(f(x, o), fn(x, o));
    });
    expect(f.traceCount).toBe(4);
    expect(events.map((e) => e.reason)).toEqual([undefined, 'arg1.act: "relu" → "tanh"', "arg1.flip: false → true", "arg1.scale.v: 2 → 3"]);
    // "1" is not 1, and key order is part of the signature (it is the order fn sees).
    const g = jit((x: Tensor, o: Record<string, unknown>) => x.mul(Object.keys(o).length));
    const more = graphEvents(() => {
      g(x, { a: 1, b: 2 });
      g(x, { a: "1", b: 2 });
      g(x, { b: 2, a: "1" });
    });
    expect(more.map((e) => e.reason)).toEqual([
      undefined,
      'arg1.a: 1 → "1"',
      "the same values with object keys in another order (key order is part of the signature)",
    ]);
  });

  it("the same call twice reuses the trace; tensor shape, dtype and requiresGrad retrace", () => {
    const f = jit((x: Tensor, s: { lr: number }) => x.mul(s.lr));
    const events = graphEvents(() => {
      f(f64([1, 2]), { lr: 0.1 });
      f(f64([3, 4]), { lr: 0.1 });
      f(f64([3, 4]), { lr: 0.01 });
      f(tensor([3, 4]), { lr: 0.01 });
      f(f64([3, 4], undefined).requiresGrad_(true), { lr: 0.01 });
    });
    expect(f.traceCount).toBe(4);
    expect(events.map((e) => e.reason)).toEqual([
      undefined,
      "arg1.lr: 0.1 → 0.01",
      "arg0: float64[2] → float32[2]",
      "arg0: float32[2] → float64[2] requiresGrad",
    ]);
  });

  it("the backend a tensor argument lives on is keyed: each trace's results stay there", () => {
    class Cpu2 extends CpuBackend {
      override readonly name = "cpu2";
    }
    registerBackend(new Cpu2());
    const f = jit((x: Tensor) => x.mul(2).add(1));
    const events = graphEvents(() => {
      const a = f(tensor([1, 2], { device: "cpu" }));
      const b = f(tensor([1, 2], { device: "cpu2" }));
      expect([a.device, b.device]).toEqual(["cpu", "cpu2"]);
      expect([values(a), values(b)]).toEqual([
        [3, 5],
        [3, 5],
      ]);
    });
    expect(events.map((e) => e.reason)).toEqual([undefined, "arg0: float32[2] on cpu → float32[2] on cpu2"]);
  });

  it("typed arrays by contents, `this` of a method by identity and fields", () => {
    const f = jit((x: Tensor, w: Float64Array) => x.mul(tensor(Array.from(w), { dtype: "float64" })));
    const w = new Float64Array([1, 2]);
    expect(values(f(f64([1, 1]), w))).toEqual([1, 2]);
    w[1] = 5; // the values were baked into the graph: a change must retrace
    expect(values(f(f64([1, 1]), w))).toEqual([1, 5]);
    expect(f.traceCount).toBe(2);

    const scaler = {
      k: 2,
      run: jit(function (this: { k: number }, x: Tensor) {
        return x.mul(this.k);
      }),
    };
    expect(values(scaler.run(f64([1, 2])))).toEqual([2, 4]);
    scaler.k = 3;
    expect(values(scaler.run(f64([1, 2])))).toEqual([3, 6]);
    expect(scaler.run.traceCount).toBe(2);
    // An arrow function ignores the receiver: its fields are not keyed (a counter there does not retrace).
    const trainer = { steps: 0, step: jit((x: Tensor) => x.mul(2)) };
    for (let i = 0; i < 3; i++) {
      trainer.steps++;
      trainer.step(f64([1]));
    }
    expect(trainer.step.traceCount).toBe(1);
  });
});

describe("jit cache: refusals name jit and the argument path", () => {
  it("a cyclic argument", () => {
    const f = jit((o: { x: Tensor }) => o.x.mul(2));
    const o: { x: Tensor; self?: unknown } = { x: f64([1]) };
    o.self = { back: o };
    expect(() => f(o)).toThrow("jit: arg0.self.back refers back to arg0 (a cyclic argument)");
    const a: unknown[] = [f64([1])];
    a.push(a);
    expect(() => jit((xs: unknown[]) => xs[0] as Tensor)(a)).toThrow("jit: arg0[1] refers back to arg0 (a cyclic argument)");
    expect(() => f.lower(o)).toThrow(/cyclic argument/);
    // A cycle inside a class instance is keyed by identity, not refused.
    class Node {
      next: Node | null = null;
      constructor(readonly w: Tensor) {}
    }
    const n = new Node(f64([2]));
    n.next = n;
    const g = jit((m: Node, x: Tensor) => x.mul(m.next!.w));
    expect(values(g(n, f64([3])))).toEqual([6]);
    expect(values(g(n, f64([4])))).toEqual([8]);
    expect(g.traceCount).toBe(1);
    // Nor through an instance back to a plain argument (treeFlatten does not enter the instance).
    const box = { w: f64([3]), node: new Node(f64([1])) };
    (box.node as unknown as { owner: unknown }).owner = box;
    const h = jit((b: typeof box) => b.w.mul(b.node.w));
    expect(values(h(box))).toEqual([3]);
    expect(callSignature([box]).parts.map((p) => `${p.path} = ${p.desc}`)).toContain("arg0.node.owner = the same object as arg0");
  });

  it("a BigInt and a Promise", () => {
    const f = jit((x: Tensor, _n: unknown) => x.mul(2));
    expect(() => f(f64([1]), 5n)).toThrow(
      'jit: arg1 is a BigInt (5n): jit cannot key or trace BigInt values; pass a number (Number(arg1)) or an int32 tensor (tensor([...], { dtype: "int32" }))',
    );
    expect(() => f(f64([1]), { sizes: [1, 2n] })).toThrow("jit: arg1.sizes[1] is a BigInt (2n)");
    expect(() => f(f64([1]), Promise.resolve(1))).toThrow("jit: arg1 is a Promise: await it before calling the jit function");
  });

  it("an async function, and a function that returns a Promise", () => {
    async function step(x: Tensor) {
      return x.mul(2);
    }
    expect(() => jit(step)).toThrow("jit: step is an async function: a trace records the ops until the first await");
    expect(() => jit(async (x: Tensor) => x)).toThrow("jit: got an async function:");
    const later = jit((x: Tensor) => Promise.resolve(x.mul(2)));
    expect(() => later(f64([1]))).toThrow("jit: fn returned a Promise");
  });
});

describe("jit cache: guards and what a trace bakes in", () => {
  it("a .grad cleared after it was read retraces instead of failing, and the earlier trace is reused when it fits again", () => {
    const w = tensor([1, 2], { requiresGrad: true, dtype: "float64", name: "w" });
    const g = jit(() => {
      const l = w.mul(w).sum();
      l.backward();
      return l;
    });
    const events = graphEvents(() => {
      g(); // w.grad null: the graph assumes it stays null
      g(); // w.grad set: a graph that accumulates
      w.grad = null;
      g(); // the first graph again
      g(); // the second
    });
    expect(g.traceCount).toBe(2);
    expect(events.map((e) => e.reason)).toEqual([undefined, "w.grad was null when traced and is set now"]);
    expect(values(w.grad!)).toEqual([4, 8]);
  });

  it("as documented: a closure's number and a rebound captured variable are baked in; in-place updates are seen", () => {
    let k = 2;
    let w = f64([1, 1]);
    const f = jit((x: Tensor) => x.mul(w).mul(k));
    expect(values(f(f64([1, 2])))).toEqual([2, 4]);
    noGrad(() => w.copy_(f64([3, 3])));
    expect(values(f(f64([1, 2])))).toEqual([6, 12]); // in place: seen
    k = 10;
    w = f64([5, 5]);
    expect(values(f(f64([1, 2])))).toEqual([6, 12]); // rebound / reassigned: the trace's values
    expect(f.traceCount).toBe(1);
  });

  it("a captured tensor disposed since tracing (a variable rebound with dispose) retraces and reads the new one", () => {
    let w = f64([1, 1]);
    w.name = "w";
    const f = jit((x: Tensor) => x.mul(w));
    const events = graphEvents(() => {
      expect(values(f(f64([1, 2])))).toEqual([1, 2]);
      w.dispose();
      w = f64([5, 5]);
      expect(values(f(f64([1, 2])))).toEqual([5, 10]);
      f(f64([1, 2]));
    });
    expect(f.traceCount).toBe(2);
    expect(events.map((e) => e.reason)).toEqual([undefined, "the captured tensor w was disposed since tracing (the graph read it by reference)"]);
  });

  it("the graph event lists captured tensors (read by reference) and what is baked in", () => {
    const w = tensor([1, 1], { dtype: "float64", name: "w" });
    const f = jit((x: Tensor) => x.mul(w).mul(2));
    const [e] = graphEvents(() => f(f64([1, 2])));
    expect(e!.baked).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Baked in, not checked again: JS values fn reads from its closure"),
        expect.stringContaining("Captured tensors, read by reference on every run: w. In-place updates are seen; a variable rebound to another tensor is not"),
        "Constants made while tracing, fixed in the graph: 2 (a JS number such as x.mul(lr)'s lr becomes one).",
      ]),
    );
  });
});

describe("callSignature", () => {
  it("keys every kind apart and describes changes by path", () => {
    const key = (...a: unknown[]) => callSignature(a).key;
    const distinct = [NaN, Infinity, -Infinity, 0, -0, null, undefined, "0", false, [], {}, [0], { a: 0 }, new Map(), new Set()];
    expect(new Set(distinct.map((v) => key(v))).size).toBe(distinct.length);
    expect(key({ a: [1, { b: "x" }] })).toBe(key({ a: [1, { b: "x" }] }));
    expect(key(f64([1, 2]))).toBe(key(f64([3, 4])));
    expect(key(f64([1, 2]))).not.toBe(key(tensor([1, 2])));
    const prev = callSignature([{ lr: 0.1, betas: [0.9, 0.99] }]);
    const next = callSignature([{ lr: 0.01, betas: [0.9, 0.999] }]);
    expect(describeChange(prev, next)).toBe("arg0.lr: 0.1 → 0.01; arg0.betas[1]: 0.99 → 0.999");
    // Maps and Sets by contents; inside a class instance a BigInt is keyed (not refused), tensors by identity.
    expect(key(new Map([["a", 1]]))).toBe(key(new Map([["a", 1]])));
    expect(key(new Map([["a", 1]]))).not.toBe(key(new Map([["a", 2]])));
    expect(key(new Set([1, 2]))).not.toBe(key(new Set([2, 1])));
    class Box {
      constructor(
        public n: bigint,
        public t: Tensor,
      ) {}
    }
    const t = f64([1]);
    const box = new Box(1n, t);
    expect(key(box)).toBe(key(box));
    const before = callSignature([box]);
    box.t = f64([1]);
    box.n = 2n;
    expect(describeChange(before, callSignature([box]))).toBe(
      "arg0.n: 1n → 2n; arg0.t (a tensor float64[1] on cpu): a different tensor than in the previous call",
    );
    expect(describeChange(callSignature([new Box(1n, t)]), callSignature([box]))).toBe(
      "arg0 (a Box): a different Box than in the previous call (objects of a class key by identity: pass the same object, or a plain object, to reuse the trace)",
    );
    // The fast key every call computes is the full signature's key.
    const shared = { k: 1 };
    const m = nn.linear(2, 2);
    for (const args of [
      [box, box],
      [m, { m, s: [shared, shared] }],
      [
        new Map<unknown, unknown>([
          [t, shared],
          ["x", [1, -0]],
        ]),
        "s",
        NaN,
      ],
      [f64([1]), () => 1],
    ]) {
      expect(callKey(args)).toBe(callSignature(args).key);
    }
  });
});
