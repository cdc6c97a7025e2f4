/**
 * Graph mode ≡ eager for in-place writes through views (issue #12, points 1 and 4): every view op
 * × several in-place ops, on intermediates, arguments and captured tensors; aliases re-derived;
 * gradients; fill_/zero_/copy_ keep the written tensor's shape.
 */
import { describe, expect, it } from "vitest";
import { concat, cond, fori, grad, jit, noGrad, tensor, zeros, arange, Tensor, type NestedArray } from "webgrad";
import { expectAllClose, f64 } from "./helpers";

type Fn = (...args: Tensor[]) => Tensor | Tensor[];

/** Values of a result (a tensor or a list of them). */
const lists = (r: Tensor | Tensor[]): NestedArray[] => (Array.isArray(r) ? r : [r]).map((t) => t.tolistSync());

/**
 * Run `make(captures)` eagerly and under jit (two calls each: the second reuses the compiled
 * graph), each run on fresh arguments and captures, and expect the same results, the same
 * arguments afterwards and the same captures afterwards.
 */
function expectSameAsEager(make: (caps: Tensor[]) => Fn, args: () => Tensor[], caps: () => Tensor[] = () => []): void {
  const run = (compiled: boolean) => {
    const c = caps();
    const fn = make(c);
    const f = compiled ? jit(fn) : fn;
    const calls = [];
    for (let k = 0; k < 2; k++) {
      const a = args();
      const r = f(...a);
      calls.push({ results: lists(r), args: a.map((t) => t.tolistSync()), captures: c.map((t) => t.tolistSync()) });
    }
    return calls;
  };
  expect(run(true)).toEqual(run(false));
}

const base = () =>
  tensor([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 12],
  ]);

/** Every way to take a view of a [3, 4] tensor (all are views eagerly). */
const VIEWS: [string, (t: Tensor) => Tensor][] = [
  ["slice index", (t) => t.slice(1)],
  ["slice range", (t) => t.slice([0, 2])],
  ["stepped slice", (t) => t.slice(null, [null, null, 2])],
  ["offset stepped slice", (t) => t.slice([1, 3], [1, null, 2])],
  ["negative step", (t) => t.slice([null, null, -2], [3, 0, -1])],
  ["flip", (t) => t.flip(1)],
  ["narrow", (t) => t.narrow(1, 1, 2)],
  [".T", (t) => t.T],
  [".T.slice(0)", (t) => t.T.slice(0)],
  ["permute", (t) => t.permute(1, 0)],
  ["transpose then narrow then step", (t) => t.transpose(0, 1).narrow(0, 1, 2).slice(null, [null, null, 2])],
  ["reshape (a view)", (t) => t.reshape(2, 6)],
  ["view then slice", (t) => t.view(12).slice([2, 9])],
  ["flatten", (t) => t.flatten()],
  ["unsqueeze", (t) => t.unsqueeze(1)],
  ["unsqueeze then squeeze then slice", (t) => t.unsqueeze(0).squeeze(0).slice(2)],
  ["split piece", (t) => t.split(2, 1)[1]],
  ["chunk piece", (t) => t.chunk(3, 0)[2]],
  ["detach", (t) => t.detach()],
  ["contiguous (itself)", (t) => t.contiguous()],
  ["one row of an expand", (t) => t.slice([0, 1]).expand(3, 4).slice(2)],
];

/** In-place ops applied to a view (each broadcasts where it can). */
const WRITES: [string, (v: Tensor) => void][] = [
  ["mul_", (v) => v.mul_(-2)],
  ["add_", (v) => v.add_(100)],
  ["sub_ (a tensor of the view's shape)", (v) => v.sub_(v.mul(0).add(arange(0, v.size).reshape(v.shape as number[])))],
  ["div_", (v) => v.div_(4)],
  ["fill_", (v) => v.fill_(7)],
  ["zero_", (v) => v.zero_()],
  ["copy_ (broadcast over leading dims)", (v) => v.copy_(v.ndim ? arange(0, v.shape[v.ndim - 1]).add(50) : tensor(50))],
];

