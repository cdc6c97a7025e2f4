/**
 * Every op's forward against values computed independently by NumPy/SciPy (tests/golden/generate.py).
 * Inputs may be non-contiguous views (transposed, strided, flipped, expanded), 0-d, empty, int32, bool.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import * as W from "webgrad";
import { allOps } from "webgrad";
import { buildInput, decode, expectClose, TOL, type JsonInput, type JsonValue } from "./helpers";
import { convOpts, PRIMITIVE_CALLERS, reduction, type Caller, type Elsewhere } from "./golden-callers";

interface JsonOut {
  shape: number[];
  dtype: W.DType;
  data: JsonValue[];
}
/* eslint-disable @typescript-eslint/no-explicit-any -- a case's `kw` is untyped JSON (tests/golden/generate.py)
   handed on to whichever op the case names. */
interface GoldenCase {
  id: string;
  fn: string;
  inputs: JsonInput[];
  kw: Record<string, any>;
  out?: JsonOut;
  outs?: JsonOut[];
  tol?: { rtol: number; atol: number };
}

const golden: { cases: GoldenCase[] } = JSON.parse(readFileSync(new URL("../../golden/ops.json", import.meta.url), "utf8"));

/** How each golden `fn` is called through the public API: the primitives', and composites'. */
const CALLERS: Record<string, Caller> = {
  ...(Object.fromEntries(Object.entries(PRIMITIVE_CALLERS).filter(([, c]) => typeof c === "function")) as Record<string, Caller>),
  mean: reduction(W.mean),
  logsumexp: reduction(W.logsumexp),
  var: ([x], kw) => W.var(x, kw.axis, kw.keepdims ?? false, kw.correction ?? 1),
  std: ([x], kw) => W.std(x, kw.axis, kw.keepdims ?? false, kw.correction ?? 1),
  transpose: ([x], kw) => W.transpose(x, kw.dim0, kw.dim1),
  stack: (xs, kw) => W.stack(xs, kw.axis),
  split: ([x], kw) => W.split(x, kw.size, kw.axis),
  flip: ([x], kw) => W.flip(x, kw.axes),
  squeeze: ([x], kw) => W.squeeze(x, kw.axis),
  unsqueeze: ([x], kw) => W.unsqueeze(x, kw.axis),
  triu: ([x], kw) => W.triu(x, kw.k),
  tril: ([x], kw) => W.tril(x, kw.k),
  oneHot: ([x], kw) => W.oneHot(x, kw.numClasses),
  indexSelect: ([x, i], kw) => W.indexSelect(x, kw.axis, i),
  conv2d: ([x, w, b], kw) => W.conv2d(x, w, b, convOpts(kw)),
  maxPool2d: ([x], kw) => W.maxPool2d(x, kw.kernel, convOpts(kw)),
  avgPool2d: ([x], kw) => W.avgPool2d(x, kw.kernel, convOpts(kw)),
};

describe("golden values (NumPy/SciPy)", () => {
  it("has a caller for every golden fn, and golden cases for every primitive", () => {
    const fns = new Set(golden.cases.map((c) => c.fn));
    for (const fn of fns) expect(CALLERS[fn], `no caller for golden fn ${fn}`).toBeDefined();
    const byOp: Readonly<Record<string, Caller | Elsewhere | undefined>> = PRIMITIVE_CALLERS;
    const missing = allOps()
      .map((op) => op.name)
      .filter((n) => !fns.has(n) && typeof byOp[n] !== "object");
    expect(missing, "primitives without golden cases: add them to tests/golden/generate.py").toEqual([]);
  });

  for (const c of golden.cases) {
    it(c.id, () => {
      const xs = c.inputs.map(buildInput);
      const result = CALLERS[c.fn](xs, c.kw);
      const outs = c.outs ?? [c.out!];
      const got = Array.isArray(result) ? result : [result];
      expect(got.length, `${c.id}: number of outputs`).toBe(outs.length);
      outs.forEach((o, i) => expectClose(got[i], o.shape, o.dtype, o.data.map(decode), `${c.id}${outs.length > 1 ? `[${i}]` : ""}`, c.tol ?? TOL[o.dtype]));
    });
  }
});
