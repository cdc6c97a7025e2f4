/**
 * The tiny-Transformer training step (bench/steps.ts: {@link TINY_GPT}) written out by hand for
 * the peers, each as its documentation recommends for speed: TensorFlow.js eager with
 * `optimizer.minimize` over variables, jax-js with the whole step (loss, gradients and Adam) under
 * `jit`. The model is webgrad's `nn.transformerBlock`: embeddings of the symbols and positions,
 * pre-norm blocks (layer norm, causal attention with separate q, k, v and out projections, a
 * residual; layer norm, Linear → exact GELU → Linear, a residual), a final layer norm and a
 * projection to the vocabulary; mean cross-entropy over every position; Adam. Every library starts
 * from the same weights (`tinyGptLayers`), so their losses agree step for step
 * (tests/unit/bench/tiny-gpt-peers.test.ts checks it). An iteration returns the step's loss.
 */
import * as tf from "@tensorflow/tfjs";
import * as jax from "@jax-js/jax";
import { TINY_GPT, tinyGptIds, tinyGptInitial, tinyGptLayers } from "./steps";
import { jaxAdamIteration } from "./jax-adam";

const np = jax.numpy;
const { vocab, t, d, heads, batch, lr } = TINY_GPT;
const headSize = d / heads;

/** Targets as one-hot rows [batch · t, vocab] (jax-js's and TensorFlow.js's cross-entropy take them so). */
function oneHotTargets(): Float32Array<ArrayBuffer> {
  const y = new Float32Array(batch * t * vocab);
  tinyGptIds(8).forEach((c, i) => (y[i * vocab + c] = 1));
  return y;
}

/** TensorFlow.js: eager ops inside `optimizer.minimize` (which tidies), Adam. */
export async function tfjsTinyGptStep(): Promise<() => Promise<number>> {
  const p = tinyGptLayers((shape, init) => tf.variable(tf.tensor(tinyGptInitial(shape, init), shape)));
  const x = tf.tensor2d(tinyGptIds(7), [batch, t], "int32"),
    y = tf.tensor2d(oneHotTargets(), [batch * t, vocab]);
  const positions = tf.range(0, t, 1, "int32");
  // 0 where a position may attend (itself and before), −∞ after it.
  const mask = tf.tensor2d(
    Float32Array.from({ length: t * t }, (_, i) => (i % t <= Math.floor(i / t) ? 0 : -Infinity)),
    [t, t],
  );
  type Linear = { w: tf.Tensor; b: tf.Tensor };
  const linear = (h: tf.Tensor, l: Linear) => tf.add(tf.matMul(h as tf.Tensor2D, l.w as tf.Tensor2D), l.b);
  const layerNorm = (h: tf.Tensor, l: Linear) => {
    const centred = tf.sub(h, tf.mean(h, -1, true));
    const variance = tf.mean(tf.square(centred), -1, true);
    return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-5))), l.w), l.b);
  };
  const split = (h: tf.Tensor) => tf.transpose(tf.reshape(h, [batch, t, heads, headSize]), [0, 2, 1, 3]);
  const gelu = (z: tf.Tensor) => tf.mul(tf.mul(z, 0.5), tf.add(tf.erf(tf.mul(z, Math.SQRT1_2)), 1));
  const forward = () => {
    let h = tf.reshape(tf.add(tf.gather(p.tok, x), tf.gather(p.pos, positions)), [batch * t, d]);
    for (const b of p.blocks) {
      const a = layerNorm(h, b.ln1);
      const scores = tf.add(tf.mul(tf.matMul(split(linear(a, b.q)), split(linear(a, b.k)), false, true), 1 / Math.sqrt(headSize)), mask);
      const attended = tf.matMul(tf.softmax(scores), split(linear(a, b.v)));
      h = tf.add(h, linear(tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [batch * t, d]), b.out));
      h = tf.add(h, linear(gelu(linear(layerNorm(h, b.ln2), b.fc)), b.proj));
    }
    return linear(layerNorm(h, p.ln), p.head);
  };
  const opt = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  return async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward()) as tf.Scalar, true)!;
    const [value] = await loss.data();
    loss.dispose();
    return value!;
  };
}

/** jax-js: the loss, its gradients and Adam (as optax writes it) in one `jit` (bench/jax-adam.ts). */
export async function jaxTinyGptStep(): Promise<() => Promise<number>> {
  type P = ReturnType<typeof tinyGptLayers<jax.Array>>;
  type Linear = { w: jax.Array; b: jax.Array };
  // jax-js arrays are consumed by each use: `.ref` keeps one for a later use.
  const linear = (h: jax.Array, l: Linear) => np.matmul(h, l.w).add(l.b);
  const layerNorm = (h: jax.Array, l: Linear) => jax.nn.standardize(h, -1, { epsilon: 1e-5 }).mul(l.w).add(l.b);
  const split = (h: jax.Array) => h.reshape([batch, t, heads, headSize]);
  const lossFn = (p: P, xb: jax.Array, yb: jax.Array) => {
    let h = np
      .take(p.tok, xb, 0)
      .add(p.pos)
      .reshape([batch * t, d]);
    for (const b of p.blocks) {
      const a = layerNorm(h.ref, b.ln1);
      const attended = jax.nn.dotProductAttention(split(linear(a.ref, b.q)), split(linear(a.ref, b.k)), split(linear(a, b.v)), { isCausal: true });
      h = h.add(linear(attended.reshape([batch * t, d]), b.out));
      h = h.ref.add(linear(jax.nn.gelu(linear(layerNorm(h, b.ln2), b.fc), { approximate: false }), b.proj));
    }
    const logits = linear(layerNorm(h, p.ln), p.head);
    return np.mean(np.sum(jax.nn.logSoftmax(logits, -1).mul(yb), -1)).mul(-1);
  };
  return jaxAdamIteration(
    lossFn,
    tinyGptLayers((shape, init) => np.array(tinyGptInitial(shape, init)).reshape(shape)),
    () => tinyGptLayers((shape) => np.zeros(shape)),
    lr,
    np.array(tinyGptIds(7)).reshape([batch, t]),
    np.array(oneHotTargets()).reshape([batch * t, vocab]),
  );
}