describe("jit: in-place writes through views ≡ eager", () => {
  it("the issue's examples", () => {
    const f = (x: Tensor) => {
      const t = x.mul(1);
      t.slice(1).mul_(-2);
      return t;
    };
    expect(jit(f)(tensor([1, 2, 3])).tolistSync()).toEqual([1, -4, 3]);
    expect(f(tensor([1, 2, 3])).tolistSync()).toEqual([1, -4, 3]);
    const g = (x: Tensor) => {
      const t = x.mul(1);
      t.narrow(0, 1, 2).fill_(0);
      t.T.slice(0).fill_(9);
      return t;
    };
    expect(
      jit(g)(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ).tolistSync(),
    ).toEqual([
      [9, 2],
      [9, 0],
      [9, 0],
    ]);
    const c = tensor([1, 2, 3, 4]);
    const h = jit((x: Tensor) => {
      c.slice([null, null, 2]).mul_(10);
      return x.add(c);
    });
    expect(h(tensor([0, 0, 0, 0])).tolistSync()).toEqual([10, 2, 30, 4]);
    expect(c.tolistSync()).toEqual([10, 2, 30, 4]);
  });

  for (const [vname, view] of VIEWS) {
    describe(vname, () => {
      for (const [wname, write] of WRITES) {
        it(`${wname} on an intermediate: the base, an alias made before, and a view made after`, () => {
          expectSameAsEager(
            () => (x) => {
              const t = x.mul(1);
              const before = t.T; // another alias of the same memory
              const v = view(t);
              write(v);
              return [t, v, before, view(t), t.sum()];
            },
            () => [base()],
          );
        });
        it(`${wname} on an argument: the caller's tensor changes`, () => {
          expectSameAsEager(
            () => (x) => {
              write(view(x));
              return x.add(0);
            },
            () => [base()],
          );
        });
        it(`${wname} on a captured tensor: the capture changes`, () => {
          expectSameAsEager(
            ([c]) =>
              (x) => {
                const v = view(c);
                write(v);
                return [c.mul(x), v.add(0)];
              },
            () => [tensor(2)],
            () => [base()],
          );
        });
      }
    });
  }

  it("two sibling views: a write through one is seen by the other", () => {
    expectSameAsEager(
      () => (x) => {
        const t = x.mul(1);
        const row = t.slice(1),
          col = t.slice(null, 2);
        row.fill_(0);
        const seen = col.add(0);
        col.mul_(3);
        return [t, row, col, seen];
      },
      () => [base()],
    );
  });

  it("views of views: a write through the innermost reaches the base and the middle view", () => {
    expectSameAsEager(
      () => (x) => {
        const t = x.mul(1);
        const mid = t.T.narrow(0, 1, 3);
        const inner = mid.slice([null, null, 2], 1);
        inner.add_(100);
        return [t, mid, inner];
      },
      () => [base()],
    );
  });

  it("a write to the base is seen by a view taken before it", () => {
    expectSameAsEager(
      () => (x) => {
        const t = x.mul(1);
        const v = t.slice(null, [1, 3]).T;
        t.mul_(-1);
        const a = v.add(0);
        t.slice(0).zero_();
        return [v, a, t];
      },
      () => [base()],
    );
  });

  it("repeated writes through different views, read in between", () => {
    expectSameAsEager(
      () => (x) => {
        const t = x.mul(1);
        const out: Tensor[] = [];
        for (let i = 0; i < 3; i++) {
          t.slice(i).add_(t.slice((i + 1) % 3));
          out.push(t.sum(1));
        }
        return [t, ...out];
      },
      () => [base()],
    );
  });

  it("a view copies from an overlapping view of its own base (the source is read before the write)", () => {
    expectSameAsEager(
      () => (x) => {
        const t = x.mul(1);
        t.slice([1, 3]).copy_(t.slice([0, 2]));
        return t;
      },
      () => [base()],
    );
  });

  it("a tensor created inside the function (a constant) is written through a view: fresh every call", () => {
    expectSameAsEager(
      () => (x) => {
        const m = zeros([3, 4]);
        m.slice(null, [null, null, 2]).fill_(1);
        m.slice(1).add_(x.slice(1));
        return x.mul(m);
      },
      () => [base()],
    );
  });

  it("an argument written through a view and also returned as a view", () => {
    expectSameAsEager(
      () => (x, y) => {
        x.T.slice(1).copy_(y);
        return [x.slice(null, 1), y.mul(2)];
      },
      () => [base(), tensor([-1, -2, -3])],
    );
  });

  it("a captured tensor and a view of it captured from outside share memory", () => {
    expectSameAsEager(
      ([a, v]) =>
        (x) => {
          v.mul_(x);
          const seen = a.mul(2);
          a.slice(1, 0).fill_(-1);
          return [seen, v.mul(2), a];
        },
      () => [tensor(3)],
      () => {
        const a = base();
        return [a, a.slice(1)];
      },
    );
  });

  it("an argument and a captured tensor: several writes and reads in between", () => {
    expectSameAsEager(
      ([c]) =>
        (x) => {
          c.slice(0).copy_(x.slice(2));
          x.slice(1).add_(c.slice(0));
          c.T.slice(3).mul_(x.T.slice(3));
          return [x.add(c), c.sum()];
        },
      () => [base()],
      () => [base().mul(-1)],
    );
  });

  it("writes into a broadcast (expanded) view are refused, eagerly and under jit", () => {
    const f = (x: Tensor) => {
      const t = x.mul(1);
      t.slice([0, 1]).expand(3, 4).fill_(0);
      return t;
    };
    expect(() => f(base())).toThrow(/copy_: cannot write in place .* share one memory location/);
    expect(() => jit(f)(base())).toThrow(/copy_: cannot write in place .* share one memory location/);
    const g = (x: Tensor) => {
      x.expand(2, 4).add_(1);
      return x;
    };
    expect(() => g(tensor([1, 2, 3, 4]))).toThrow(/share one memory location/);
    expect(() => jit(g)(tensor([1, 2, 3, 4]))).toThrow(/share one memory location/);
  });

  it("reshape of a transposed tensor is a copy eagerly: a write to it leaves the base alone, under jit too", () => {
    expectSameAsEager(
      () => (x) => {
        const t = x.mul(1);
        const r = t.T.reshape(12);
        r.fill_(0);
        const c = t.T.contiguous(); // a copy too
        c.fill_(1);
        return [t, r, c];
      },
      () => [base()],
    );
  });

  it("an argument's own layout decides what is a view of it, as eagerly (a transposed argument's reshape is a copy)", () => {
    const f = (x: Tensor) => {
      x.reshape(-1).slice([0, 3]).fill_(0);
      x.contiguous().slice(1).fill_(-1);
      return x.add(0);
    };
    const g = jit(f);
    for (const make of [() => base(), () => base().T, () => base().slice([1, 3]), () => base().T.contiguous()]) {
      const xe = make(),
        xj = make();
      expect(g(xj).tolistSync()).toEqual(f(xe).tolistSync());
      expect(xj.tolistSync()).toEqual(xe.tolistSync());
    }
    // [3, 4]; [4, 3] transposed; [2, 4] at an offset; [4, 3] contiguous: a layout of its own.
    expect(g.traceCount).toBe(4);
  });

  it("a loop writing rows of a buffer keeps its constants small (slices are padded into place, not gathered)", () => {
    const f = (x: Tensor) => {
      const out = zeros([32, 256]);
      for (let i = 0; i < 32; i++) out.slice(i).copy_(x.mul(i));
      out.slice(null, [null, null, 4]).zero_();
      return out;
    };
    const x = arange(0, 256);
    expect(jit(f)(x).tolistSync()).toEqual(f(x).tolistSync());
    const g = jit(f).lower(x).optimized;
    const constantElements = g.inputs.filter((i) => i.constant).reduce((n, i) => n + i.value.shape.reduce((a, b) => a * b, 1), 0);
    // The buffer itself and a few folded buffer-sized values; a gather per write would hold 2 × 33 of them.
    expect(constantElements).toBeLessThan(4 * 32 * 256);
  });

  it("int32 and bool tensors", () => {
    expectSameAsEager(
      () => (x) => {
        const t = x.int();
        t.slice(null, [1, 3]).mul_(-1);
        const b = x.gt(5);
        b.T.slice(0).fill_(1);
        b.slice(2, [null, null, 3]).zero_();
        return [t, b];
      },
      () => [base()],
    );
  });
});

