import {
  cond,
  scan,
  whileLoop,
  jit,
  grad,
  convert,
  tensor,
  zeros,
  exportOnnxAsync,
  lowerToDataflow,
  runDataflow,
  bindInputs,
  dataflowText,
  showDataflow,
  type Tensor,
} from "webgrad";

// 1. cond: a branch chosen by data. Eagerly it is a JS `if`; under jit it is one node whose two
//    branches are traced as regions, and only the chosen one runs.
const piecewise = (x: Tensor) =>
  cond(
    x.sum().gt(0),
    (v: Tensor) => v.mul(2),
    (v: Tensor) => v.neg(),
    x,
  );
const f = jit(piecewise);
console.log("cond:", await f(tensor([1, 2])).tolist(), await f(tensor([-1, -2])).tolist());
console.log(f.lower(tensor([1, 2])).text());

// 2. scan: a tiny RNN over a sequence (a loop with a static trip count). Its gradient is a reverse
//    scan over the carries the forward saved: look for two scan nodes in the IR.
const w = tensor([0.5, -0.3]);
const rnn = (xs: Tensor) =>
  scan(
    (h: Tensor, x: Tensor) => {
      const next = h.mul(w).add(x).tanh();
      return [next, next];
    },
    zeros([2]),
    xs,
  )[0].sum();
const seq = tensor([
  [1, 0],
  [0, 1],
  [1, 1],
]);
const dRnn = jit(grad(rnn));
console.log("d loss / d xs:", await dRnn(seq).tolist());
console.log(dRnn.lower(seq).text());

// 3. whileLoop: the trip count depends on the data. Forward mode goes through it; reverse mode
//    needs a bound ({ maxIterations }), as in JAX — otherwise use scan.
const doubling = jit((x: Tensor) =>
  whileLoop(
    (c: Tensor) => c.sum().lt(100),
    (c: Tensor) => c.mul(2),
    x,
    { maxIterations: 32 },
  ),
);
console.log("whileLoop:", await doubling(tensor([1, 2])).tolist());

// 4. Dynamic → static. A JS `if` on a tensor cannot be traced (an object is always truthy), so
//    autograph rewrites the source: tensor conditions become cond / whileLoop, JS values stay JS.
function clip(x: Tensor) {
  let y = x;
  if (x.max().gt(1)) {
    y = x.div(x.max());
  }
  return y;
}
console.log(convert(clip).code);
const clipped = jit(clip, { autograph: true });
console.log("autograph:", await clipped(tensor([0.5, 4])).tolist(), await clipped(tensor([0.5, 0.25])).tolist());

// 5. The graph leaves the framework: ONNX (cond becomes an If node).
const bytes = await exportOnnxAsync(piecewise, tensor([1, 2]));
console.log(`ONNX model: ${bytes.length} bytes`);

// 6. The same cond and while in TensorFlow 1's static dataflow form. Switch sends a value to one
//    side and a dead token to the other, Merge passes on whichever input is live; a loop is a ring
//    Enter → Merge → Switch → body → NextIteration → Merge, left through Exit. runDataflow runs it
//    token by token (each token tagged with its frame and iteration) to check it against the regions.
for (const [name, fn, x] of [
  ["piecewise", f, tensor([-1, -2])],
  ["doubling", doubling, tensor([1, 2])],
] as const) {
  const g = fn.lower(x).graph;
  const df = lowerToDataflow(g);
  const { outputs, fired } = await runDataflow(df, bindInputs(g, [x]));
  console.log(`${name} as TF1 dataflow:\n${dataflowText(df)}`);
  console.log(`dataflow ${JSON.stringify(await outputs[0].tolist())} = regions ${JSON.stringify(await fn(x).tolist())}; ${fired.nextIteration} iterations`);
  showDataflow(df, name); // drawn in the Graph panel beside the traced functions
}
