import { grad, jit, tensor, type Tensor } from "webgrad";

const x = tensor([
  [0.5, -1.0, 2.0],
  [1.5, 0.25, -0.75],
]);
const wInit = [
  [0.1, -0.2],
  [0.3, 0.4],
  [-0.5, 0.6],
];

// The model: loss = mean(tanh(x·W)²)
const lossFn = (W: Tensor, x: Tensor) => x.matmul(W).tanh().square().mean();

// 1. Operator overloading with a tape. Each call below runs immediately AND records a node:
// the op, its inputs and what it saved for backward (e.g. tanh saves its output).
const W = tensor(wInit, { requiresGrad: true });
const loss = lossFn(W, x);
console.log("the tape, in recording order:");
loss.tape().forEach((n, i) => console.log(`  ${i + 1}. ${n.op.padEnd(8)} → [${n.shape}]  saves ${n.savedBytes} bytes`));
loss.backward(); // walk the tape backwards, applying each op's vjp rule
const fmt = (m: unknown) => JSON.stringify((m as number[][]).map((r) => r.map((v) => +v.toFixed(6))));
console.log("dW by the tape: ", fmt(await W.grad!.tolist()));

// 2. Graph transformation. grad() under jit: the forward is traced into a graph, the backward
// ops are generated as more graph nodes (no tape at run time), and the whole thing is compiled.
const dLoss = jit(grad(lossFn), { name: "grad(loss)" });
console.log("dW by the graph:", fmt(await dLoss(tensor(wInit), x).tolist()));

// The generated graph as text: the forward ops (matmul … div) first, then the ones that grad
// wrote: the seed broadcast back (reshape, expand), tanh′ = 1 − tanh², and matmul's transpose rule.
console.log(dLoss.lower(tensor(wInit), x).text());
