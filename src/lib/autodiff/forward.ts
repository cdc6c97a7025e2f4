/**
 * True forward mode: a JVP tracer carries a primal and a tangent side by side, and every op's jvp
 * rule pushes tangents forward as the primal is computed. Tangents are never derived from reverse mode.
 */
import { isFloat } from "../tensor/dtype";
import { shapeEqual } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import type { Backend } from "../backend/backend";
import { apply, Trace, enterTrace, exitTrace } from "../ops/dispatch";
import type { AbstractValue, Attrs, OpDef } from "../ops/registry";
import { WebgradError } from "../errors";
import * as F from "../ops/functional";

/** A tensor inside `jvp`: its primal value and its tangent (null = zero). */
export class JVPTracer extends Tensor {
  constructor(
    trace: JVPTrace,
    /** The value. */
    readonly primal: Tensor,
    /** The directional derivative; null stands for zeros. */
    readonly tangent: Tensor | null,
  ) {
    super(primal.shape, primal.dtype, null, trace);
  }
  override _concreteValue(): Tensor | null {
    return this.primal._concreteValue();
  }
  override _backendOf(): Backend | null {
    return this.primal._backendOf();
  }
}

/** The forward-mode interpreter for one `jvp` call. */
export class JVPTrace extends Trace {
  constructor(level: number) {
    super(level, "jvp");
  }
  override process(op: OpDef, inputs: readonly Tensor[], attrs: Attrs, out: AbstractValue): Tensor {
    const primals = inputs.map((t) => (t._trace === this ? (t as JVPTracer).primal : t));
    const tangents = inputs.map((t) => (t._trace === this ? (t as JVPTracer).tangent : null));
    const primalOut = apply(op, primals, attrs);
    if (!isFloat(out.dtype)) return primalOut;
    if (op.jvp === undefined) throw new WebgradError(op.name, "has no forward-mode (jvp) rule");
    let tangent = tangents.every((t) => t === null) ? null : op.jvp(tangents, { inputs: primals, output: primalOut, attrs });
    if (tangent !== null) {
      if (!shapeEqual(tangent.shape, out.shape)) tangent = F.broadcastTo(tangent, out.shape as number[]);
      if (tangent.dtype !== out.dtype) tangent = F.cast(tangent, out.dtype);
    }
    return new JVPTracer(this, primalOut, tangent);
  }
}

/** Run `fn` with a fresh JVP trace; the trace dies when fn returns. */
export function withJvpTrace<T>(fn: (trace: JVPTrace) => T): T {
  const trace = enterTrace((level) => new JVPTrace(level));
  try {
    return fn(trace);
  } finally {
    exitTrace(trace);
  }
}