/** A small seeded generator (mulberry32), so a failing chain reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random chain of view-producing ops for a tensor of `shape` (reshapes may copy, as eagerly). */
function randomChain(seed: number, shape: number[]): { ops: ((t: Tensor) => Tensor)[]; log: string[] } {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const ops: ((t: Tensor) => Tensor)[] = [];
  const log: string[] = [];
  let cur = tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i)).reshape(shape);
  const steps = 1 + int(4);
  for (let k = 0; k < steps; k++) {
    const nd = cur.ndim;
    const kind = nd === 0 ? 4 : int(7);
    let op: (t: Tensor) => Tensor, what: string;
    if (kind === 0) {
      const axes = Array.from({ length: nd }, (_, i) => i).sort(() => r() - 0.5);
      [op, what] = [(t) => t.permute(axes), `permute(${axes})`];
    } else if (kind === 1) {
      const d = int(nd),
        n = cur.shape[d];
      const step = [1, 2, -1, -2, 3][int(5)];
      const a = int(n + 1) - (r() < 0.3 ? n : 0),
        b = int(n + 1);
      const specs: (null | [number, number | null, number])[] = cur.shape.map(() => null);
      specs[d] = [a, step > 0 ? b : r() < 0.5 ? null : b, step];
      [op, what] = [(t) => t.slice(...specs), `slice(${JSON.stringify(specs)})`];
    } else if (kind === 2) {
      const n = cur.size,
        dims: number[] = [];
      let left = n;
      while (left > 1 && dims.length < 3) {
        const divs = Array.from({ length: left }, (_, i) => i + 1).filter((d) => left % d === 0);
        const d = divs[int(divs.length)];
        dims.push(d);
        left /= d;
      }
      if (left !== 1 || dims.length === 0) dims.push(left);
      [op, what] = [(t) => t.reshape(dims), `reshape(${dims})`];
    } else if (kind === 3) {
      const d = int(nd);
      [op, what] = [(t) => t.flip(d), `flip(${d})`];
    } else if (kind === 4) {
      const d = int(nd + 1);
      [op, what] = [(t) => t.unsqueeze(d), `unsqueeze(${d})`];
    } else if (kind === 5) {
      const ones = cur.shape.flatMap((n, i) => (n === 1 ? [i] : []));
      if (ones.length === 0) continue;
      const d = ones[int(ones.length)];
      [op, what] = [(t) => t.squeeze(d), `squeeze(${d})`];
    } else {
      const d = int(nd),
        n = cur.shape[d];
      if (n === 0) continue;
      const start = int(n),
        len = 1 + int(n - start);
      [op, what] = [(t) => t.narrow(d, start, len), `narrow(${d}, ${start}, ${len})`];
    }
    cur = op(cur);
    ops.push(op);
    log.push(what);
  }
  return { ops, log };
}

