/**
 * Edge cases: broadcasting, views and memory sharing, empty tensors through every op family,
 * reductions over empty dimensions, matmul's vector and batch rules, dtype promotion.
 */
import { describe, expect, it } from "vitest";
import * as W from "webgrad";
import { tensor, zeros, ones, arange, noGrad, grad, jvp, type Tensor } from "webgrad";

const f64 = (data: W.NestedArray, requiresGrad = false) => tensor(data, { dtype: "float64", requiresGrad });
const sharesMemory = (a: Tensor, b: Tensor) => a._view!.storage === b._view!.storage;

describe("broadcasting", () => {
  it("follows NumPy's rules", () => {
    expect(zeros([2, 1, 3]).add(zeros([4, 1])).shape).toEqual([2, 4, 3]);
    expect(zeros([3]).add(tensor(1)).shape).toEqual([3]);
    expect(tensor(1).add(tensor(2)).shape).toEqual([]);
    expect(zeros([0, 3]).add(zeros([1, 3])).shape).toEqual([0, 3]);
    expect(zeros([5, 0]).mul(zeros([1])).shape).toEqual([5, 0]);
    expect(W.where(zeros([2, 1]).gt(0), zeros([3]), tensor(1)).shape).toEqual([2, 3]);
    const a = arange(3).reshape(3, 1),
      b = arange(2).mul(10);
    expect(a.add(b).tolistSync()).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
  });
  it("sums gradients back to each input's shape", () => {
    const a = f64([[1], [2], [3]], true),
      b = f64([10, 20], true),
      c = f64(2, true);
    a.add(b).mul(c).sum().backward();
    expect(a.grad!.tolistSync()).toEqual([[4], [4], [4]]);
    expect(b.grad!.tolistSync()).toEqual([6, 6]);
    expect(c.grad!.itemSync()).toBe(2 * (1 + 2 + 3) + 3 * (10 + 20)); // Σ (a + b) over the broadcast [3, 2]
  });
});

