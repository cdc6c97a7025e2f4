/**
 * Interpreters, as in JAX's autodidax: every op goes through `apply` → `bind`, which hands it to
 * the innermost active interpreter among its inputs. Eager evaluation is the base interpreter
 * (level 0); forward mode (jvp) and graph tracing (jit) are interpreters stacked above it.
 * Reverse mode is not an interpreter: `apply` records a tape node whenever an input requires grad,
 * at whatever level the op runs, which is what lets grad, jvp and jit nest in any order.
 */
import { isGradEnabled } from "./gradmode";
import { ShapeError, WebgradError } from "../errors";
import { getDefaultBackend } from "../backend/registry";
import { Tensor } from "../tensor/tensor";
import { isFloat } from "../tensor/dtype";
import { broadcastView, fmtShape } from "../tensor/shape";
import { fmtValue } from "../tensor/validate";
import type { AbstractValue, Attrs, OpDef } from "./registry";

/** An interpreter of ops. Tensors whose `_trace` is this trace are its values. */
export abstract class Trace {
  /** False once the transform that owns this trace has returned: its tracers must not be used. */
  alive = true;
  constructor(
    readonly level: number,
    /** Name for messages: "jvp", "jit", … */
    readonly kind: string,
  ) {}
  /** Run `op` on `inputs` (some of them this trace's tracers) and return its output. */
  abstract process(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, out: AbstractValue): Tensor;
  /**
   * An in-place write `dst ← src` (src already cast and broadcast-checked). Interpreters that do
   * not define it refuse in-place ops.
   */
  assign?(dst: Tensor, src: Tensor, refuseWhen?: RunTimeRefusal): void;
}

/**
 * An in-place write's refusal that holds only at run time: in a traced program, a tensor that
 * eager mode would have require grad only after one branch of a cond (`flag`, a traced boolean).
 */
export interface RunTimeRefusal {
  readonly flag: Tensor;
  readonly op: string;
  readonly message: string;
}

/** Eager evaluation on concrete tensors: calls the backend's kernel. */
class EvalTrace extends Trace {
  constructor() {
    super(0, "eager");
  }
  process(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, out: AbstractValue): Tensor {
    const views = inputs.map((t) => t._concrete(op.name));
    const backend = views.length > 0 ? views[0].storage.backend : getDefaultBackend();
    for (let i = 1; i < views.length; i++) {
      if (views[i].storage.backend !== backend) {
        throw new WebgradError(op.name, `inputs live on different backends (${backend?.name} and ${views[i].storage.backend.name}); move one with .to()`);
      }
    }
    if (op.view) {
      const v = views[0];
      const r = op.view(v, attrs, out);
      if (r !== null)
        return Tensor._fromView({ storage: v.storage, shape: out.shape, strides: r.strides, offset: r.offset, dtype: out.dtype }, inputs[0]._version);
    }
    const kernelInputs = op.broadcast ? views.map((v) => broadcastView(v, out.shape)) : views;
    const storage = backend.exec(op.name, kernelInputs, attrs, out);
    return Tensor._fromStorage(storage, out.shape, out.dtype);
  }
}

/**
 * @internal Records an op on the reverse-mode tape: autodiff/tape.ts installs its recorder when it
 * loads (reverse mode sits above the ops and reads them, so the ops cannot import it).
 */
export const tapeRecorder: { record: ((op: OpDef, inputs: readonly Tensor[], attrs: Attrs, output: Tensor) => void) | null } = { record: null };

/** The base interpreter. */
export const evalTrace: Trace = new EvalTrace();

let traceDepth = 0;

/** Start a transform's interpreter one level above every active one. */
export function enterTrace<T extends Trace>(make: (level: number) => T): T {
  return make(++traceDepth);
}

/** End a transform's interpreter: its tracers can no longer be used. */
export function exitTrace(trace: Trace): void {
  trace.alive = false;
  traceDepth = trace.level - 1;
}

/**
 * The interpreter every op sees even when none of its inputs is a tracer (JAX's "omnistaging"):
 * while `jit` traces, creation ops and in-place writes on concrete tensors must be staged into
 * the graph, not run once at trace time.
 */
let dynamicTrace: Trace = evalTrace;

/** Run `fn` with `trace` as the dynamic interpreter. */
export function withDynamicTrace<T>(trace: Trace, fn: () => T): T {
  const prev = dynamicTrace;
  dynamicTrace = trace;
  try {
    return fn();
  } finally {
    dynamicTrace = prev;
  }
}

/** The innermost interpreter among these tensors and the dynamic one. */
export function topTrace(tensors: readonly (Tensor | null)[]): Trace {
  let trace = dynamicTrace;
  for (const t of tensors) {
    const tr = t?._trace ?? null;
    if (tr !== null && tr.level > trace.level) trace = tr;
  }
  return trace;
}

/** Hand `op` to the innermost interpreter among its inputs. */
export function bind(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, out: AbstractValue): Tensor {
  const trace = topTrace(inputs);
  if (!trace.alive) {
    throw new WebgradError(
      op.name,
      `a tensor traced inside ${trace.kind} was used after ${trace.kind} returned; return it from the function instead of storing it outside`,
    );
  }
  return trace.process(op, inputs, attrs, out);
}

/**
 * Apply a primitive: check shapes and dtypes, run it in the right interpreter, and record it on the
 * tape when an input requires grad. Every op in webgrad ends here.
 */
export function apply(op: OpDef, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
  const out = op.infer(inputs, attrs);
  // A safety net under the functional layer's checks: a negative or fractional size would make
  // the kernels' index walks loop forever or read garbage.
  for (const d of out.shape) {
    if (!(Number.isSafeInteger(d) && d >= 0))
      throw new ShapeError(
        op.name,
        `the output shape ${fmtShape(out.shape)} is not made of non-negative integers: an argument is out of range (attributes ${fmtValue(attrs).slice(0, 200)})`,
      );
  }
  const result = bind(op, inputs, attrs, out);
  const record = tapeRecorder.record;
  if (op.vjp !== undefined && record !== null && isGradEnabled() && isFloat(out.dtype)) {
    for (const [i, t] of inputs.entries()) {
      if (t.requiresGrad && (op.gradInputs?.includes(i) ?? true)) {
        record(op, inputs, attrs, result);
        // The node may save any of them for backward: no `tidy` scope may dispose them.
        for (const u of inputs) u._pinned = true;
        result._pinned = true;
        break;
      }
    }
  }
  return result;
}