describe("jit: random view chains, written through ≡ eager", () => {
  const shapes = [[2, 3, 4], [6, 5], [3, 1, 4], [24]];
  for (let seed = 1; seed <= 60; seed++) {
    const shape = shapes[seed % shapes.length];
    const { ops, log } = randomChain(seed, shape);
    it(`chain ${seed}: ${shape} → ${log.join(" → ")}`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      expectSameAsEager(
        () => (x) => {
          const t = x.mul(1);
          const mid = ops.slice(0, Math.ceil(ops.length / 2)).reduce((v, op) => op(v), t);
          const v = ops.reduce((u, op) => op(u), t);
          v.mul_(-1);
          const after = [t.sum(), mid.add(0)];
          mid.add_(1000);
          v.copy_(v.add(0.5));
          return [t, mid, v, ...after];
        },
        () => [arange(0, n).reshape(shape)],
      );
    });
  }
});

describe("jit: fill_ / zero_ / copy_ keep the tensor's shape", () => {
  const cases: [string, (t: Tensor) => void][] = [
    ["fill_", (t) => t.fill_(7)],
    ["zero_", (t) => t.zero_()],
    ["copy_ of a row", (t) => t.copy_(tensor([1, 2, 3]))],
    ["copy_ of a column", (t) => t.copy_(tensor([[1], [2]]))],
    ["copy_ of a 0-d tensor", (t) => t.copy_(tensor(5))],
    ["copy_ of a number", (t) => t.copy_(3)],
    ["add_ of a row", (t) => t.add_(tensor([1, 2, 3]))],
  ];
  for (const [name, write] of cases) {
    it(`${name} on a [2, 3] intermediate, an argument and a capture`, () => {
      expectSameAsEager(
        () => (x) => {
          const t = x.mul(1);
          write(t);
          return [t, t.add(1)];
        },
        () => [
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ],
      );
      expectSameAsEager(
        () => (x) => {
          write(x);
          return x.sum(0);
        },
        () => [
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ],
      );
      expectSameAsEager(
        ([c]) =>
          (x) => {
            write(c);
            return c.mul(x);
          },
        () => [tensor(2)],
        () => [
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ],
      );
    });
  }

  it("the written tensor is its own memory: not the argument it was copied from", () => {
    const f = jit((x: Tensor) => {
      const t = zeros([2]);
      t.copy_(x);
      return t;
    });
    const x = tensor([1, 2]);
    const t = f(x);
    expect(t.shape).toEqual([2]);
    t.fill_(0);
    expect(x.tolistSync()).toEqual([1, 2]);
  });
});

