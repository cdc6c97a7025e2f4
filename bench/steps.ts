/**
 * The training steps the benches time, defined once: the bench page (bench/page.ts, against the
 * peers) and the kernel profile (bench/gpu-profile.ts) run the same models on the same inputs.
 * Each returns one iteration: a step (eager, or compiled with `jit`) ending in the loss's read-back,
 * whose value it returns.
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
): () => Promise<number> {
  const step = (xb: wg.Tensor, yb: wg.Tensor) => {
    const l = loss(xb, yb);
    opt.zeroGrad();
    l.backward();
    opt.step();
    return l;
  };
  const run = jitted ? wg.jit(step, { name }) : step;
  return async () => await run(x, y).item();
}

/** The two-layer classifiers of the benches: 784 → `hidden` → 10 with cross-entropy. */
export const MLPS = {
  /** The bench's MLP: 784 → 256 → 10, a batch of 128, SGD. */
  mlp: { hidden: 256, batch: 128, optimizer: "sgd", lr: 0.01 },
  /** The MNIST example's (src/examples/63-mnist.ts): 784 → 64 → 10, a batch of 100, Adam. */
  mnist: { hidden: 64, batch: 100, optimizer: "adam", lr: 3e-3 },
} as const;

/** A training iteration of one of {@link MLPS}. */
export function mlpStep(kind: keyof typeof MLPS, jitted: boolean): () => Promise<number> {
  const { hidden, batch, optimizer, lr } = MLPS[kind];
  wg.manualSeed(0);
  const model = wg.nn.sequential(wg.nn.linear(784, hidden), wg.nn.relu(), wg.nn.linear(hidden, 10));
  const opt = optimizer === "adam" ? wg.optim.adam(model.parameters(), { lr }) : wg.optim.sgd(model.parameters(), { lr });
  const x = wg.tensor(floats(batch * 784, 3), { shape: [batch, 784], dtype: "float32" });
  const y = wg.tensor(labels(batch, 10), { dtype: "int32" });
  return iteration((xb, yb) => wg.nn.crossEntropy(model.forward(xb), yb), opt, x, y, jitted, `${kind}_step`);
}

/**
 * The tiny Transformer of src/examples/64-tiny-transformer.ts, for every library that runs it:
 * pre-norm causal blocks with an exact-GELU MLP `mlp` times as wide, a vocabulary of 64, and its
 * training step's batch and Adam learning rate.
 */
export const TINY_GPT = { vocab: 64, t: 32, d: 32, heads: 4, blocks: 2, mlp: 4, batch: 16, lr: 1e-2 } as const;

/** The step's inputs (seed 7) and targets (seed 8): `batch` windows of `t` symbol ids, the same in every library. */
export function tinyGptIds(seed: number): Int32Array<ArrayBuffer> {
  return Int32Array.from(floats(TINY_GPT.batch * TINY_GPT.t, seed), (f) => Math.floor((f + 0.5) * TINY_GPT.vocab));
}

/** How a tiny-Transformer weight starts: uniform in ±`scale`/2 (seeded), or all ones or zeros. */
export type TinyGptInit = { scale: number; seed: number } | "ones" | "zeros";

/**
 * The tiny Transformer's weights by layer, each built by `make(shape, init)`: the layout every
 * library's step starts from (linear weights [in, out], uniform in ±1/√in; embeddings in ±1;
 * layer norms ones and zeros), so the three libraries' losses agree step for step.
 */
