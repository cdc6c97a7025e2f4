import { jit, linspace, optim, tensor, zeros, plot, type Tensor } from "webgrad";

// Data: y = 2x + 0.5 plus a little deterministic wiggle, 32 points in [-1, 1].
const x = linspace(-1, 1, 32);
const y = x.mul(2).add(0.5).add(x.mul(9).sin().mul(0.05));
const lr = 0.2;
const steps = 40;

// 1. By hand. loss = mean((w·x + b − y)²), so with err = w·x + b − y:
//    ∂loss/∂w = mean(2·err·x)   ∂loss/∂b = mean(2·err)
// jit compiles the step into one graph in Graph mode; in Eager mode it runs line by line.
const handStep = jit(
  (x: Tensor, y: Tensor, w: Tensor, b: Tensor) => {
    const err = x.mul(w).add(b).sub(y);
    const loss = err.square().mean();
    const dw = err.mul(x).mul(2).mean(); // the derivative we derived ourselves
    const db = err.mul(2).mean();
    return [loss, w.sub(dw.mul(lr)), b.sub(db.mul(lr))] as const;
  },
  { name: "hand" },
);

let wHand = tensor(0),
  bHand = tensor(0);
for (let i = 0; i < steps; i++) {
  const [loss, w2, b2] = handStep(x, y, wHand, bHand);
  [wHand, bHand] = [w2, b2];
  plot("loss", i, await loss.item(), { series: "hand-written gradient" });
}

// 2. With autograd. We only write the forward pass; `backward()` walks the recorded ops in reverse
// and fills w.grad and b.grad. The optimizer applies the same update rule, w ← w − lr·grad.
const w = zeros([], { requiresGrad: true });
const b = zeros([], { requiresGrad: true });
const opt = optim.sgd([w, b], { lr });
const autoStep = jit(
  (x: Tensor, y: Tensor) => {
    const loss = x.mul(w).add(b).sub(y).square().mean();
    opt.zeroGrad();
    loss.backward(); // the framework's job: d loss / d every parameter
    opt.step();
    return loss;
  },
  { name: "autograd" },
);

for (let i = 0; i < steps; i++) {
  plot("loss", i, await autoStep(x, y).item(), { series: "autograd" });
}

console.log(`by hand:  w = ${(await wHand.item()).toFixed(5)}, b = ${(await bHand.item()).toFixed(5)}`);
console.log(`autograd: w = ${(await w.item()).toFixed(5)}, b = ${(await b.item()).toFixed(5)}`);
console.log("Same numbers, and the autograd version never mentions a derivative.");
