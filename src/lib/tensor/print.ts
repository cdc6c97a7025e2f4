/** PyTorch-like printing of tensor values. */
import type { DType, TypedArray } from "./dtype";

const EDGE = 3; // elements shown at each end of a summarized dimension
const SUMMARIZE_ABOVE = 1000;

/**
 * Format values as `tensor([[1.0000, 2.0000], …])`, summarizing large tensors with `...`.
 * `gradFn` adds PyTorch's `grad_fn=<op>` (or `requires_grad=True` for a leaf).
 */
export function formatTensor(values: TypedArray, shape: readonly number[], dtype: DType, gradFn?: string): string {
  const summarize = values.length > SUMMARIZE_ABOVE;
  const fmt = numberFormatter(values, dtype);
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const indent = "tensor(".length;
  const rec = (dim: number, off: number): string => {
    if (dim === shape.length) return fmt(values[off]);
    const n = shape[dim];
    const idx: (number | null)[] = [];
    if (summarize && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    const parts = idx.map((i) => (i === null ? "..." : rec(dim + 1, off + i * strides[dim])));
    if (dim === shape.length - 1) return `[${parts.join(", ")}]`;
    const sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? fmt(values[0]) : rec(0, 0);
  const extras: string[] = [];
  if (values.length === 0) extras.push(`size=[${shape.join(", ")}]`);
  if (dtype !== "float32" && dtype !== "int32" && dtype !== "bool") extras.push(`dtype=${dtype}`);
  if (gradFn === "leaf") extras.push("requires_grad=True");
  else if (gradFn) extras.push(`grad_fn=<${gradFn}>`);
  return `tensor(${body}${extras.map((e) => ", " + e).join("")})`;
}

function numberFormatter(values: TypedArray, dtype: DType): (x: number) => string {
  if (dtype === "bool") return (x) => (x ? " True" : "False");
  if (dtype === "int32") {
    let w = 1;
    for (let i = 0; i < values.length; i++) w = Math.max(w, String(values[i]).length);
    return (x) => String(x).padStart(w);
  }
  let maxAbs = 0,
    allInt = true,
    finite = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      finite = false;
      continue;
    }
    maxAbs = Math.max(maxAbs, Math.abs(v));
    if (!Number.isInteger(v)) allInt = false;
  }
  const sci = finite && maxAbs !== 0 && (maxAbs >= 1e8 || maxAbs < 1e-4);
  const raw = (x: number): string => {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (sci) return x.toExponential(4);
    if (allInt) return x.toFixed(0) + ".";
    return x.toFixed(4);
  };
  let w = 1;
  for (let i = 0; i < values.length; i++) w = Math.max(w, raw(values[i]).length);
  return (x) => raw(x).padStart(w);
}
