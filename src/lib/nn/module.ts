/**
 * `Module`: the base of layers and models, PyTorch-like. A module's parameters and children are
 * found on its own fields (in declaration order), so a model is written as a plain class:
 *
 * ```ts
 * class MLP extends nn.Module {
 *   fc1 = nn.linear(2, 16);
 *   fc2 = nn.linear(16, 1);
 *   forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * ```
 */
import { enterScope, exitScope, markScopeWrapper } from "../debug/scope";
import { ShapeError, WebgradError } from "../errors";
import { noGrad } from "../ops/gradmode";
import { Tensor } from "../tensor/tensor";
import { fmtShape, shapeEqual } from "../tensor/shape";

const PARAMS = new WeakSet<Tensor>();

/**
 * Mark a tensor as a parameter (PyTorch's `nn.Parameter`): it requires grad, and a module that
 * holds it in a field lists it in `parameters()` even while frozen (`requiresGrad = false`).
 * @example class Scale extends nn.Module { s = nn.parameter(ones([1])); forward(x: Tensor) { return x.mul(this.s); } }
 */
export function parameter(t: Tensor, requiresGrad = true): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError("parameter: expects a Tensor");
  if (!t.isLeaf) t = t.detach();
  t.requiresGrad_(requiresGrad);
  PARAMS.add(t);
  return t;
}

/** True for tensors made with `parameter()` or leaves that require grad. */
export function isParameter(x: unknown): x is Tensor {
  return x instanceof Tensor && (PARAMS.has(x) || (x.requiresGrad && x.isLeaf));
}

/** A snapshot of a module's parameters and buffers, by dotted name. */
export type StateDict = Record<string, Tensor>;

const RESERVED = new Set(["training"]);

/** The modules whose forward is running, innermost last (for the scope names of graph nodes). */
const running: Module[] = [];
/** Classes whose own `forward` already enters a scope. */
const scopedClasses = new WeakSet<object>();

/** Scope names found, per calling module (a field is looked up once, not on every forward). */
const scopeNames = new WeakMap<Module, WeakMap<Module, string>>();

/** A module's name in the module that called it: its field path there, else its class name. */
function scopeName(parent: Module | undefined, m: Module): string {
  if (!parent) return m.constructor.name || "Module";
  const known = scopeNames.get(parent) ?? scopeNames.set(parent, new WeakMap()).get(parent)!;
  let name = known.get(m);
  if (name === undefined) {
    name =
      parent.namedChildren().find(([, c]) => c === m)?.[0] ?? parent.namedModules().find(([n, c]) => c === m && n)?.[0] ?? (m.constructor.name || "Module");
    known.set(m, name);
  }
  return name;
}

/**
 * Make every `forward` on `m`'s class chain enter the module's scope (once per class, on the
 * prototype, so `this` and `super.forward` behave as written). A module calling its own
 * overridden `super.forward` stays one scope.
 */
function scopeForwards(m: Module): void {
  for (let proto = Object.getPrototypeOf(m) as object | null; proto && proto !== Module.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    if (scopedClasses.has(proto)) break;
    scopedClasses.add(proto);
    const own = Object.getOwnPropertyDescriptor(proto, "forward");
    const original: unknown = own?.value;
    if (typeof original !== "function") continue;
    const wrapped = function (this: Module, ...args: unknown[]): unknown {
      const top = running[running.length - 1];
      if (top === this || !(this instanceof Module)) return (original as (...a: unknown[]) => unknown).apply(this, args);
      enterScope(scopeName(top, this));
      running.push(this);
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        running.pop();
        exitScope();
      }
    };
    Object.defineProperty(wrapped, "name", { value: (original as { name: string }).name });
    Object.defineProperty(wrapped, "length", { value: (original as { length: number }).length });
    markScopeWrapper(wrapped, original as (...a: unknown[]) => unknown);
    Object.defineProperty(proto, "forward", { ...own, value: wrapped });
  }
}

/**
 * The base class of layers and models. Subclasses define fields (parameters, child modules, arrays
 * of modules) and `forward`. Call a module with `model.forward(x)` or `model.call(x)`.
 */
export abstract class Module {
  /** True in training mode (dropout active); switch with `train()` / `eval()`. */
  training = true;
  /** @internal Buffers: tensors that belong to the state but are not trained (registerBuffer). */
  _buffers = new Map<string, Tensor>();

  constructor() {
    scopeForwards(this);
  }

  /** The computation of this module. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subclass returns its own type; `any` lets `model.call(x)` be used as that
  abstract forward(...args: any[]): any;

  /** Run `forward` (the callable style): `model.call(x)` ≡ `model.forward(x)`, with parameter names set for the Tape panel. */
  call(...args: Parameters<this["forward"]>): ReturnType<this["forward"]> {
    this.namedParameters();
    return this.forward(...args);
  }

  /** Register a tensor that is part of the state (saved by stateDict) but not a parameter. */
  registerBuffer(name: string, t: Tensor): void {
    this._buffers.set(name, t);
  }

