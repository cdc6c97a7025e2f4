import { jit, grad, valueAndGrad, randn, manualSeed, setMode, type Tensor } from "webgrad";

setMode("graph");
manualSeed(0);

const x = randn([16, 3]);
const y = randn([16, 1]);

// The forward computation: a linear model and a mean-squared error.
const loss = (w: Tensor) => x.matmul(w).sub(y).square().mean();

// valueAndGrad under jit: the traced graph holds the forward ops *and* the backward ops that
// reverse-mode autodiff generated for them (transpose of matmul, 2·(…) for square, …).
const lossAndGrad = jit(valueAndGrad(loss), { name: "lossAndGrad" });

let w = randn([3, 1]);
for (let step = 0; step < 20; step++) {
  const [l, g] = lossAndGrad(w);
  w = w.sub(g.mul(0.1));
  if (step % 5 === 0) console.log(`step ${step}: loss ${(await l.item()).toFixed(4)}`);
}

// Only the gradient: the graph keeps what the gradient needs and dead-code elimination drops
// the rest (look at the "dce" stage of this second function).
const onlyGrad = jit(grad(loss), { name: "onlyGrad" });
console.log("grad", await onlyGrad(w).tolist());
