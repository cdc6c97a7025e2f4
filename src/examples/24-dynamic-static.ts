import { cond, convert, jit, setMode, tensor, type Tensor } from "webgrad";

setMode("graph"); // this lesson is about what tracing does, so trace in both toolbar modes

// 1. A JS value picks a path while tracing: the graph holds only that path, and another value
//    is another signature (a retrace). Nothing is wrong, but nothing data-dependent is left.
const power = jit(
  (x: Tensor, n: number) => {
    let y = x;
    for (let i = 1; i < n; i++) y = y.mul(x); // unrolled: n is known while tracing
    return y;
  },
  { name: "power" },
);
console.log("x³ =", await power(tensor([2, 3]), 3).tolist(), "· x⁴ =", await power(tensor([2, 3]), 4).tolist());
console.log(`power traced ${power.traceCount} times (once per n); its graph for n = 3:`);
console.log(power.lower(tensor([2, 3]), 3).text());

// 2. A JS `if` on a tensor: the condition depends on data the tracer does not have.
function normalize(x: Tensor) {
  if (x.abs().max().gt(1)) {
    return x.div(x.abs().max());
  }
  return x;
}
try {
  jit(normalize)(tensor([0.5, -4]));
} catch (error) {
  console.log(`jit(normalize) refused: ${(error as Error).message.split("\n")[0]}`);
}

// 3a. The fix by hand: cond traces both branches as regions and picks one at run time.
const normalizeCond = jit(
  (x: Tensor) =>
    cond(
      x.abs().max().gt(1),
      (v: Tensor) => v.div(v.abs().max()),
      (v: Tensor) => v,
      x,
    ),
  { name: "normalizeCond" },
);
// 3b. The fix by source conversion: autograph rewrites the `if` into the same cond.
const normalizeAuto = jit(normalize, { autograph: true, name: "normalizeAuto" });
console.log("autograph's rewrite of normalize:\n" + convert(normalize).code);
for (const v of [
  [0.5, -4],
  [0.5, 0.25],
]) {
  const [a, b] = [await normalizeCond(tensor(v)).tolist(), await normalizeAuto(tensor(v)).tolist()];
  console.log(`normalize(${JSON.stringify(v)}): cond ${JSON.stringify(a)} · autograph ${JSON.stringify(b)}`);
}

// 4. Loops too: a `while` on a tensor becomes whileLoop; the `for` over a JS number stays a JS loop.
//    A compiled loop needs a bound (maxIterations): reverse mode runs it as guarded steps, and a
//    GPU cannot hand the condition back to JS in the middle of a graph.
function halveUntilSmall(x: Tensor, rounds: number) {
  for (let r = 0; r < rounds; r++) x = x.add(1);
  while (x.sum().gt(1)) {
    x = x.mul(0.5);
  }
  return x;
}
const halve = jit(halveUntilSmall, { autograph: true, maxIterations: 32, name: "halveUntilSmall" });
console.log("halveUntilSmall([3, 5], 2) =", await halve(tensor([3, 5]), 2).tolist());
console.log(halve.lower(tensor([3, 5]), 2).text());
