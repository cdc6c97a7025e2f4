/** SGD (momentum, dampening, Nesterov, weight decay), Adam and AdamW, with PyTorch's update equations. */
import { WebgradError } from "../errors";
import { noGrad } from "../ops/gradmode";
import { tidy, type Tensor } from "../tensor/tensor";
import * as F from "../ops/functional";
import { Optimizer, type ParamsInput } from "./optimizer";
import { zeros, zerosLike } from "../ops/creation";

/**
 * `dst ← value()` for a state tensor. Eager (`eager`: the step's gradient is concrete), the
 * value's intermediates are disposed before the write, and the value after it, so on WebGPU the
 * whole update is one kernel writing `dst` in place (backend/webgpu/lazy.ts, writeLazyInto).
 */
function writeState(dst: Tensor, eager: boolean, value: () => Tensor): Tensor {
  return eager ? dst._writeTemporary(tidy(value)) : dst.copy_(value());
}

/** Options of SGD. */
export interface SGDOptions {
  /** Learning rate. */
  lr: number;
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize?: boolean;
}

type SGDGroup = Required<Omit<SGDOptions, "lr">>;

/**
 * Stochastic gradient descent, as PyTorch:
 * g ← ∇ + λ·p; b ← g (first step) or μ·b + (1 − τ)·g; g ← g + μ·b (Nesterov) or b; p ← p − lr·g.
 * @example const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<SGDGroup> {
  constructor(params: ParamsInput<SGDGroup>, opts: SGDOptions) {
    const o: SGDGroup = {
      momentum: opts.momentum ?? 0,
      dampening: opts.dampening ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      nesterov: opts.nesterov ?? false,
      maximize: opts.maximize ?? false,
    };
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new WebgradError("SGD", "Nesterov momentum needs momentum > 0 and dampening 0");
    if (o.momentum < 0) throw new RangeError(`SGD: momentum must be ≥ 0, got ${o.momentum}`);
    super(params, opts.lr, o);
  }
  protected override readonly updateMakesNoTensors = true;
  protected initState(p: Tensor, o: SGDGroup): Record<string, Tensor> {
    const st: Record<string, Tensor> = {};
    if (o.momentum !== 0) st.momentumBuffer = zerosLike(p);
    if (o.momentum !== 0 && o.dampening !== 0) st.step = zeros([], { dtype: p.dtype });
    return st;
  }
  protected update(p: Tensor, grad: Tensor, st: Record<string, Tensor>, lr: Tensor, o: SGDGroup): void {
    let g = o.maximize ? grad.neg() : grad;
    if (o.weightDecay !== 0) g = g.add(p.mul(o.weightDecay));
    if (o.momentum !== 0) {
      const buf = st.momentumBuffer;
      // The buffer starts at zero, so μ·b + g is g on the first step, as PyTorch's b ← g.
      let gd = g;
      if (o.dampening !== 0) {
        const t = st.step.add_(1);
        gd = g.mul(
          t
            .eq(1)
            .cast(g.dtype)
            .mul(o.dampening)
            .add(1 - o.dampening),
        ); // no dampening on the first step
      }
      const nb = writeState(buf, g._trace === null, () => buf.mul(o.momentum).add(gd));
      g = o.nesterov ? g.add(nb.mul(o.momentum)) : nb;
    }
    p.sub_(g.mul(lr));
  }
}

/** Options of Adam and AdamW. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates (β₁, β₂) of the moment estimates (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Use the maximum of past second moments (AMSGrad). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize?: boolean;
}

type AdamGroup = { betas: [number, number]; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean; decoupled: boolean };

function adamGroup(opts: AdamOptions, decoupled: boolean): AdamGroup {
  const betas = opts.betas ?? [0.9, 0.999];
  if (!betas.every((b) => b >= 0 && b < 1)) throw new RangeError(`Adam: betas must be in [0, 1), got ${JSON.stringify(betas)}`);
  return {
    betas: [betas[0], betas[1]],
    eps: opts.eps ?? 1e-8,
    weightDecay: opts.weightDecay ?? (decoupled ? 1e-2 : 0),
    amsgrad: opts.amsgrad ?? false,
    maximize: opts.maximize ?? false,
    decoupled,
  };
}

/**
 * Adam, as PyTorch: t ← t + 1; g ← ∇ (+ λ·p); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
 * @example const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
 */
export class Adam extends Optimizer<AdamGroup> {
  constructor(params: ParamsInput<AdamGroup>, opts: AdamOptions = {}, decoupled = false) {
    super(params, opts.lr ?? 1e-3, adamGroup(opts, decoupled));
  }
  protected override readonly updateMakesNoTensors = true;
  protected initState(p: Tensor, o: AdamGroup): Record<string, Tensor> {
    const st: Record<string, Tensor> = { step: zeros([], { dtype: p.dtype }), expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
    if (o.amsgrad) st.maxExpAvgSq = zerosLike(p);
    return st;
  }
  protected update(p: Tensor, grad: Tensor, st: Record<string, Tensor>, lr: Tensor, o: AdamGroup): void {
    const [b1, b2] = o.betas;
    let g = o.maximize ? grad.neg() : grad;
    if (o.decoupled) {
      if (o.weightDecay !== 0) p.mul_(lr.mul(-o.weightDecay).add(1));
    } else if (o.weightDecay !== 0) {
      g = g.add(p.mul(o.weightDecay));
    }
    // Each state tensor is written in place (on WebGPU one kernel each), and the rest of the step reads it.
    const eager = g._trace === null;
    const t = st.step.add_(1);
    const m = writeState(st.expAvg, eager, () => st.expAvg.mul(b1).add(g.mul(1 - b1)));
    const v = writeState(st.expAvgSq, eager, () => st.expAvgSq.mul(b2).add(g.square().mul(1 - b2)));
    let vHat = v;
    if (o.amsgrad) vHat = st.maxExpAvgSq.copy_(F.maximum(st.maxExpAvgSq, v));
    // Bias corrections from the step tensor (not a JS number), so a compiled step stays exact.
    const bc1 = F.pow(b1, t).neg().add(1),
      bc2 = F.pow(b2, t).neg().add(1);
    const denom = vHat.sqrt().div(bc2.sqrt()).add(o.eps);
    p.sub_(m.div(denom).mul(lr.div(bc1)));
  }
}

/**
 * AdamW: Adam with decoupled weight decay, p ← p·(1 − lr·λ) before the Adam step (λ default 1e-2).
 * @example const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.1 });
 */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamGroup>, opts: AdamOptions = {}) {
    super(params, opts, true);
  }
}

/**
 * Scale the gradients of `params` in place so their global L2 norm is at most `maxNorm`; returns
 * the norm before clipping (a 0-d tensor, computed without reading back).
 * @example const norm = optim.clipGradNorm(model.parameters(), 1.0);
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): Tensor {
  const ps = Array.from(params).filter((p) => p.grad !== null);
  if (ps.length === 0) throw new WebgradError("clipGradNorm", "no parameter has a gradient: call backward() first");
  return noGrad(() => {
    const sq = ps.map((p) => p.grad!.detach().square().sum());
    const norm = (sq.length === 1 ? sq[0] : F.stack(sq).sum()).sqrt();
    const coef = F.minimum(F.div(maxNorm, norm.add(1e-6)), 1);
    for (const p of ps) p.grad = F.mul(p.grad!.detach(), coef.cast(p.grad!.dtype));
    return norm;
  });
}
