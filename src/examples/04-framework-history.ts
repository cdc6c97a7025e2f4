import { getMode, jit, linspace, optim, setMode, sourceGrad, tensor, valueAndGrad, zeros, type Tensor } from "webgrad";

// One task for every era: fit y = w·x + b to 8 points of y = 2x + 1, loss = mean((w·x + b − y)²).
const xs = linspace(-1, 1, 8);
const ys = xs.mul(2).add(1);
const lr = 0.5;
const toolbarMode = getMode(); // eras 2–4 pick their own mode, then give the toolbar's back
const fmt = (v: number) => v.toFixed(4);

// 1. Library era (Torch 2002, NumPy 2006, Caffe 2013): arrays that compute at once; the backward
// pass is code you derive on paper and type in (Caffe: a Backward() written for every layer).
console.log("── 1. library: compute now, derive the gradient yourself ──");
{
  let w = tensor(0),
    b = tensor(0);
  for (let step = 0; step < 3; step++) {
    const err = xs.mul(w).add(b).sub(ys); // forward: every line computes numbers
    const loss = err.square().mean();
    const dw = err.mul(xs).mul(2).mean(); // backward, by hand: ∂L/∂w = mean(2·err·x)
    const db = err.mul(2).mean(); // ∂L/∂b = mean(2·err)
    console.log(`step ${step}: loss ${fmt(await loss.item())}  ∂L/∂w ${fmt(await dw.item())}  (derived by hand)`);
    w = w.sub(dw.mul(lr));
    b = b.sub(db.mul(lr));
  }
  console.log("nothing was recorded: the framework never saw a derivative");
}

// 2. Dataflow-graph era (Theano 2007, TensorFlow 2015): first declare the whole graph, gradients
// included, with placeholders for the data; then a session feeds data and runs the graph.
console.log("── 2. dataflow graph: build the graph first, then feed it ──");
setMode("graph"); // TF1 was graph-only, whatever the toolbar says
{
  const lossOf = (w: Tensor, b: Tensor, x: Tensor, y: Tensor) => x.mul(w).add(b).sub(y).square().mean();
  const trainOp = jit(
    (w: Tensor, b: Tensor, x: Tensor, y: Tensor) => {
      const [loss, [dw, db]] = valueAndGrad(lossOf, { argnums: [0, 1] })(w, b, x, y); // tf.gradients: more graph nodes
      return [loss, w.sub(dw.mul(lr)), b.sub(db.mul(lr))];
    },
    { name: "train_op" },
  );
  const placeholder = (shape: number[]) => zeros(shape); // only its shape matters while building
  console.log("the graph, built before any data exists:");
  console.log(trainOp.lower(tensor(0), tensor(0), placeholder([8]), placeholder([8])).text());
  let w = tensor(0),
    b = tensor(0);
  for (let step = 0; step < 3; step++) {
    const [loss, w2, b2] = trainOp(w, b, xs, ys); // session.run(train_op, feed_dict={x: xs, y: ys})
    [w, b] = [w2, b2];
    console.log(`step ${step}: loss ${fmt(await loss.item())}  (the same graph, fed again)`);
  }
  console.log(`graphs built: ${trainOp.traceCount}`);
}
setMode(toolbarMode);

// 3. Eager era (Chainer 2015, PyTorch 2016/17, TF 2.0 eager by default 2019): define-by-run.
// Each line runs at once and records itself on a tape; backward() walks the tape in reverse.
console.log("── 3. eager: define-by-run, print anything as it goes ──");
setMode("eager");
{
  const w = zeros([], { requiresGrad: true });
  const b = zeros([], { requiresGrad: true });
  const opt = optim.sgd([w, b], { lr });
  for (let step = 0; step < 3; step++) {
    const pred = xs.mul(w).add(b); // runs now: the numbers exist on this line
    if (step === 1) console.log("pred[0..2] =", Array.from((await pred.data()).slice(0, 3), fmt).join(", ")); // a plain print, mid-model
    const loss = pred.sub(ys).square().mean();
    opt.zeroGrad();
    loss.backward(); // the tape recorded mul, add, sub, square, mean: replay it backwards
    opt.step();
    console.log(`step ${step}: loss ${fmt(await loss.item())}  ∂L/∂w ${fmt(await w.grad!.item())}  (from the tape)`);
  }
}
setMode(toolbarMode);

// 4. Compiler era (XLA 2017, JAX 2018, MindSpore 2020, torch.compile 2023): write plain functions,
// transform them (grad), and let a compiler trace them into an IR, optimise it and run it.
console.log("── 4. compiler: trace a plain function, show the IR, run it compiled ──");
setMode("graph");
{
  const loss = (w: Tensor, b: Tensor, x: Tensor, y: Tensor) => x.mul(w).add(b).sub(y).square().mean();
  const step = jit(valueAndGrad(loss, { argnums: [0, 1] }), { name: "jit(value_and_grad(loss))" }); // JAX: jit(grad(f))
  const lowered = step.lower(tensor(0), tensor(0), xs, ys);
  console.log(lowered.text("optimized"));
  console.log(`traced ${lowered.graph.nodes.length} ops; after the passes ${lowered.optimized.nodes.length} run`);
  let w = tensor(0),
    b = tensor(0);
  for (let i = 0; i < 3; i++) {
    const [l, [dw, db]] = step(w, b, xs, ys);
    console.log(`step ${i}: loss ${fmt(await l.item())}  ∂L/∂w ${fmt(await dw.item())}  (compiled)`);
    w = w.sub(dw.mul(lr));
    b = b.sub(db.mul(lr));
  }
  step(w, b, linspace(-1, 1, 16), linspace(-1, 1, 16).mul(2).add(1)); // a new shape: the guard fails
  console.log(`traces: ${step.traceCount} (16 points is a new shape, so it traced again)`);
  // MindSpore differentiates the source text instead of a trace: one point (x = 0.5, y = 2) here.
  console.log(sourceGrad((w: number, b: number) => (w * 0.5 + b - 2) * (w * 0.5 + b - 2)).source);
}
setMode(toolbarMode);
