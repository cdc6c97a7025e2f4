/**
 * `optim`: optimizers (SGD, Adam, AdamW) with PyTorch's update equations, and learning-rate schedules.
 * @example
 * const opt = optim.adam(model.parameters(), { lr: 1e-2 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 * @module
 */
import { Adam, AdamW, SGD, type AdamOptions, type SGDOptions } from "./algorithms";
import type { ParamsInput } from "./optimizer";

export { Optimizer, type ParamGroup, type ParamsInput, type OptimizerState } from "./optimizer";
export { SGD, Adam, AdamW, clipGradNorm, type SGDOptions, type AdamOptions } from "./algorithms";
export {
  LRScheduler,
  stepLR,
  cosineLR,
  linearLR,
  warmupLR,
  warmupCosine,
  sequentialLR,
  lambdaLR,
  stepSchedule,
  cosineSchedule,
  linearSchedule,
  warmupSchedule,
  warmupCosineSchedule,
  sequentialSchedule,
  type Schedule,
} from "./schedulers";

/**
 * Stochastic gradient descent (with optional momentum, Nesterov, weight decay).
 * @example const opt = optim.sgd(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export const sgd = (params: ParamsInput<SGDOptions>, opts: SGDOptions): SGD => new SGD(params, opts);
/**
 * Adam.
 * @example const opt = optim.adam(model.parameters(), { lr: 1e-2 });
 */
export const adam = (params: ParamsInput<AdamOptions>, opts: AdamOptions = {}): Adam => new Adam(params, opts);
/**
 * AdamW (decoupled weight decay, default 1e-2).
 * @example const opt = optim.adamw(model.parameters(), { lr: 1e-3, weightDecay: 0.1 });
 */
export const adamw = (params: ParamsInput<AdamOptions>, opts: AdamOptions = {}): AdamW => new AdamW(params, opts);
