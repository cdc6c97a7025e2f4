/** The function transforms against closed forms and each other: jacfwd ≡ jacrev, hessian, pytrees, argnums, hasAux. */
import { describe, expect, it } from "vitest";
import { tensor, stack, grad, valueAndGrad, vjp, jvp, jacrev, jacfwd, hessian, checkpoint, type Tensor } from "webgrad";

const f64 = (data: number[] | number[][]) => tensor(data, { dtype: "float64" });
const list = (t: Tensor) => Array.from(t.dataSync());
function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, digits = 10): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], digits);
}

// f: R³ → R², with a closed-form Jacobian
const f = (x: Tensor) => {
  const [a, b, c] = [x.slice(0), x.slice(1), x.slice(2)];
  return stack([a.sin().mul(b), c.exp().mul(a)]);
};
const x0 = [0.3, -1.2, 0.5];
const J0 = [
  [Math.cos(0.3) * -1.2, Math.sin(0.3), 0],
  [Math.exp(0.5), 0, 0.3 * Math.exp(0.5)],
];

describe("Jacobians", () => {
  it("jacfwd ≡ jacrev ≡ the closed form", () => {
    const x = f64(x0);
    const Jr = jacrev(f)(x),
      Jf = jacfwd(f)(x);
    expect(Jr.shape).toEqual([2, 3]);
    expect(Jf.shape).toEqual([2, 3]);
    expectAllClose(list(Jr), J0.flat(), 12);
    expectAllClose(list(Jf), J0.flat(), 12);
  });
  it("keep input and output shapes: [...out.shape, ...x.shape]", () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ]);
    const g = (m: Tensor) => m.matmul(m); // R^{2×2} → R^{2×2}
    const Jr = jacrev(g)(x),
      Jf = jacfwd(g)(x);
    expect(Jr.shape).toEqual([2, 2, 2, 2]);
    expectAllClose(list(Jr), list(Jf), 12);
    // d(M²)_{ij}/dM_{kl} = δ_ik M_lj + M_ik δ_jl
    const M = [
      [1, 2],
      [3, 4],
    ];
    const d = (i: number, j: number, k: number, l: number) => (i === k ? M[l][j] : 0) + (j === l ? M[i][k] : 0);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) expected.push(d(i, j, k, l));
    expectAllClose(list(Jr), expected, 12);
  });
  it("argnums picks the argument", () => {
    const g = (a: Tensor, b: Tensor) => a.mul(b.square());
    const a = f64([1, 2]),
      b = f64([3, 4]);
    expectAllClose(list(jacrev(g, { argnums: 1 })(a, b)), [6, 0, 0, 16]);
    expectAllClose(list(jacfwd(g, { argnums: 1 })(a, b)), [6, 0, 0, 16]);
  });
});

describe("Hessians", () => {
  it("of xᵀAx + Σ sin x is A + Aᵀ − diag(sin x), symmetric; jacrev∘jacrev and jvp∘grad agree", () => {
    const A = f64([
      [1, 2, 0],
      [0.5, -1, 3],
      [2, 0, 1],
    ]);
    const s = (x: Tensor) => x.matmul(A).matmul(x).add(x.sin().sum());
    const xv = [0.4, -0.7, 1.1];
    const x = f64(xv);
    const Av = [
      [1, 2, 0],
      [0.5, -1, 3],
      [2, 0, 1],
    ];
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expected.push(Av[i][j] + Av[j][i] - (i === j ? Math.sin(xv[i]) : 0));
    const H = hessian(s)(x);
    expect(H.shape).toEqual([3, 3]);
    expectAllClose(list(H), expected, 12);
    expectAllClose(list(jacrev(jacrev(s))(x)), expected, 12);
    expectAllClose(list(jacfwd(jacfwd(s))(x)), expected, 12);
    const v = f64([1, -2, 0.5]);
    const [, hv] = jvp(grad(s), [x], [v]);
    const vv = [1, -2, 0.5];
    expectAllClose(
      list(hv as Tensor),
      [0, 1, 2].map((i) => [0, 1, 2].reduce((acc, j) => acc + expected[i * 3 + j] * vv[j], 0)),
      12,
    );
  });
  it("of a softmax cross-entropy-like composite is symmetric", () => {
    const s = (x: Tensor) => x.logsumexp().sub(x.slice(1)).add(x.tanh().square().sum());
    const H = hessian(s)(f64([0.2, -0.4, 0.9, 0.1])).tolistSync() as number[][];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(H[i][j]).toBeCloseTo(H[j][i], 12);
  });
});

