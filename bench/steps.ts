/**
 * The training steps the benches time, defined once: the bench page (bench/page.ts, against the
 * peers) and the kernel profile (bench/gpu-profile.ts) run the same models on the same inputs.
 * Each returns one iteration: a step (eager, or compiled with `jit`) ending in the loss's read-back.
 */
import * as wg from "../src/lib/index";

/** Deterministic pseudo-random floats in [-0.5, 0.5) (no library's RNG, so every library's inputs match). */
export function floats(n: number, seed = 1): Float32Array<ArrayBuffer> {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

/** Class labels 0 … classes − 1 for `n` examples, the same in every library. */
export function labels(n: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i * 7) % classes);
}

/** One iteration of `loss` on (x, y) with `opt`: zero the gradients, backward, update; compiled when `jitted`. */
function iteration(
  loss: (x: wg.Tensor, y: wg.Tensor) => wg.Tensor,
  opt: wg.optim.Optimizer,
  x: wg.Tensor,
  y: wg.Tensor,
  jitted: boolean,
  name: string,
): () => Promise<void> {
  const step = (xb: wg.Tensor, yb: wg.Tensor) => {
    const l = loss(xb, yb);
    opt.zeroGrad();
    l.backward();
    opt.step();
    return l;
  };
  const run = jitted ? wg.jit(step, { name }) : step;
  return async () => void (await run(x, y).item());
}

/** The two-layer classifiers of the benches: 784 → `hidden` → 10 with cross-entropy. */
export const MLPS = {
  /** The bench's MLP: 784 → 256 → 10, a batch of 128, SGD. */
  mlp: { hidden: 256, batch: 128, optimizer: "sgd", lr: 0.01 },
  /** The MNIST example's (src/examples/63-mnist.ts): 784 → 64 → 10, a batch of 100, Adam. */
  mnist: { hidden: 64, batch: 100, optimizer: "adam", lr: 3e-3 },
} as const;

/** A training iteration of one of {@link MLPS}. */
export function mlpStep(kind: keyof typeof MLPS, jitted: boolean): () => Promise<void> {
  const { hidden, batch, optimizer, lr } = MLPS[kind];
  wg.manualSeed(0);
  const model = wg.nn.sequential(wg.nn.linear(784, hidden), wg.nn.relu(), wg.nn.linear(hidden, 10));
  const opt = optimizer === "adam" ? wg.optim.adam(model.parameters(), { lr }) : wg.optim.sgd(model.parameters(), { lr });
  const x = wg.tensor(floats(batch * 784, 3), { shape: [batch, 784], dtype: "float32" });
  const y = wg.tensor(labels(batch, 10), { dtype: "int32" });
  return iteration((xb, yb) => wg.nn.crossEntropy(model.forward(xb), yb), opt, x, y, jitted, `${kind}_step`);
}

/** The tiny Transformer of src/examples/64-tiny-transformer.ts: two causal blocks of width 32 with 4 heads, 32 positions, a vocabulary of 64, seeded. */
function tinyGpt() {
  const [vocab, t, d] = [64, 32, 32];
  wg.manualSeed(0);
  const tok = wg.nn.embedding(vocab, d),
    pos = wg.nn.embedding(t, d);
  const blocks = wg.nn.sequential(wg.nn.transformerBlock(d, 4, { causal: true }), wg.nn.transformerBlock(d, 4, { causal: true }));
  const norm = wg.nn.layerNorm(d),
    head = wg.nn.linear(d, vocab);
  const positions = wg.tensor(
    Array.from({ length: t }, (_, i) => i),
    { dtype: "int32" },
  );
  const forward = (xb: wg.Tensor) => head.forward(norm.forward(blocks.forward(tok.forward(xb).add(pos.forward(positions)))));
  return { vocab, t, forward, parameters: [tok, pos, blocks, norm, head].flatMap((m) => m.parameters()) };
}

/** The tiny-Transformer example's training iteration: 16 windows of 32 characters, Adam; compiled when `jitted`. */
export function tinyGptStep(jitted: boolean): () => Promise<void> {
  const batch = 16;
  const { vocab, t, forward, parameters } = tinyGpt();
  const opt = wg.optim.adam(parameters, { lr: 1e-2 });
  const ids = (seed: number) =>
    wg.tensor(
      Int32Array.from(floats(batch * t, seed), (f) => Math.floor((f + 0.5) * vocab)),
      { shape: [batch, t], dtype: "int32" },
    );
  const loss = (xb: wg.Tensor, yb: wg.Tensor) => wg.nn.crossEntropy(forward(xb).reshape([batch * t, vocab]), yb.reshape([batch * t]));
  return iteration(loss, opt, ids(7), ids(8), jitted, "gpt_step");
}

/**
 * One character of the tiny Transformer example's sampling: the next symbol's probabilities after
 * one window (a compiled forward pass of batch 1) and their read-back, as its `sample` does 60
 * times per call.
 */
export function tinyGptSample(): () => Promise<void> {
  const { vocab, t, forward } = tinyGpt();
  const next = wg.jit(
    (x: wg.Tensor) =>
      wg.noGrad(() =>
        forward(x)
          .narrow(1, t - 1, 1)
          .reshape([vocab])
          .softmax(-1),
      ),
    { name: "next char" },
  );
  const x = wg.tensor(
    Int32Array.from({ length: t }, (_, i) => (i * 5) % vocab),
    { shape: [1, t], dtype: "int32" },
  );
  return async () => void (await next(x).data());
}
