import { grad, jit, sourceGrad, tensor, type Tensor } from "webgrad";

// Every method below differentiates f(x1, x2) = ln(x1) + x1·x2 − sin(x2) at (2, 5); the answer is
// ∇f = (1/x1 + x2, x1 − cos x2) = (5.5, 1.7163).
const fmt = (v: number[]) => `(${v.map((d) => d.toFixed(4)).join(", ")})`;

// 0. Elemental library: each elementary function is registered by hand with its derivative, and
// the program is rewritten by hand into calls of the library, each carrying (value, derivative).
type Dual = [number, number];
const elementals: Record<string, { f: (x: number) => number; df: (x: number) => number }> = {
  log: { f: Math.log, df: (x) => 1 / x },
  sin: { f: Math.sin, df: Math.cos },
};
const call = (name: string, [x, dx]: Dual): Dual => [elementals[name].f(x), elementals[name].df(x) * dx];
const plus = ([a, da]: Dual, [b, db]: Dual): Dual => [a + b, da + db];
const minus = ([a, da]: Dual, [b, db]: Dual): Dual => [a - b, da - db];
const times = ([a, da]: Dual, [b, db]: Dual): Dual => [a * b, da * b + a * db];
const fByHand = (x1: Dual, x2: Dual) => minus(plus(call("log", x1), times(x1, x2)), call("sin", x2));
// One call per input direction: seed dx1 = 1, then dx2 = 1.
console.log("0. elemental library:     ∇f =", fmt([fByHand([2, 1], [5, 0])[1], fByHand([2, 0], [5, 1])[1]]));

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
const mat = (m: unknown) => JSON.stringify((m as number[][]).map((r) => r.map((v) => +v.toFixed(6))));
console.log("dW by the tape: ", mat(await W.grad!.tolist()));

// The same tape for f: the overloaded tensor methods record ln, mul, add, sin, sub.
const fT = (x1: Tensor, x2: Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());
const x1 = tensor(2, { requiresGrad: true });
const x2 = tensor(5, { requiresGrad: true });
fT(x1, x2).backward();
console.log("1. operator overloading:  ∇f =", fmt([await x1.grad!.item(), await x2.grad!.item()]));

// 2. Source transformation: f's source text is parsed (acorn) and rewritten into a new program
// that computes the derivative: a forward sweep, then the adjoints in reverse. Nothing of f runs.
const f = (x1: number, x2: number) => Math.log(x1) + x1 * x2 - Math.sin(x2);
const { source, fn: gradF } = sourceGrad(f);
console.log("the generated derivative code:");
console.log(source);
console.log("2. source transformation: ∇f =", fmt(gradF(2, 5).gradient));

// 3. Tracing, then graph transformation. grad() under jit: the forward is traced into a graph,
// the backward ops are generated as more graph nodes (no tape at run time), and it is compiled.
// For f, to read beside the generated code: jit never reads the source, it records the ops that
// ran on traced values and appends their backward as graph nodes.
const gradFGraph = jit(grad(fT, { argnums: [0, 1] }), { name: "grad(f)" });
console.log(gradFGraph.lower(tensor(2), tensor(5)).text());
const [g1, g2] = gradFGraph(tensor(2), tensor(5)) as Tensor[];
console.log("3. tracing + graph:       ∇f =", fmt([await g1.item(), await g2.item()]));

// The same for the model: the gradient computed by the compiled graph matches the tape's.
const dLoss = jit(grad(lossFn), { name: "grad(loss)" });
console.log("dW by the graph:", mat(await dLoss(tensor(wInit), x).tolist()));

// The generated graph as text: the forward ops (matmul … div) first, then the ones that grad
// wrote: the seed broadcast back (reshape, expand), tanh′ = 1 − tanh², and matmul's transpose rule.
console.log(dLoss.lower(tensor(wInit), x).text());