describe("grad options", () => {
  it("pytree arguments: objects and arrays of tensors", () => {
    const params = { w: f64([1, 2]), b: f64([0.5]), extra: [f64([3])] };
    const loss = (p: typeof params) => p.w.mul(p.extra[0]).sum().add(p.b.square().sum());
    const g = grad(loss)(params);
    expectAllClose(list(g.w), [3, 3]);
    expectAllClose(list(g.b), [1]);
    expectAllClose(list(g.extra[0]), [3]);
  });
  it("argnums: a number gives one gradient, a list gives a list", () => {
    const h = (x: Tensor, y: Tensor, z: Tensor) => x.mul(y).mul(z).sum();
    const [x, y, z] = [f64([2]), f64([3]), f64([5])];
    expectAllClose(list(grad(h, { argnums: 1 })(x, y, z)), [10]);
    const [gx, gz] = grad(h, { argnums: [0, 2] })(x, y, z);
    expectAllClose(list(gx), [15]);
    expectAllClose(list(gz), [6]);
  });
  it("hasAux passes the auxiliary value through", () => {
    const h = (x: Tensor) => [x.square().sum(), { doubled: x.mul(2) }] as const;
    const x = f64([1, 2]);
    const [g, aux] = grad(h, { hasAux: true })(x);
    expectAllClose(list(g), [2, 4]);
    expectAllClose(list(aux.doubled), [2, 4]);
    const [[value, aux2], g2] = valueAndGrad(h, { hasAux: true })(x);
    expect(value.itemSync()).toBe(5);
    expectAllClose(list(aux2.doubled), [2, 4]);
    expectAllClose(list(g2), [2, 4]);
  });
  it("a function that ignores its input has zero gradient", () => {
    expectAllClose(list(grad((x: Tensor) => f64([1, 2]).sum().add(x.mul(0).sum()))(f64([7, 8]))), [0, 0]);
    expectAllClose(list(grad((_x: Tensor) => f64([1, 2]).sum())(f64([7, 8]))), [0, 0]);
  });
  it("mixed partials through nested grads of different arguments", () => {
    // ∂/∂y ∂/∂x (x·y²) = 2y
    const dxy = grad((x: Tensor, y: Tensor) => grad((xx: Tensor) => xx.mul(y.square()).sum())(x).sum(), { argnums: 1 });
    expectAllClose(list(dxy(f64([3]), f64([5]))), [10]);
  });
});

describe("vjp and jvp with pytrees", () => {
  it("vjp of a function with several outputs takes one cotangent per output", () => {
    const x = f64([1, 2]);
    const [out, pull] = vjp((v: Tensor) => ({ a: v.square(), b: v.sum() }), x);
    expectAllClose(list(out.a), [1, 4]);
    const [gx] = pull({ a: f64([1, 1]), b: tensor(2, { dtype: "float64" }) });
    expectAllClose(list(gx), [2 + 2, 4 + 2]);
    // the pullback can be called again
    expectAllClose(list(pull({ a: f64([0, 1]), b: tensor(0, { dtype: "float64" }) })[0]), [0, 4]);
  });
  it("jvp with several primals and a pytree output", () => {
    const [y, t] = jvp((a: Tensor, b: Tensor) => [a.mul(b), a.exp()], [f64([1, 2]), f64([3, 4])], [f64([1, 0]), f64([0, 1])]);
    expectAllClose(list(y[0]), [3, 8]);
    expectAllClose(list(t[0]), [3, 2]);
    expectAllClose(list(t[1]), [Math.E, 0]);
  });
  it("checkpoint gives the same gradients as the plain function", () => {
    const w = tensor([0.5, -1], { dtype: "float64", requiresGrad: true });
    const block = (h: Tensor) => h.mul(w).tanh().mul(w);
    const x = f64([0.3, 0.8]);
    block(x).sum().backward();
    const plain = list(w.grad!);
    w.grad = null;
    checkpoint(block)(x).sum().backward();
    expectAllClose(list(w.grad!), plain, 14);
  });
});
