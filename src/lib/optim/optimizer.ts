/**
 * Optimizers, PyTorch-like: they hold parameter groups and per-parameter state, and update the
 * parameters in place (inside `noGrad`), so the parameters keep their identity and modules see
 * the new values.
 */
import { enterScope, exitScope } from "../debug/scope";
import { WebgradError } from "../errors";
import { noGrad } from "../ops/gradmode";
import { Tensor, tidy } from "../tensor/tensor";
import { full } from "../ops/creation";
import type { DType } from "../tensor/dtype";

/**
 * A group of parameters sharing hyper-parameters. Its learning rate is also kept as a 0-d tensor
 * per parameter dtype, which the updates read: a compiled (`jit`) training step then sees the
 * new lr a scheduler sets, instead of the number it was traced with.
 */
export class ParamGroup<O = Record<string, unknown>> {
  /** The lr the group started with (schedulers compute from it). */
  readonly initialLr: number;
  private _lr: number;
  /** @internal The lr as a tensor, per parameter dtype. */
  readonly _lrTensors = new Map<DType, Tensor>();
  constructor(
    /** The parameters of this group. */
    readonly params: Tensor[],
    lr: number,
    /** The rest of the options (momentum, betas, …), filled from the optimizer's defaults. */
    public options: O,
  ) {
    checkLr(lr);
    this._lr = lr;
    this.initialLr = lr;
    for (const p of params) if (!this._lrTensors.has(p.dtype)) this._lrTensors.set(p.dtype, full([], lr, { dtype: p.dtype }));
  }
  /** The learning rate (schedulers change it). */
  get lr(): number {
    return this._lr;
  }
  set lr(v: number) {
    checkLr(v);
    this._lr = v;
    noGrad(() => {
      for (const t of this._lrTensors.values()) t.fill_(v);
    });
  }
  /** @internal The lr as a 0-d tensor of `dtype`. */
  _lrTensor(dtype: DType): Tensor {
    let t = this._lrTensors.get(dtype);
    if (t === undefined) {
      t = full([], this._lr, { dtype });
      this._lrTensors.set(dtype, t);
    }
    return t;
  }
}

/**
 * @internal How the library compiles a function for its own repeated eager calls (graph/jit.ts
 * installs it: optim sits below graph). The compiled function runs as a graph in eager mode too,
 * and sends no graph event.
 */
export const stepCompiler: { compile: ((fn: (grads: Tensor[]) => void, name: string) => CompiledStep) | null } = { compile: null };

/** @internal A compiled step: call it, or only trace it (`lower`: throws where the update cannot be traced). */
export interface CompiledStep {
  (grads: Tensor[]): void;
  lower(grads: Tensor[]): unknown;
}

/**
 * When an eager step on WebGPU runs compiled (Optimizer.step): once `after` steps in a row had the
 * same parameters with gradients and the same options, and at most `maxVariants` builds per
 * optimizer (a program that changes them, or replaces its state, every step stays eager rather
 * than compile each).
 * A compiled Adam step is one kernel per parameter and a few for all step counters, against six
 * per parameter eagerly; a quick run's few steps never build it.
 */
export const COMPILED_STEP = { after: 16, maxVariants: 4 };

/** Parameters, or groups of them with their own options: `[{ params: a, lr: 1e-3 }, { params: b }]`. */
export type ParamsInput<O> = Iterable<Tensor> | readonly ({ params: Iterable<Tensor> } & Partial<O> & { lr?: number })[];

/** The serializable state of an optimizer: the step count and per-parameter tensors, by parameter index. */
export interface OptimizerState {
  /** Per parameter (by its index across groups, in order): its state (e.g. { step, expAvg, expAvgSq }). */
  state: Record<number, Record<string, Tensor>>;
  /** Each group's lr and options. */
  groups: { lr: number; options: Record<string, unknown> }[];
}

