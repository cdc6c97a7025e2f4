import { jit, nn, optim, tensor, plot, showTape, type Tensor } from "webgrad";

// ---------------------------------------------------------------- the engine (~50 lines)
/** The tape: every Value made by an operation, in the order it was computed. */
let tape: Value[] = [];

class Value {
  grad = 0;
  /** What the Tape panel calls a leaf (an input or a weight); ops are named by their op. */
  label = "";
  /** Adds this node's gradient into its inputs' gradients (its local chain rule). */
  backwardStep: () => void = () => {};
  constructor(
    public data: number,
    readonly op = "",
    readonly inputs: Value[] = [], // the graph's edges (micrograd's _prev)
  ) {}
  static of(v: Value | number): Value {
    return v instanceof Value ? v : new Value(v);
  }
  private record(data: number, op: string, inputs: Value[], step: (out: Value) => void): Value {
    const out = new Value(data, op, inputs);
    out.backwardStep = () => step(out);
    tape.push(out);
    return out;
  }
  add(o: Value | number): Value {
    const b = Value.of(o);
    return this.record(this.data + b.data, "+", [this, b], (out) => {
      this.grad += out.grad;
      b.grad += out.grad;
    });
  }
  mul(o: Value | number): Value {
    const b = Value.of(o);
    return this.record(this.data * b.data, "*", [this, b], (out) => {
      this.grad += b.data * out.grad;
      b.grad += this.data * out.grad;
    });
  }
  sub(o: Value | number): Value {
    return this.add(Value.of(o).mul(-1));
  }
  tanh(): Value {
    const t = Math.tanh(this.data);
    return this.record(t, "tanh", [this], (out) => {
      this.grad += (1 - t * t) * out.grad;
    });
  }
  /** Reverse-mode AD: seed 1, then replay the tape backwards (onStep sees each node after its step). */
  backward(onStep?: (node: Value) => void): void {
    this.grad = 1;
    for (let i = tape.length - 1; i >= 0; i--) {
      tape[i]!.backwardStep();
      onStep?.(tape[i]!);
    }
  }
}
const leaf = (data: number, label: string) => Object.assign(new Value(data), { label });

// ---------------------------------------------------------------- one neuron, in the Tape panel
// o = tanh(x1·w1 + x2·w2 + b). showTape draws the engine's own nodes in the Tape panel; the
// backward hands it each node right after its step, so the panel steps through the engine's grads.
const [x1, x2, w1, w2, b] = [leaf(2, "x1"), leaf(0, "x2"), leaf(-3, "w1"), leaf(1, "w2"), leaf(6.881373587, "b")];
const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
const view = showTape(tape, (v) => ({ op: v.op, inputs: v.inputs, value: v.data, grad: v.grad, name: v.label }), { name: "Value engine" });
o.backward((node) => view.step(node));
// By hand: ∂o/∂n = 1 − o², then each weight gets its input times that (and each input its weight).
const dn = 1 - o.data * o.data;
console.log(`neuron: o = ${o.data.toFixed(4)}, ∂o/∂n = 1 − o² = ${dn.toFixed(4)}`);
console.log(`  engine: ∂o/∂w1 = ${w1.grad.toFixed(4)}, ∂o/∂x1 = ${x1.grad.toFixed(4)}, ∂o/∂w2 = ${w2.grad.toFixed(4)}, ∂o/∂b = ${b.grad.toFixed(4)}`);
console.log(
  `  by hand: x1·(1 − o²) = ${(x1.data * dn).toFixed(4)}, w1·(1 − o²) = ${(w1.data * dn).toFixed(4)}, x2·(1 − o²) = ${(x2.data * dn).toFixed(4)}, 1 − o² = ${dn.toFixed(4)}`,
);

// ---------------------------------------------------------------- Module and optimizer
// Deterministic "random" weights, so both implementations can start from the same ones.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;