export function tinyGptLayers<T>(make: (shape: number[], init: TinyGptInit) => T) {
  const { vocab, t, d, blocks, mlp } = TINY_GPT;
  let seed = 100;
  const linear = (i: number, o: number) => ({ w: make([i, o], { scale: 2 / Math.sqrt(i), seed: seed++ }), b: make([o], "zeros") });
  const norm = () => ({ w: make([d], "ones"), b: make([d], "zeros") });
  return {
    tok: make([vocab, d], { scale: 2, seed: seed++ }),
    pos: make([t, d], { scale: 2, seed: seed++ }),
    blocks: Array.from({ length: blocks }, () => ({
      ln1: norm(),
      q: linear(d, d),
      k: linear(d, d),
      v: linear(d, d),
      out: linear(d, d),
      ln2: norm(),
      fc: linear(d, d * mlp),
      proj: linear(d * mlp, d),
    })),
    ln: norm(),
    head: linear(d, vocab),
  };
}

/** A weight's initial values (see {@link tinyGptLayers}). */
export function tinyGptInitial(shape: number[], init: TinyGptInit): Float32Array<ArrayBuffer> {
  const n = shape.reduce((x, y) => x * y, 1);
  if (init === "ones") return new Float32Array(n).fill(1);
  if (init === "zeros") return new Float32Array(n);
  const a = floats(n, init.seed);
  for (let i = 0; i < n; i++) a[i]! *= init.scale;
  return a;
}

/** The tiny Transformer of {@link TINY_GPT} built from webgrad's layers, starting from {@link tinyGptLayers}' weights. */
function tinyGpt() {
  const { vocab, t, d, heads, blocks: n } = TINY_GPT;
  const tok = wg.nn.embedding(vocab, d),
    pos = wg.nn.embedding(t, d);
  const blocks = wg.nn.sequential(...Array.from({ length: n }, () => wg.nn.transformerBlock(d, heads, { causal: true })));
  const norm = wg.nn.layerNorm(d),
    head = wg.nn.linear(d, vocab);
  const w = tinyGptLayers((shape, init) => wg.tensor(tinyGptInitial(shape, init), { shape, dtype: "float32" }));
  // webgrad's Linear keeps its weight as [out, in].
  const linear = (prefix: string, l: { w: wg.Tensor; b: wg.Tensor }) => ({ [`${prefix}weight`]: l.w.permute([1, 0]), [`${prefix}bias`]: l.b });
  const layerNorm = (prefix: string, l: { w: wg.Tensor; b: wg.Tensor }) => ({ [`${prefix}weight`]: l.w, [`${prefix}bias`]: l.b });
  tok.loadStateDict({ weight: w.tok });
  pos.loadStateDict({ weight: w.pos });
  blocks.loadStateDict(
    Object.assign(
      {},
      ...w.blocks.flatMap((b, i) => [
        layerNorm(`${i}.ln1.`, b.ln1),
        linear(`${i}.attn.q.`, b.q),
        linear(`${i}.attn.k.`, b.k),
        linear(`${i}.attn.v.`, b.v),
        linear(`${i}.attn.out.`, b.out),
        layerNorm(`${i}.ln2.`, b.ln2),
        linear(`${i}.mlp.0.`, b.fc),
        linear(`${i}.mlp.2.`, b.proj),
      ]),
    ) as Record<string, wg.Tensor>,
  );
  norm.loadStateDict(layerNorm("", w.ln));
  head.loadStateDict(linear("", w.head));
  const positions = wg.tensor(
    Array.from({ length: t }, (_, i) => i),
    { dtype: "int32" },
  );
  const forward = (xb: wg.Tensor) => head.forward(norm.forward(blocks.forward(tok.forward(xb).add(pos.forward(positions)))));
  return { vocab, t, forward, parameters: [tok, pos, blocks, norm, head].flatMap((m) => m.parameters()) };
}

/** The tiny-Transformer example's training iteration: 16 windows of 32 characters, Adam; compiled when `jitted`. */
export function tinyGptStep(jitted: boolean): () => Promise<number> {
  const { batch, lr } = TINY_GPT;
  const { vocab, t, forward, parameters } = tinyGpt();
  const opt = wg.optim.adam(parameters, { lr });
  const ids = (seed: number) => wg.tensor(tinyGptIds(seed), { shape: [batch, t], dtype: "int32" });
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