/**
 * The base class: holds groups and per-parameter state; subclasses give the state's initial
 * tensors (`initState`) and the update of one parameter (`update`). The state is allocated when the
 * optimizer is created and then only changed in place (as are the parameters), so a training step
 * compiled with `jit` reads and writes the same tensors the eager code does.
 */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  /** The parameter groups. */
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state (momentum buffers, moments, step counts as 0-d tensors). */
  readonly state = new Map<Tensor, Record<string, Tensor>>();

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
        if (!p.isLeaf)
          throw new WebgradError(
            "optimizer",
            `group ${gi}, parameter ${i} is not a leaf tensor (it was computed from others): optimize the leaves that require grad`,
          );
        if (seen.has(p)) throw new WebgradError("optimizer", `a parameter appears twice (group ${gi}, index ${i})`);
        seen.add(p);
      });
      const { params: _p, lr: glr, ...rest } = g;
      const groupLr = (glr as number | undefined) ?? lr;
      checkLr(groupLr);
      return new ParamGroup<O>(ps, groupLr, { ...defaults, ...rest } as O);
    });
    noGrad(() => {
      for (const g of this.paramGroups) for (const p of g.params) this.state.set(p, this.initState(p, g.options));
    });
  }

  /**
   * @internal True when `update` keeps no tensor it makes (it writes state in place): eager steps
   * then run it in `tidy`, so its intermediates free their memory at once, and on WebGPU no lazy
   * value left over from one step is computed when the next step writes the state it read.
   */
  protected readonly updateMakesNoTensors: boolean = false;

  /** @internal The initial state of one parameter (zeros of its shape, step counters). */
  protected abstract initState(p: Tensor, o: O): Record<string, Tensor>;

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
   * On WebGPU an eager step that keeps repeating runs compiled, one fused kernel per parameter
   * (see COMPILED_STEP); it computes the same update.
   * @example opt.zeroGrad(); loss.backward(); opt.step();
   */
  step(): void {
    // Its ops form one scope in a traced graph (the Graph panel folds them into one box).
    enterScope("optimizer.step");
    try {
      if (this.compiledStep()) return;
      noGrad(() => {
        for (const g of this.paramGroups) {
          for (const p of g.params) {
            const grad = p.grad;
            if (grad === null) continue;
            const lr = g._lrTensor(p.dtype);
            const update = () => this.update(p, grad.detach(), this.state.get(p)!, lr, g.options);
            // Eager: the update's intermediates go at once (see updateMakesNoTensors); a trace records them.
            if (this.updateMakesNoTensors && grad._trace === null && p._trace === null) tidy(update);
            else update();
          }
        }
      });
    } finally {
      exitScope();
    }
  }

  /**
   * Per set of parameters with gradients and options: its compiled step; and the set the latest
   * eager steps had, how many in a row. (`_` names: a jit signature leaves them out, so a call
   * passed this optimizer does not retrace as they change.)
   */
  private readonly _compiledSteps = new Map<string, { run: CompiledStep; reads: Tensor[] }>();
  private _repeatedKey = "";
  private _repeats = 0;
  /** Compiled steps built so far, rebuilds included (COMPILED_STEP.maxVariants bounds them). */
  private _builds = 0;
  /** A subclass's update that could not be traced (it reads values on the host, say): its steps stay eager. */
  private _untraceable = false;

  /**
   * Runs this step compiled (see COMPILED_STEP) when it is an eager step on WebGPU of an optimizer
   * whose update writes everything in place; returns false to run it eagerly. The compiled step
   * calls the same `update` under a trace, so it computes what the eager one does.
   */
  private compiledStep(): boolean {
    const compile = stepCompiler.compile;
    if (!this.updateMakesNoTensors || compile === null || this._untraceable) return false;
    const owners: { p: Tensor; group: ParamGroup<O>; grad: Tensor }[] = [];
    const indices: number[] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad !== null) {
          // A traced step (inside jit) or the CPU backend (the reference) runs as written.
          if (p._trace !== null || grad._trace !== null || p.device !== "webgpu" || grad.device !== "webgpu") return false;
          owners.push({ p, group, grad });
          indices.push(index);
        }
        index++;
      }
    }
    if (owners.length === 0) return false;
    // The options are baked into the compiled update: a change compiles (or runs) another.
    const key = `${indices.join(",")}|${JSON.stringify(this.paramGroups.map((g) => g.options))}`;
    // The parameters and state tensors a compiled step reads and writes are those it was traced
    // with: one a program has put in another's place (`opt.state.set(p, …)`, a group's params
    // edited) makes it trace again, as the eager step reads them anew.
    const reads = owners.flatMap(({ p }) => [p, ...Object.values(this.state.get(p) ?? {})]);
    let compiled = this._compiledSteps.get(key);
    if (compiled !== undefined && (compiled.reads.length !== reads.length || compiled.reads.some((t, i) => t !== reads[i]))) {
      this._compiledSteps.delete(key);
      compiled = undefined;
    }
    if (compiled === undefined) {
      this._repeats = key === this._repeatedKey ? this._repeats + 1 : 1;
      this._repeatedKey = key;
      if (this._repeats < COMPILED_STEP.after || this._builds >= COMPILED_STEP.maxVariants) return false;
      // The parameters and groups only: the compiled step must not hold this step's gradients.
      const targets = owners.map(({ p, group }) => ({ p, group }));
      const run = compile(
        (grads) => noGrad(() => targets.forEach(({ p, group }, i) => this.update(p, grads[i], this.state.get(p)!, group._lrTensor(p.dtype), group.options))),
        "optimizer.step",
      );
      // Traced once before it runs: an update that cannot be traced has written nothing yet, and runs eagerly.
      try {
        noGrad(() => run.lower(owners.map((o) => o.grad.detach())));
      } catch {
        this._untraceable = true;
        return false;
      }
      compiled = { run, reads };
      this._compiledSteps.set(key, compiled);
      this._builds++;
    }
    const { run } = compiled;
    noGrad(() => run(owners.map((o) => o.grad.detach())));
    return true;
  }

  /**
   * @internal One parameter's update (runs inside noGrad): write the new values into `p` and the
   * state tensors in place (`copy_`), reading the lr from the `lr` tensor.
   */
  protected abstract update(p: Tensor, grad: Tensor, state: Record<string, Tensor>, lr: Tensor, o: O): void;

  /** A snapshot of the state (copies of the tensors), by parameter index. */
  stateDict(): OptimizerState {
    const idx = this.params();
    const state: OptimizerState["state"] = {};
    noGrad(() => {
      idx.forEach((p, i) => {
        const st = this.state.get(p);
        if (!st) return;
        const copy: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(st)) copy[k] = v.clone();
        state[i] = copy;
      });
    });
    return { state, groups: this.paramGroups.map((g) => ({ lr: g.lr, options: { ...(g.options as Record<string, unknown>) } })) };
  }

  /**
   * Restore a state saved by `stateDict()` (the parameters must be in the same order). Values are
   * copied into the existing state tensors (shapes checked), which keep their identity.
   */
  loadStateDict(s: OptimizerState): void {
    if (s.groups.length !== this.paramGroups.length)
      throw new WebgradError("loadStateDict", `the state has ${s.groups.length} parameter groups, this optimizer ${this.paramGroups.length}`);
    const idx = this.params();
    for (const [k, st] of Object.entries(s.state)) {
      const p = idx[Number(k)];
      if (p === undefined) throw new WebgradError("loadStateDict", `the state has an entry for parameter ${k}, this optimizer has ${idx.length} parameters`);
      const own = this.state.get(p)!;
      for (const [n, v] of Object.entries(st)) {
        const dst = own[n];
        if (dst === undefined)
          throw new WebgradError(
            "loadStateDict",
            `parameter ${k}: this optimizer keeps no state named "${n}" (it keeps ${Object.keys(own).join(", ") || "none"})`,
          );
        if (!(v instanceof Tensor) || v.shape.join() !== dst.shape.join())
          throw new WebgradError("loadStateDict", `parameter ${k}: state "${n}" must be a tensor of shape [${dst.shape}]`);
        noGrad(() => dst.copy_(v));
      }
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