class Layer {
  w: Value[][]; // [out][in], like nn.linear's weight
  b: Value[];
  constructor(
    nin: number,
    nout: number,
    readonly act: boolean,
  ) {
    this.w = Array.from({ length: nout }, () => Array.from({ length: nin }, () => new Value(rand() / Math.sqrt(nin))));
    this.b = Array.from({ length: nout }, () => new Value(0));
  }
  forward(x: Value[]): Value[] {
    return this.w.map((row, j) => {
      const z = row.reduce((s, wi, i) => s.add(wi.mul(x[i]!)), this.b[j]!);
      return this.act ? z.tanh() : z;
    });
  }
  parameters(): Value[] {
    return [...this.w.flat(), ...this.b];
  }
}
class MLP {
  layers = [new Layer(3, 4, true), new Layer(4, 4, true), new Layer(4, 1, false)];
  forward(x: Value[]): Value {
    return this.layers.reduce((h, l) => l.forward(h), x.map(Value.of))[0]!;
  }
  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}
class SGD {
  constructor(
    readonly params: Value[],
    readonly lr: number,
  ) {}
  zeroGrad(): void {
    for (const p of this.params) p.grad = 0;
  }
  step(): void {
    for (const p of this.params) p.data -= this.lr * p.grad;
  }
}

// ---------------------------------------------------------------- training, by hand
const xs = [
  [2, 3, -1],
  [3, -1, 0.5],
  [0.5, 1, 1],
  [1, 1, -1],
];
const ys = [1, -1, -1, 1];
const steps = 40,
  lr = 0.1;

const mlp = new MLP();
// Copy the starting weights out before training changes them: webgrad's model gets the same.
const initial = mlp.layers.map((l) => ({ w: l.w.map((r) => r.map((v) => v.data)), b: l.b.map((v) => v.data) }));
const sgd = new SGD(mlp.parameters(), lr);
let tapeLength = 0;
for (let i = 0; i < steps; i++) {
  tape = []; // a fresh tape per step, like PyTorch's graph freed after backward
  const loss = xs
    .map((x, k) => mlp.forward(x.map((v) => new Value(v))).sub(ys[k]!))
    .reduce((s, e) => s.add(e.mul(e)), new Value(0))
    .mul(1 / xs.length); // mean squared error
  sgd.zeroGrad();
  loss.backward();
  sgd.step();
  tapeLength = tape.length;
  plot("loss", i, loss.data, { series: "hand-made Value engine" });
}
console.log(`the hand-made engine recorded ${tapeLength} scalar ops per step`);
const handPreds = xs.map((x) => mlp.forward(x.map((v) => new Value(v))).data);

// ---------------------------------------------------------------- the same with webgrad
// The same MLP as tensors: each Linear is one matmul instead of nin·nout scalar ops.
const model = nn.sequential(nn.linear(3, 4), nn.tanh(), nn.linear(4, 4), nn.tanh(), nn.linear(4, 1));
model.loadStateDict({
  "0.weight": tensor(initial[0]!.w),
  "0.bias": tensor(initial[0]!.b),
  "2.weight": tensor(initial[1]!.w),
  "2.bias": tensor(initial[1]!.b),
  "4.weight": tensor(initial[2]!.w),
  "4.bias": tensor(initial[2]!.b),
});
const opt = optim.sgd(model.parameters(), { lr });
const X = tensor(xs),
  Y = tensor(ys).reshape(4, 1);
const step = jit(
  (x: Tensor, y: Tensor) => {
    const loss = nn.mse(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  },
  { name: "train step" },
);
for (let i = 0; i < steps; i++) plot("loss", i, await step(X, Y).item(), { series: "webgrad nn + optim" });
const preds = (await model.forward(X).reshape(4).tolist()) as number[];

console.log("target | hand-made | webgrad");
ys.forEach((y, k) => console.log(`${String(y).padStart(6)} | ${handPreds[k]!.toFixed(5).padStart(9)} | ${preds[k]!.toFixed(5).padStart(8)}`));