describe("views and memory", () => {
  it("permute, expand, slice (also with a negative step), flip and contiguous reshape share memory", () => {
    const x = arange(12, undefined, 1, { dtype: "float32" }).reshape(3, 4);
    for (const v of [x.T, x.permute(1, 0), x.slice([0, 2]), x.slice(null, [null, null, -1]), x.flip(0), x.reshape(4, 3), x.narrow(1, 1, 2), x.unsqueeze(0)]) {
      expect(sharesMemory(v, x)).toBe(true);
      expect(v._version).toBe(x._version);
    }
    expect(sharesMemory(ones([3, 1]).expand(3, 4), ones([3, 1]))).toBe(false); // different bases
    const base = ones([3, 1]);
    expect(sharesMemory(base.expand(3, 4), base)).toBe(true);
    expect(base.expand(3, 4)._view!.strides).toEqual([1, 0]);
    expect(x.slice(null, [null, null, -1])._view!.strides).toEqual([4, -1]);
  });
  it("reshape of a non-contiguous view copies (and so does not alias)", () => {
    const x = arange(6, undefined, 1, { dtype: "float32" }).reshape(2, 3);
    const r = x.T.reshape(6);
    expect(r.tolistSync()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(sharesMemory(r, x)).toBe(false);
    r.fill_(-1);
    expect(x.tolistSync()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    // a view that can still be expressed with strides does not copy
    expect(sharesMemory(x.T.reshape(3, 2, 1), x)).toBe(true);
    expect(sharesMemory(x.slice(null, [0, 3, 2]).reshape(4), x)).toBe(false);
  });
  it("in-place writes through a view change the base and bump the shared version", () => {
    const x = zeros([3, 4]);
    const v0 = x._version.v;
    x.slice(null, [null, null, -2]).fill_(7); // columns 3 and 1
    expect(x.tolistSync()).toEqual([
      [0, 7, 0, 7],
      [0, 7, 0, 7],
      [0, 7, 0, 7],
    ]);
    x.T.slice(0).add_(1); // column 0
    expect((x.tolistSync() as number[][])[2]).toEqual([1, 7, 0, 7]);
    x.flip(0).slice(0).mul_(2); // last row
    expect((x.tolistSync() as number[][])[2]).toEqual([2, 14, 0, 14]);
    expect(x._version.v).toBe(v0 + 3);
  });
  it("gradients flow through views", () => {
    const x = f64(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      true,
    );
    x.T.slice([null, null, -2], 1)
      .mul(f64([10, 100]))
      .sum()
      .backward();
    // x.T rows 2 and 0 (step −2), column 1: x[1][2] and x[1][0]
    expect(x.grad!.tolistSync()).toEqual([
      [0, 0, 0],
      [100, 0, 10],
    ]);
  });
});

describe("empty tensors through every op family", () => {
  const e = zeros([0, 3]);
  it("elementwise, cast and where", () => {
    for (const y of [e.exp(), e.neg(), e.gelu(), e.add(1), e.mul(zeros([1, 3])), e.gt(0), e.cast("int32"), W.where(e.gt(0), e, 1), e.relu().logicalNot()])
      expect(y.shape).toEqual([0, 3]);
  });
  it("reductions: sum → 0, prod → 1, mean → NaN, max/argmax need a non-empty dimension", () => {
    expect(e.sum().itemSync()).toBe(0);
    expect(e.sum(0).tolistSync()).toEqual([0, 0, 0]);
    expect(e.sum(1).shape).toEqual([0]);
    expect(e.prod(0).tolistSync()).toEqual([1, 1, 1]);
    expect(Number.isNaN(e.mean().itemSync())).toBe(true);
    expect(Array.from(e.mean(0).dataSync()).every(Number.isNaN)).toBe(true);
    expect(e.max(1).shape).toEqual([0]); // the reduced dimension (3) is not empty
    expect(e.argmax(1).shape).toEqual([0]);
    expect(e.logsumexp(1).shape).toEqual([0]);
    expect(e.cumsum(0).shape).toEqual([0, 3]);
    expect(() => e.max(0)).toThrow(/empty dimension/);
  });
  it("matmul, movement, indexing, nn", () => {
    expect(
      zeros([2, 0])
        .matmul(zeros([0, 3]))
        .tolistSync(),
    ).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(e.matmul(zeros([3, 4])).shape).toEqual([0, 4]);
    expect(e.T.reshape(3, 0, 5).shape).toEqual([3, 0, 5]);
    expect(e.slice([1, 0]).shape).toEqual([0, 3]);
    expect(
      W.pad(e, [
        [1, 1],
        [0, 0],
      ]).tolistSync(),
    ).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(W.concat([e, ones([1, 3])]).shape).toEqual([1, 3]);
    expect(W.split(ones([2, 3]), [0, 2]).map((t) => t.shape)).toEqual([
      [0, 3],
      [2, 3],
    ]);
    expect(ones([2, 3]).indexSelect(0, tensor([], { dtype: "int32" })).shape).toEqual([0, 3]);
    expect(e.softmax(1).shape).toEqual([0, 3]);
    expect(W.oneHot(zeros([0], { dtype: "int32" }), 4).shape).toEqual([0, 4]);
    expect(W.conv2d(zeros([0, 2, 4, 4]), zeros([3, 2, 3, 3])).shape).toEqual([0, 3, 2, 2]);
    expect(W.maxPool2d(zeros([0, 2, 4, 4]), 2).shape).toEqual([0, 2, 2, 2]);
    expect(W.triu(zeros([0, 3])).shape).toEqual([0, 3]);
  });
  it("gradients of empty tensors are empty, and sums of nothing have zero gradient", () => {
    const x = tensor(new Float64Array(0), { shape: [0, 3], dtype: "float64", requiresGrad: true });
    const w = f64([1, 2, 3], true);
    x.mul(w).exp().sum().add(w.sum()).backward();
    expect(x.grad!.shape).toEqual([0, 3]);
    expect(w.grad!.tolistSync()).toEqual([1, 1, 1]);
  });
});

describe("0-d tensors", () => {
  it("reduce, cumsum and softmax over axis 0 / −1 of a scalar", () => {
    const s = tensor(3);
    expect(W.sum(s, 0).itemSync()).toBe(3);
    expect(W.max(s, -1).itemSync()).toBe(3);
    expect(W.mean(s, 0).itemSync()).toBe(3);
    expect(W.cumsum(s, 0).itemSync()).toBe(3);
    expect(W.softmax(s).itemSync()).toBe(1);
    expect(W.logSoftmax(s).itemSync()).toBe(0);
    expect(W.logsumexp(s, 0).itemSync()).toBeCloseTo(3, 6);
    expect(s.argmax().itemSync()).toBe(0);
    expect(W.flip(s).itemSync()).toBe(3);
    expect(W.stack([s, s]).tolistSync()).toEqual([3, 3]);
  });
});

describe("matmul", () => {
  it("promotes vectors like NumPy and removes the added dimension", () => {
    const v = tensor([1, 2, 3]),
      m = tensor([
        [1, 0],
        [0, 1],
        [1, 1],
      ]);
    expect(v.matmul(v).shape).toEqual([]);
    expect(v.matmul(v).itemSync()).toBe(14);
    expect(v.matmul(m).tolistSync()).toEqual([4, 5]);
    expect(m.T.matmul(v).tolistSync()).toEqual([4, 5]);
    expect(zeros([2, 4, 3]).matmul(v).shape).toEqual([2, 4]);
    expect(v.matmul(zeros([5, 3, 2])).shape).toEqual([5, 2]);
  });
  it("broadcasts batch dimensions", () => {
    expect(zeros([2, 1, 3, 4]).matmul(zeros([5, 4, 2])).shape).toEqual([2, 5, 3, 2]);
    const a = f64([[[1, 2]], [[3, 4]]], true); // [2, 1, 2]
    const b = f64([[1], [1]], true); // [2, 1]
    a.matmul(b).sum().backward();
    expect(a.grad!.tolistSync()).toEqual([[[1, 1]], [[1, 1]]]);
    expect(b.grad!.tolistSync()).toEqual([[4], [6]]);
  });
  it("works on non-contiguous and expanded operands", () => {
    const a = arange(6, undefined, 1, { dtype: "float32" }).reshape(2, 3);
    expect(a.T.matmul(a).tolistSync()).toEqual([
      [9, 12, 15],
      [12, 17, 22],
      [15, 22, 29],
    ]);
    expect(ones([1, 3]).expand(4, 3).matmul(a.T).tolistSync()).toEqual(Array(4).fill([3, 12]));
    expect(
      a
        .flip(1)
        .matmul(ones([3, 1]))
        .tolistSync(),
    ).toEqual([[3], [12]]);
  });
});

describe("dtypes", () => {
  it("promote as documented: bool < int32 < float32 < float64; JS numbers are weak", () => {
    const i = tensor([1, 2], { dtype: "int32" }),
      f = tensor([1, 2]),
      d = f64([1, 2]),
      b = tensor([true, false]);
    expect(i.add(f).dtype).toBe("float32");
    expect(f.add(d).dtype).toBe("float64");
    expect(b.add(b).dtype).toBe("int32");
    expect(i.add(2).dtype).toBe("int32");
    expect(i.add(2.5).dtype).toBe("float32");
    expect(f.add(2).dtype).toBe("float32");
    expect(d.mul(0.5).dtype).toBe("float64");
    expect(i.div(i).dtype).toBe("float32");
    expect(i.sqrt().dtype).toBe("float32");
    expect(i.neg().dtype).toBe("int32");
    expect(i.lt(f).dtype).toBe("bool");
    expect(b.sum().dtype).toBe("int32");
    expect(i.mean().dtype).toBe("float32");
    expect(W.concat([i, d]).dtype).toBe("float64");
    expect(W.oneHot(i, 3).dtype).toBe("float32");
    expect(W.triu(b.reshape(1, 2)).dtype).toBe("bool");
    expect(W.conv2d(ones([1, 1, 2, 2], { dtype: "int32" }), ones([1, 1, 1, 1])).dtype).toBe("float32");
  });
  it("int32 arithmetic wraps like C, and float → int casts truncate toward zero and saturate (NaN is 0)", () => {
    expect(tensor([2147483647], { dtype: "int32" }).add(1).tolistSync()).toEqual([-2147483648]);
    // Products past 2⁵³ wrap exactly (C's and WebGPU's answer), not after float64 rounding.
    const big = tensor([123456789], { dtype: "int32" });
    expect(big.mul(987654321).tolistSync()).toEqual([-67153019]);
    expect(big.square().tolistSync()).toEqual([Math.imul(123456789, 123456789)]);
    expect(tensor([100003, 100019, 100043, 100057], { dtype: "int32" }).prod().tolistSync()).toBe(-138926725);
    expect(
      tensor([[123456789, 7]], { dtype: "int32" })
        .matmul(tensor([[987654321], [3]], { dtype: "int32" }))
        .tolistSync(),
    ).toEqual([[-67153019 + 21]]);
    expect(tensor([-2.7, 2.7]).int().tolistSync()).toEqual([-2, 2]);
    // As Rust's `as` (and the WebGPU kernel): not JavaScript's wrap of 3e9 to −1294967296.
    const edges = [3e9, -3e9, 3e38, Infinity, -Infinity, NaN, 2147483647.9, -2147483648.5];
    expect(tensor(edges, { dtype: "float64" }).int().tolistSync()).toEqual([
      2147483647, -2147483648, 2147483647, 2147483647, -2147483648, 0, 2147483647, -2147483648,
    ]);
    expect(tensor(edges).int().tolistSync()).toEqual([2147483647, -2147483648, 2147483647, 2147483647, -2147483648, 0, 2147483647, -2147483648]);
  });
});

describe("higher-order derivatives of the activations TensorFlow.js gets wrong", () => {
  it("third derivatives of tanh, sigmoid and exp match closed forms", () => {
    const x = f64([-1.3, 0.2, 0.9]);
    const d3 = (f: (t: Tensor) => Tensor): Float64Array =>
      grad((a: Tensor) => grad((b: Tensor) => grad((c: Tensor) => f(c).sum())(b).sum())(a).sum())(x).dataSync() as Float64Array;
    const xs = [-1.3, 0.2, 0.9];
    const tanh3 = xs.map((v) => {
      const t = Math.tanh(v);
      return -2 * (1 - t * t) * (1 - 3 * t * t);
    });
    const sig3 = xs.map((v) => {
      const s = 1 / (1 + Math.exp(-v));
      return s * (1 - s) * (1 - 6 * s + 6 * s * s);
    });
    d3((t) => t.tanh()).forEach((v, i) => expect(v).toBeCloseTo(tanh3[i], 12));
    d3((t) => t.sigmoid()).forEach((v, i) => expect(v).toBeCloseTo(sig3[i], 12));
    d3((t) => t.exp()).forEach((v, i) => expect(v).toBeCloseTo(Math.exp(xs[i]), 12));
    // forward over reverse over reverse agrees
    const [, t] = jvp((a: Tensor) => grad((b: Tensor) => grad((c: Tensor) => c.tanh().sum())(b).sum())(a), [x], [f64([1, 1, 1])]);
    (t as Tensor).dataSync().forEach((v, i) => expect(v).toBeCloseTo(tanh3[i], 12));
  });
  it("gradients of parameters inside noGrad are not recorded", () => {
    const w = f64([1, 2], true);
    const y = noGrad(() => w.mul(3));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBe(null);
  });
});
