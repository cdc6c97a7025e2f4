/**
 * A jax-js training iteration as its documentation recommends for speed: the whole step (loss,
 * gradients and Adam as optax writes it) under one `jit`. The bench's MNIST and tiny-Transformer
 * steps use it (bench/page.ts, bench/peer-gpt.ts).
 */
import * as jax from "@jax-js/jax";

const np = jax.numpy;
const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
/** A tree of arrays (parameters, gradients, moments). */
type Tree = jax.tree.JsTree<jax.Array>;

/**
 * One Adam step of `loss` on (x, y) per call, from `params` (a tree of arrays) with the moments
 * at `zeros()`; each call returns the step's loss, read back. The bias corrections come in as
 * arrays, so the step traces once.
 */
export function jaxAdamIteration<P extends Tree>(
  loss: (p: P, x: jax.Array, y: jax.Array) => jax.Array,
  params: P,
  zeros: () => P,
  lr: number,
  x: jax.Array,
  y: jax.Array,
): () => Promise<number> {
  // The step works on trees of arrays: jax-js's types cannot follow a generic tree through jit.
  const valueAndGrad = jax.valueAndGrad(loss as unknown as (p: Tree, x: jax.Array, y: jax.Array) => jax.Array);
  const step = jax.jit((p: Tree, mm: Tree, vv: Tree, xb: jax.Array, yb: jax.Array, c1: jax.Array, c2: jax.Array) => {
    const [value, g] = valueAndGrad(jax.tree.ref(p), xb, yb) as [jax.Array, Tree];
    const m2 = jax.tree.map((a: jax.Array, dg: jax.Array) => a.mul(beta1).add(dg.mul(1 - beta1)), mm, jax.tree.ref(g)) as Tree;
    const v2 = jax.tree.map((a: jax.Array, dg: jax.Array) => a.mul(beta2).add(dg.ref.mul(dg).mul(1 - beta2)), vv, g) as Tree;
    const p2 = jax.tree.map(
      (w: jax.Array, a: jax.Array, b: jax.Array) =>
        w.sub(
          a
            .mul(c1.ref)
            .mul(lr)
            .div(np.sqrt(b.mul(c2.ref)).add(eps)),
        ),
      p,
      jax.tree.ref(m2),
      jax.tree.ref(v2),
    ) as Tree;
    c1.dispose();
    c2.dispose();
    return [value, p2, m2, v2] as [jax.Array, Tree, Tree, Tree];
  });
  let [p, m, v]: Tree[] = [params, zeros(), zeros()];
  let n = 0;
  return async () => {
    n++;
    const [value, p2, m2, v2] = step(p!, m!, v!, x.ref, y.ref, np.array([1 / (1 - beta1 ** n)]), np.array([1 / (1 - beta2 ** n)]));
    [p, m, v] = [p2, m2, v2];
    const [out] = await value.data();
    return out!;
  };
}
