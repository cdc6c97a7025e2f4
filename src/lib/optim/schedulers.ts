/**
 * Learning-rate schedules. Each is a closed form `lrAt(step, initialLr)`; a scheduler sets every
 * group's lr from it. Call `sched.step()` once per optimizer step (after `opt.step()`), as in PyTorch.
 */
import type { Optimizer } from "./optimizer";

/** A schedule: the lr at a step, given the group's initial lr. */
export type Schedule = (step: number, initialLr: number) => number;

/** Drives an optimizer's learning rates by a schedule. */
export class LRScheduler {
  /** Steps taken so far (the schedule is at this step). */
  lastStep = 0;
  constructor(
    readonly optimizer: Optimizer<object>,
    /** The schedule (public, so it can be plotted: `sched.lrAt(i)`). */
    readonly schedule: Schedule,
  ) {
    this.apply();
  }
  /** Advance one step and set the new learning rates. */
  step(): void {
    this.lastStep++;
    this.apply();
  }
  /** The lr of the first group at `step` (for plots). */
  lrAt(step: number): number {
    return this.schedule(step, this.optimizer.paramGroups[0].initialLr);
  }
  /** The current learning rate of each group. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
  private apply(): void {
    for (const g of this.optimizer.paramGroups) g.lr = this.schedule(this.lastStep, g.initialLr);
  }
}

/** lr · γ^⌊step / stepSize⌋ (PyTorch's StepLR). */
export function stepSchedule(opts: { stepSize: number; gamma?: number }): Schedule {
  if (!(opts.stepSize > 0)) throw new RangeError(`stepLR: stepSize must be positive, got ${opts.stepSize}`);
  const gamma = opts.gamma ?? 0.1;
  return (t, lr0) => lr0 * Math.pow(gamma, Math.floor(t / opts.stepSize));
}

/**
 * Cosine annealing from the initial lr down to `minLr` over `tMax` steps:
 * minLr + (lr − minLr)·(1 + cos(π·t/tMax))/2. It stays at minLr after tMax (PyTorch's would rise again).
 */
export function cosineSchedule(opts: { tMax: number; minLr?: number }): Schedule {
  if (!(opts.tMax > 0)) throw new RangeError(`cosine: tMax must be positive, got ${opts.tMax}`);
  const min = opts.minLr ?? 0;
  return (t, lr0) => min + ((lr0 - min) * (1 + Math.cos((Math.PI * Math.min(t, opts.tMax)) / opts.tMax))) / 2;
}

/** Linear ramp of the factor from `startFactor` to `endFactor` over `totalSteps`, then constant (PyTorch's LinearLR). */
export function linearSchedule(opts: { startFactor?: number; endFactor?: number; totalSteps: number }): Schedule {
  const s = opts.startFactor ?? 1 / 3,
    e = opts.endFactor ?? 1;
  if (!(opts.totalSteps > 0)) throw new RangeError(`linear: totalSteps must be positive, got ${opts.totalSteps}`);
  return (t, lr0) => lr0 * (s + ((e - s) * Math.min(t, opts.totalSteps)) / opts.totalSteps);
}

/** Linear warm-up: lr·(startFactor + (1 − startFactor)·t / warmupSteps) for t < warmupSteps (startFactor 0 by default), then lr. */
export function warmupSchedule(opts: { warmupSteps: number; startFactor?: number }): Schedule {
  const w = opts.warmupSteps;
  if (!(w >= 0)) throw new RangeError(`warmup: warmupSteps must be ≥ 0, got ${w}`);
  const s = opts.startFactor ?? 0;
  return (t, lr0) => (w === 0 || t >= w ? lr0 : lr0 * (s + ((1 - s) * t) / w));
}

/**
 * Run schedules one after another: schedule i from `milestones[i−1]` on, with its step counted from
 * that milestone (PyTorch's SequentialLR).
 */
export function sequentialSchedule(schedules: Schedule[], milestones: number[]): Schedule {
  if (milestones.length !== schedules.length - 1)
    throw new RangeError(`sequential: needs ${schedules.length - 1} milestones for ${schedules.length} schedules, got ${milestones.length}`);
  return (t, lr0) => {
    let i = 0;
    while (i < milestones.length && t >= milestones[i]) i++;
    return schedules[i](t - (i === 0 ? 0 : milestones[i - 1]), lr0);
  };
}

/**
 * Linear warm-up for `warmupSteps`, then cosine decay to `minLr` at `totalSteps`: the usual
 * Transformer schedule.
 * @example const sched = optim.warmupCosine(opt, { warmupSteps: 100, totalSteps: 1000, minLr: 1e-5 });
 */
export function warmupCosineSchedule(opts: { warmupSteps: number; totalSteps: number; minLr?: number }): Schedule {
  const w = opts.warmupSteps;
  return sequentialSchedule([warmupSchedule({ warmupSteps: w }), cosineSchedule({ tMax: Math.max(1, opts.totalSteps - w), minLr: opts.minLr })], [w]);
}

/**
 * StepLR: multiply the lr by `gamma` every `stepSize` steps.
 * @example const sched = optim.stepLR(opt, { stepSize: 100, gamma: 0.5 }); … opt.step(); sched.step();
 */
export const stepLR = (opt: Optimizer<object>, opts: { stepSize: number; gamma?: number }): LRScheduler => new LRScheduler(opt, stepSchedule(opts));
/**
 * Cosine annealing to `minLr` over `tMax` steps.
 * @example const sched = optim.cosineLR(opt, { tMax: 1000, minLr: 1e-5 });
 */
export const cosineLR = (opt: Optimizer<object>, opts: { tMax: number; minLr?: number }): LRScheduler => new LRScheduler(opt, cosineSchedule(opts));
/** Linear factor ramp (PyTorch's LinearLR). */
export const linearLR = (opt: Optimizer<object>, opts: { startFactor?: number; endFactor?: number; totalSteps: number }): LRScheduler =>
  new LRScheduler(opt, linearSchedule(opts));
/** Linear warm-up from 0 to the lr over `warmupSteps`, then constant. */
export const warmupLR = (opt: Optimizer<object>, opts: { warmupSteps: number; startFactor?: number }): LRScheduler =>
  new LRScheduler(opt, warmupSchedule(opts));
/**
 * Warm-up then cosine decay.
 * @example const sched = optim.warmupCosine(opt, { warmupSteps: 100, totalSteps: 1000, minLr: 1e-5 });
 */
export const warmupCosine = (opt: Optimizer<object>, opts: { warmupSteps: number; totalSteps: number; minLr?: number }): LRScheduler =>
  new LRScheduler(opt, warmupCosineSchedule(opts));
/** Chain schedules at milestones (PyTorch's SequentialLR). */
export const sequentialLR = (opt: Optimizer<object>, schedules: Schedule[], milestones: number[]): LRScheduler =>
  new LRScheduler(opt, sequentialSchedule(schedules, milestones));
/** Any schedule: `lambdaLR(opt, (t) => 0.95 ** t)` multiplies the initial lr by the factor. */
export const lambdaLR = (opt: Optimizer<object>, factor: (step: number) => number): LRScheduler => new LRScheduler(opt, (t, lr0) => lr0 * factor(t));