describe("jit: in-place writes to .grad ≡ eager", () => {
  it("a gradient written through views after backward, and one set before the call", () => {
    expectSameAsEager(
      ([w, v]) =>
        (x) => {
          w.grad = null;
          x.mul(w).sum().backward();
          w.grad!.slice(0).zero_();
          w.grad!.mul_(2);
          v.grad!.slice([1, 3]).add_(x.slice([0, 2]));
          return [w.grad!.sum(), v.grad!.mul(1), w.grad!, v.grad!];
        },
      () => [tensor([1, 2, 3])],
      () => {
        const w = tensor([1, 2, 3], { requiresGrad: true }),
          v = tensor([4, 5, 6], { requiresGrad: true });
        v.grad = tensor([5, 5, 5]);
        return [w, v];
      },
    );
  });

  it("a result that is a .grad is that tensor, as eagerly", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.grad = tensor([3, 4]);
    expect(jit(() => w.grad!)()).toBe(w.grad);
  });
});

describe("jit: results share memory as eagerly", () => {
  it("a result computed from an argument (x·1, which simplification turns into x) is not the argument's memory", () => {
    const x = tensor([1, 2, 3]);
    const y = jit((a: Tensor) => a.mul(1))(x);
    y.fill_(0);
    expect(x.tolistSync()).toEqual([1, 2, 3]);
  });

  it("a tensor filled with a computed scalar is a plain tensor (it can be written in place), an expanded result stays a broadcast", () => {
    const f = jit((x: Tensor) => {
      const t = x.mul(1);
      t.copy_(x.sum());
      return [t, x.sum().expand(3)];
    });
    const [t, e] = f(tensor([1, 2, 3]));
    t.slice(0).fill_(0);
    expect(t.tolistSync()).toEqual([0, 6, 6]);
    expect(() => e.fill_(0)).toThrow(/share one memory location/);
  });

  it("two results of different memories are two tensors", () => {
    const [a, b] = jit((x: Tensor) => [x.add(0), x.mul(1)])(tensor([1, 2]));
    a.fill_(5);
    expect(b.tolistSync()).toEqual([1, 2]);
  });

  it("a view of an argument the call wrote is a view of the caller's tensor, as eagerly", () => {
    const f = (x: Tensor) => {
      x.slice(0).mul_(10);
      return [x, x.T.slice(1)];
    };
    for (const run of [f, jit(f)]) {
      const x = tensor([
        [1, 2],
        [3, 4],
      ]);
      const [same, col] = run(x);
      expect(same).toBe(x);
      col.fill_(0);
      expect(x.tolistSync()).toEqual([
        [10, 0],
        [3, 0],
      ]);
    }
  });

  it("a view of a captured tensor the call wrote is a view of it", () => {
    const c = tensor([1, 2, 3, 4]);
    const f = jit((x: Tensor) => {
      c.add_(x);
      return c.slice([1, 3]);
    });
    const v = f(tensor(1));
    expect(v.tolistSync()).toEqual([3, 4]);
    v.fill_(0);
    expect(c.tolistSync()).toEqual([2, 0, 0, 5]);
  });

  it("a tensor created and written inside the function is fresh on every call (the trace-time constant is never handed out)", () => {
    const f = jit((x: Tensor) => {
      const m = zeros([3]);
      m.slice([0, 2]).add_(x);
      return m;
    });
    const first = f(tensor(1));
    first.fill_(100);
    expect(f(tensor(2)).tolistSync()).toEqual([2, 2, 0]);
    expect(f(tensor(3)).tolistSync()).toEqual([3, 3, 0]);
  });
});

