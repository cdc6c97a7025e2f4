/**
 * Optimizers, PyTorch-like: they hold parameter groups and per-parameter state, and update the
 * parameters in place (inside `noGrad`), so the parameters keep their identity and modules see
 * the new values.
 */
import { WebgradError } from "../errors";
import { noGrad } from "../autodiff/gradmode";
import { Tensor } from "../tensor/tensor";

/** A group of parameters sharing hyper-parameters (the lr of each group can differ). */
export interface ParamGroup<O = Record<string, unknown>> {
  params: Tensor[];
  /** The learning rate (schedulers change it). */
  lr: number;
  /** The rest of the options (momentum, betas, …), filled from the optimizer's defaults. */
  options: O;
  /** The lr the group started with (schedulers compute from it). */
  initialLr: number;
}

/** Parameters, or groups of them with their own options: `[{ params: a, lr: 1e-3 }, { params: b }]`. */
export type ParamsInput<O> = Iterable<Tensor> | readonly ({ params: Iterable<Tensor> } & Partial<O> & { lr?: number })[];

/** The serializable state of an optimizer: the step count and per-parameter tensors, by parameter index. */
export interface OptimizerState {
  /** Per parameter (by its index across groups, in order): its state (e.g. { step, expAvg, expAvgSq }). */
  state: Record<number, Record<string, Tensor | number>>;
  /** Each group's lr and options. */
  groups: { lr: number; options: Record<string, unknown> }[];
}

/** The base class: holds groups and state; subclasses implement `update` for one parameter. */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  /** The parameter groups. */
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state (momentum buffers, moments, step counts). */
  readonly state = new Map<Tensor, Record<string, Tensor | number>>();
  /** Number of `step()` calls so far. */
  stepCount = 0;

  constructor(params: ParamsInput<O>, lr: number, defaults: O) {
    checkLr(lr);
    const list = Array.from(params as Iterable<unknown>);
    if (list.length === 0) throw new WebgradError("optimizer", "got an empty list of parameters");
    const groups: ({ params: Iterable<Tensor> } & Record<string, unknown>)[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as never);
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      const ps = Array.from(g.params);
      ps.forEach((p, i) => {
        if (!(p instanceof Tensor)) throw new TypeError(`optimizer: group ${gi}, parameter ${i} is not a Tensor`);
        if (!p.isLeaf) throw new WebgradError("optimizer", `group ${gi}, parameter ${i} is not a leaf tensor (it was computed from others): optimize the leaves that require grad`);
        if (seen.has(p)) throw new WebgradError("optimizer", `a parameter appears twice (group ${gi}, index ${i})`);
        seen.add(p);
      });
      const { params: _p, lr: glr, ...rest } = g;
      const groupLr = (glr as number | undefined) ?? lr;
      checkLr(groupLr);
      return { params: ps, lr: groupLr, initialLr: groupLr, options: { ...defaults, ...rest } as O };
    });
  }

  /** Every parameter, across groups. */
  params(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /** Clear the gradients of every parameter (set `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.params()) p.grad = null;
  }

  /**
   * Update every parameter that has a gradient, in place. Call after `loss.backward()`.
   * @example opt.zeroGrad(); loss.backward(); opt.step();
   */
  step(): void {
    this.stepCount++;
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          if (p.grad === null) continue;
          let st = this.state.get(p);
          if (st === undefined) {
            st = {};
            this.state.set(p, st);
          }
          this.update(p, p.grad.detach(), st, g.lr, g.options);
        }
      }
    });
  }

  /** @internal One parameter's update (runs inside noGrad). */
  protected abstract update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, lr: number, o: O): void;

  /** A snapshot of the state (copies of the tensors), by parameter index. */
  stateDict(): OptimizerState {
    const idx = this.params();
    const state: OptimizerState["state"] = {};
    noGrad(() => {
      idx.forEach((p, i) => {
        const st = this.state.get(p);
        if (!st) return;
        const copy: Record<string, Tensor | number> = {};
        for (const [k, v] of Object.entries(st)) copy[k] = v instanceof Tensor ? v.clone() : v;
        state[i] = copy;
      });
    });
    return { state, groups: this.paramGroups.map((g) => ({ lr: g.lr, options: { ...(g.options as Record<string, unknown>) } })) };
  }

  /** Restore a state saved by `stateDict()` (the parameters must be in the same order). */
  loadStateDict(s: OptimizerState): void {
    if (s.groups.length !== this.paramGroups.length) throw new WebgradError("loadStateDict", `the state has ${s.groups.length} parameter groups, this optimizer ${this.paramGroups.length}`);
    const idx = this.params();
    this.state.clear();
    for (const [k, st] of Object.entries(s.state)) {
      const p = idx[Number(k)];
      if (p === undefined) throw new WebgradError("loadStateDict", `the state has an entry for parameter ${k}, this optimizer has ${idx.length} parameters`);
      const copy: Record<string, Tensor | number> = {};
      for (const [n, v] of Object.entries(st)) copy[n] = v instanceof Tensor ? noGrad(() => v.clone()) : v;
      this.state.set(p, copy);
    }
    s.groups.forEach((g, i) => {
      this.paramGroups[i].lr = g.lr;
      this.paramGroups[i].options = { ...(g.options as O) };
    });
  }
}

function checkLr(lr: number): void {
  if (typeof lr !== "number" || !(lr >= 0)) throw new RangeError(`optimizer: lr must be a non-negative number, got ${lr}`);
}
