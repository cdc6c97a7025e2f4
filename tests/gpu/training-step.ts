/** The training step the GPU suites run eagerly and under jit: forward, loss, zeroGrad, backward, update. */
import type { Module } from "../../src/lib/nn/module";
import type { Optimizer } from "../../src/lib/optim/optimizer";
import type { Tensor } from "../../src/lib/tensor/tensor";

/** One step of `model` with `opt` on a batch (x, y); returns the loss. */
export function trainingStep(model: Module, opt: Optimizer, loss: (out: Tensor, y: Tensor) => Tensor): (x: Tensor, y: Tensor) => Tensor {
  return (x, y) => {
    const l = loss(model.forward(x), y);
    opt.zeroGrad();
    l.backward();
    opt.step();
    return l;
  };
}