describe("jit: writes through views inside control flow ≡ eager", () => {
  it("cond branches and a fori body that write through views of their own values", () => {
    expectSameAsEager(
      () => (x) => {
        const y = cond(
          x.sum().gt(0),
          (a: Tensor) => {
            const t = a.mul(1);
            t.slice(0).fill_(0);
            return t;
          },
          (a: Tensor) => {
            const t = a.mul(2);
            t.T.slice(1).mul_(-1);
            return t;
          },
          x,
        );
        const z = fori(
          0,
          3,
          (i, c: Tensor) => {
            const t = c.add(0);
            t.slice(null, [1, 3]).add_(1);
            return t;
          },
          y,
        );
        return [y, z];
      },
      () => [base()],
    );
  });
});

describe("jit: gradients through programs with writes through views ≡ eager", () => {
  const x0 = () =>
    tensor([
      [0.5, -1, 2, 1.5],
      [3, 0.25, -2, 1],
      [1, 1, -0.5, 2],
    ]);

  // Not through detach(): a write through a detached alias is, by definition, not differentiated.
  for (const [vname, view] of VIEWS.filter(([name]) => name !== "detach")) {
    it(`grad(jit(f)) through writes via ${vname}: refused as eagerly with gradients on; under noGrad the same gradient as eager`, () => {
      const f = (x: Tensor) => {
        const t = x.mul(x);
        const v = view(t);
        v.mul_(view(x.exp()));
        view(t).T.add_(view(x).T.sin());
        return t.square().sum();
      };
      const x = f64([
        [0.5, -1, 2, 1.5],
        [0.3, 0.25, -2, 1],
        [1, 1.1, -0.5, 0.2],
      ]);
      // Eager refuses an in-place op on a tensor that requires grad outside noGrad; jit traces the same refusal.
      const eager = (() => {
        try {
          grad(f)(x);
        } catch (e) {
          return (e as Error).message;
        }
        return "no error";
      })();
      expect(eager).toMatch(/in-place ops are not recorded on the tape/);
      expect(() => grad(jit(f))(x)).toThrow(eager);
      // The writes under noGrad: eager keeps t's tape, the values change.
      const g = (x: Tensor) => {
        const t = x.mul(x);
        const v = view(t);
        noGrad(() => v.mul_(view(x.exp())));
        noGrad(() => view(t).T.add_(view(x).T.sin()));
        return t.square().sum();
      };
      expectAllClose(grad(jit(g))(x), grad(g)(x), 1e-12);
    });
  }

  it("grad(f), grad(jit(f)) and jit(grad(f)): a mask built in place through views", () => {
    const f = (x: Tensor) => {
      const m = zeros([3, 4]);
      m.slice(null, [null, null, 2]).fill_(1);
      m.T.slice(3).fill_(-2);
      return x.mul(m).square().sum();
    };
    const eager = grad(f)(x0()).tolistSync();
    expect(grad(jit(f))(x0()).tolistSync()).toEqual(eager);
    expect(jit(grad(f))(x0()).tolistSync()).toEqual(eager);
  });

  it("a detached copy written through views feeds the loss", () => {
    const f = (x: Tensor) => {
      const t = x.detach().mul(1);
      t.slice(1).mul_(-2);
      t.narrow(1, 0, 2).add_(1);
      return x.mul(t).sum();
    };
    const eager = grad(f)(x0()).tolistSync();
    expect(grad(jit(f))(x0()).tolistSync()).toEqual(eager);
    expect(jit(grad(f))(x0()).tolistSync()).toEqual(eager);
  });

  it(".backward() through a compiled function that writes a captured buffer through a view", () => {
    const make = () => zeros([4]);
    const fOf = (buf: Tensor) => (x: Tensor) => {
      buf.slice([1, 3]).copy_(x.detach().slice(0, [0, 2]));
      return x.mul(x).sum().add(buf.sum());
    };
    const eagerBuf = make(),
      jitBuf = make();
    const xe = x0().requiresGrad_(),
      xj = x0().requiresGrad_();
    const le = fOf(eagerBuf)(xe);
    le.backward();
    const lj = jit(fOf(jitBuf))(xj);
    lj.backward();
    expect(lj.tolistSync()).toEqual(le.tolistSync());
    expect(xj.grad!.tolistSync()).toEqual(xe.grad!.tolistSync());
    expect(jitBuf.tolistSync()).toEqual(eagerBuf.tolistSync());
  });

  it("grad(jit(f)) of a function that also updates a counter in place: the gradient flows and the counter moves", () => {
    const counters = [zeros([2]), zeros([2])];
    const fOf = (c: Tensor) => (x: Tensor) => {
      c.slice(0).add_(1);
      return x.square().sum();
    };
    const eager = grad(fOf(counters[0]))(x0()).tolistSync();
    const g = grad(jit(fOf(counters[1])));
    expect(g(x0()).tolistSync()).toEqual(eager);
    expect(counters[1].tolistSync()).toEqual(counters[0].tolistSync());
  });

  it("jit: a write through a view into an intermediate that requires grad is refused as eagerly", () => {
    const f = (x: Tensor) => {
      const t = x.mul(1);
      t.slice(1).mul_(-2);
      t.T.slice(0).copy_(t.T.slice(1));
      return t.square().sum();
    };
    // The same program written out of place.
    const outOfPlace = (x: Tensor) => {
      const t = concat([x.slice([0, 1]), x.slice([1, 2]).mul(-2), x.slice([2, 3])]);
      const t2 = concat([t.slice(null, [1, 2]), t.slice(null, [1, null])], 1);
      return t2.square().sum();
    };
    expect(() => grad(f)(x0())).toThrow(/in-place ops are not recorded on the tape/);
    expect(() => grad(jit(f))(x0())).toThrow(/in-place ops are not recorded on the tape/);
    // Without a gradient the written values agree with the program written out of place.
    expect(jit(f)(x0()).tolistSync()).toEqual(outOfPlace(x0()).tolistSync());
  });

  it("an argument that requires grad written in place with gradients on is refused, as eagerly; inside noGrad it is written", () => {
    const f = (x: Tensor) => {
      x.slice(0).zero_();
      return x.sum();
    };
    expect(() => f(x0().requiresGrad_())).toThrow(/in place|in-place/);
    expect(() => jit(f)(x0().requiresGrad_())).toThrow(/in place|in-place/);
    const g = (x: Tensor) => {
      noGrad(() => x.slice(0).zero_());
      return x.mul(2);
    };
    const xe = x0().requiresGrad_(),
      xj = x0().requiresGrad_();
    const ye = g(xe),
      yj = jit(g)(xj);
    expect(xj.tolistSync()).toEqual(xe.tolistSync());
    expect(yj.tolistSync()).toEqual(ye.tolistSync());
    // The write is not on eager's tape: the gradient reaches every element of x.
    ye.sum().backward();
    yj.sum().backward();
    expect(xj.grad!.tolistSync()).toEqual(xe.grad!.tolistSync());
  });

  it("a write through a detached alias leaves the base's gradient path as eagerly", () => {
    const f = (x: Tensor) => {
      const t = x.mul(x);
      t.detach().slice(0).fill_(0);
      t.T.detach().slice(1).mul_(3);
      return t.mul(x).sum();
    };
    const eager = grad(f)(x0()).tolistSync();
    expect(grad(jit(f))(x0()).tolistSync()).toEqual(eager);
    const xe = x0().requiresGrad_(),
      xj = x0().requiresGrad_();
    f(xe).backward();
    jit(f)(xj).backward();
    expect(xj.grad!.tolistSync()).toEqual(xe.grad!.tolistSync());
  });

  it("what is written under noGrad gets no gradient, as eagerly", () => {
    const f = (x: Tensor, y: Tensor) => {
      const t = y.mul(1);
      noGrad(() => t.slice(0).copy_(x.slice(1)));
      noGrad(() => t.T.slice(2).add_(x.T.slice(0)));
      return t.mul(x).sum();
    };
    const y0 = () =>
      tensor([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ]);
    const eager = grad((x: Tensor) => f(x, y0()))(x0()).tolistSync();
    expect(grad((x: Tensor) => jit(f)(x, y0()))(x0()).tolistSync()).toEqual(eager);
    const xe = x0().requiresGrad_(),
      xj = x0().requiresGrad_();
    f(xe, y0()).backward();
    jit(f)(xj, y0()).backward();
    expect(xj.grad!.tolistSync()).toEqual(xe.grad!.tolistSync());
  });
});