  /** The direct children: fields holding a Module, or arrays of Modules (named `field.i`). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const key of Object.keys(this)) {
      if (key.startsWith("_") || RESERVED.has(key)) continue;
      const v = (this as Record<string, unknown>)[key];
      if (v instanceof Module) out.push([key, v]);
      else if (Array.isArray(v) && v.length > 0 && v.every((m) => m instanceof Module)) v.forEach((m, i) => out.push([`${key}.${i}`, m]));
    }
    return out;
  }

  /** The direct children. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all below it, with dotted names ("" for this one). */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    const seen = new Set<Module>([this]);
    for (const [n, m] of this.namedChildren()) {
      for (const e of m.namedModules(prefix ? `${prefix}.${n}` : n)) {
        if (!seen.has(e[1])) {
          seen.add(e[1]);
          out.push(e);
        }
      }
    }
    return out;
  }

  /** This module and every module below it. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** @internal This module's own parameters: fields holding parameters. */
  _ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const key of Object.keys(this)) {
      if (key.startsWith("_") || RESERVED.has(key)) continue;
      const v = (this as Record<string, unknown>)[key];
      if (isParameter(v)) out.push([key, v]);
    }
    return out;
  }

  /**
   * Every parameter with its dotted name ("0.weight", "attn.q.bias"), each listed once. Also names
   * the tensors (`.name`) so the Tape panel shows them.
   */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, p] of m._ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        const full = prefix ? `${prefix}.${k}` : k;
        if (p.name === undefined || (full.endsWith(p.name) && full.length > p.name.length)) p.name = full;
        out.push([full, p]);
      }
    }
    return out;
  }

  /**
   * Every parameter (each once), in a stable order: what optimizers take.
   * @example const opt = optim.adam(model.parameters(), { lr: 1e-2 });
   */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) for (const [k, b] of m._buffers) out.push([prefix ? `${prefix}.${k}` : k, b]);
    return out;
  }

  /** The number of parameter elements (trainable or not). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Set training mode here and below (dropout on); returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Set evaluation mode here and below (dropout off); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Clear every parameter's `.grad` (set it to null, as PyTorch's default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Turn gradients on or off for every parameter (freeze a model with `requiresGrad_(false)`). */
  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad_(on);
    return this;
  }

  /**
   * A snapshot of the parameters and buffers by dotted name: copies, cut from the tape, so later
   * training does not change them.
   * @example const best = model.stateDict(); … model.loadStateDict(best);
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    noGrad(() => {
      for (const [n, p] of [...this.namedParameters(), ...this.namedBuffers()]) out[n] = p.detach().clone();
    });
    return out;
  }

  /**
   * Copy values into the parameters and buffers (in place: optimizers keep working). With
   * `strict` (default), missing and unexpected names are errors; shapes must always match.
   */
  loadStateDict(state: StateDict, opts: { strict?: boolean } = {}): { missing: string[]; unexpected: string[] } {
    const strict = opts.strict ?? true;
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    const missing = [...own.keys()].filter((k) => !(k in state));
    const unexpected = Object.keys(state).filter((k) => !own.has(k));
    if (strict && (missing.length || unexpected.length)) {
      const parts: string[] = [];
      if (missing.length) parts.push(`missing: ${missing.join(", ")}`);
      if (unexpected.length) parts.push(`unexpected: ${unexpected.join(", ")}`);
      throw new WebgradError("loadStateDict", `the state does not match the module (${parts.join("; ")}); pass { strict: false } to load the names that match`);
    }
    for (const [k, t] of own) {
      const src = state[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) throw new TypeError(`loadStateDict: ${k} must be a Tensor`);
      if (!shapeEqual(src.shape, t.shape))
        throw new ShapeError("loadStateDict", `${k}: the state has shape ${fmtShape(src.shape)}, the module expects ${fmtShape(t.shape)}`);
    }
    noGrad(() => {
      for (const [k, t] of own) if (state[k] !== undefined) t.copy_(state[k]);
    });
    return { missing, unexpected };
  }

  /**
   * Convert parameters and buffers to a dtype ("float64" for gradient checks) or move them to a
   * backend, replacing them (do this before creating an optimizer); returns this.
   */
  to(target: string): this {
    for (const m of this.modules()) {
      for (const [k, p] of m._ownParameters()) {
        if (p.dtype === target || p.device === target) continue;
        const np = parameter(
          noGrad(() => p.to(target).detach()),
          p.requiresGrad,
        );
        np.name = p.name;
        (m as unknown as Record<string, unknown>)[k] = np;
      }
      for (const [k, b] of m._buffers)
        m._buffers.set(
          k,
          noGrad(() => b.to(target)),
        );
    }
    return this;
  }

  /** Convert to float64 (CPU): `to("float64")`. */
  double(): this {
    return this.to("float64");
  }

  /** Convert to float16 (half the memory; values rounded to 11 significant bits): `to("float16")`. */
  half(): this {
    return this.to("float16");
  }

  /** Extra text inside this module's printed form (layer sizes). */
  extraRepr(): string {
    return "";
  }

  /** The printed form, PyTorch-like: the tree of modules. */
  toString(): string {
    const kids = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (kids.length === 0) return `${head})`;
    const lines = kids.map(([n, m]) => `  (${n}): ${m.toString().split("\n").join("\n  ")}`);
    return `${head}\n${lines.join("\n")}\n)`;
  }
}
