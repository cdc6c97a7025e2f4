/**
 * Gradient checkpointing: run a segment without saving its intermediates, and recompute them
 * during backward. The tape holds one `checkpoint` node that saves only the segment's inputs.
 */
import { Tensor } from "../tensor/tensor";
import { WebgradError } from "../errors";
import type { OpDef } from "../ops/registry";
import { backward } from "./backward";
import { enableGrad, isGradEnabled, noGrad } from "../ops/gradmode";
import { recordNode } from "./tape";
import { zerosLike } from "../ops/creation";

/**
 * Wrap `fn` so that calling it saves only its inputs for backward and recomputes the inside
 * during backward: memory traded for compute (see the saved bytes in the Tape panel).
 * @example const block = checkpoint((h: Tensor) => mlp.forward(h)); const y = block(x);
 */
export function checkpoint<Args extends Tensor[]>(fn: (...args: Args) => Tensor): (...args: Args) => Tensor {
  return (...args: Args): Tensor => {
    if (!isGradEnabled() || args.some((a) => a._trace !== null)) return fn(...args);
    const out = noGrad(() => fn(...args));
    if (!(out instanceof Tensor)) throw new WebgradError("checkpoint", "the checkpointed function must return one tensor");
    const op: OpDef = {
      name: "checkpoint",
      // A recomputed region on the tape, not a primitive of the op table.
      category: "control",
      dtypes: "float",
      infer: () => ({ shape: out.shape, dtype: out.dtype }),
      save: { inputs: true },
      vjp: (g, ctx) => {
        // Recompute the segment with recording on, from detached copies of the saved inputs,
        // then backpropagate through it. Closed-over parameters get their .grad as usual.
        const inputs = ctx.inputs.map((t) => {
          const a = Tensor._fromView(t!._concrete("checkpoint"), t!._version);
          a.requiresGrad = true;
          return a;
        });
        const recomputed = enableGrad(() => fn(...(inputs as Args)));
        if (recomputed.requiresGrad) backward([recomputed], [g], { createGraph: isGradEnabled() });
        return inputs.map((a) => a.grad ?? zerosLike(a));
      },
    };
    // The segment's parameters require grad even when its inputs do not: record the node always.
    const probe = args.some((a) => a.requiresGrad);
    recordNode(op, args, {}, out);
    if (!probe) out.requiresGrad = true;
    return out;
  };
}
