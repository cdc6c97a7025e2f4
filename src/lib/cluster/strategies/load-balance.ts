/**
 * Switch Transformer's auxiliary load-balancing loss (Fedus, Zoph and Shazeer 2022, §2.2, eqs. 4–6):
 * for N experts and a batch of T tokens,
 *   loss = α · N · Σᵢ fᵢ · Pᵢ,  fᵢ = (1/T)·#{tokens whose top-1 expert is i},  Pᵢ = (1/T)·Σₓ pᵢ(x),
 * where p(x) is the gate's softmax. fᵢ counts an argmax and has no gradient; Pᵢ does, so the loss
 * pushes probability away from the experts that already get the most tokens. Under a uniform
 * routing fᵢ = Pᵢ = 1/N and the loss is α, its minimum; all tokens on one expert with certainty give α·N.
 * @module
 */
import { tensor } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { DistError } from "../errors";

/**
 * The loss and what it is made of.
 * @example const { loss, load } = dist.loadBalancingLoss(gate.forward(x), { alpha: 0.01 });
 */
export interface LoadBalancing {
  /** α · N · Σ fᵢ · Pᵢ, a scalar tensor with gradients through Pᵢ. */
  loss: Tensor;
  /** fᵢ: the share of tokens routed (top-1) to each expert. */
  fraction: number[];
  /** Pᵢ: the mean gate probability of each expert. */
  probability: number[];
  /** Tokens routed to each expert (T · fᵢ). */
  load: number[];
}

/**
 * Switch Transformer's load-balancing loss of gate logits [T, N] (α default 0.01, the paper's).
 * Top-1 ties go to the lower expert index, as `dist.routeTop1` routes them.
 * @example
 * const lb = dist.loadBalancingLoss(gate.forward(tokens), { alpha: 0.01 });
 * total = taskLoss.add(lb.loss);   // lb.load: tokens per expert
 */
export function loadBalancingLoss(logits: Tensor, opts: { alpha?: number } = {}): LoadBalancing {
  if (logits.shape.length !== 2) throw new DistError("dist.loadBalancingLoss", `needs gate logits [tokens, experts], got [${logits.shape.join(", ")}]`);
  const [T, N] = logits.shape;
  const alpha = opts.alpha ?? 0.01;
  const l = logits.dataSync();
  const load = new Array<number>(N).fill(0);
  for (let t = 0; t < T; t++) {
    let best = 0;
    for (let e = 1; e < N; e++) if (l[t * N + e] > l[t * N + best]) best = e;
    load[best]++;
  }
  const fraction = load.map((c) => c / T);
  const P = logits.softmax(-1).mean(0);
  const loss = P.mul(tensor(fraction))
    .sum()
    .mul(alpha * N);
  return { loss, fraction, probability: Array.from(P.dataSync(), Number), load };
}
