import { allOps, backendInfo, dist, getMode, grad, jit, linspace, optim, setMode, tensor, zeros, plot, type Tensor } from "webgrad";

// Frontend: tensors, modules and optimizers are what you write against (the Console shows what you print).
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

// 3. The layers this run went through: the drawing above the lesson opens each one's panel.
// Operators: every tensor method is a primitive of the op table, with a shape rule and derivative rules.
const mulOp = allOps().find((op) => op.name === "mul")!;
console.log(`ops: ${allOps().length} primitives; "mul" is ${mulOp.category}, with a vjp rule: ${mulOp.vjp !== undefined}`);
// Autodiff: one more backward outside jit, so the Tape panel lists the recorded ops.
x.mul(w).add(b).sub(y).square().mean().backward();
// Graph: in graph mode jit traces the hand-written step into an IR and runs the passes over it
// (the Graph panel draws every stage); in Eager mode the loop above ran it op by op instead.
const toolbarMode = getMode();
setMode("graph");
handStep(x, y, wHand, bHand);
setMode(toolbarMode);
const lowered = handStep.lower(x, y, wHand, bHand);
console.log(`graph: traced ${lowered.graph.nodes.length} ops, ${lowered.optimized.nodes.length} left after fusion and the other passes`);
// Backend: the kernels that ran every op (WebGPU: WGSL in the Kernels panel; CPU: loops in JS).
console.log(`backend: ${(await backendInfo()).name}`);
// Runtime: two simulated devices take 16 points each; an allReduce sums their gradients, which
// equals the gradient over all 32 points (the Cluster panel shows the transfer).
const partial: number[] = [];
for (const r of [0, 1]) {
  const xr = x.narrow(0, 16 * r, 16);
  const yr = y.narrow(0, 16 * r, 16);
  partial.push(await grad((w: Tensor) => xr.mul(w).add(0.5).sub(yr).square().sum())(tensor(0)).item()); // Σ over this device's points
}
const whole = await grad((w: Tensor) => x.mul(w).add(0.5).sub(y).square().sum())(tensor(0)).item();
const c = dist.cluster({ devicesPerNode: 2 }); // the simulated cluster computes on the host (CPU)
const summed = dist.allReduce(c.devices.map((device, r) => tensor([partial[r]], { device })));
console.log(
  `runtime: allReduce over ${c.devices.length} devices gives ${(await summed.outputs[0].tensor.item()).toFixed(4)}; one device on all points: ${whole.toFixed(4)}`,
);
