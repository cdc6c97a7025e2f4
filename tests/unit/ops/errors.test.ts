/**
 * Errors speak the user's language: each names the op, the shapes (or dtypes) involved, and the
 * rule broken. Every assertion checks the error class, its `op`, and the text.
 */
import { describe, expect, it } from "vitest";
import * as W from "webgrad";
import { AutogradError, DTypeError, ShapeError, WebgradError, tensor, zeros, ones, type Tensor } from "webgrad";

type ErrorClass = typeof WebgradError | typeof ShapeError | typeof DTypeError | typeof AutogradError;

/** Run `fn`, expect an error of `cls` from `op` whose message contains every fragment. */
function expectError(fn: () => unknown, cls: ErrorClass, op: string, ...fragments: string[]): WebgradError {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${cls.name} from ${op}`).toBeInstanceOf(cls);
  const err = caught as WebgradError;
  expect(err.op).toBe(op);
  expect(err.message.startsWith(`${op}: `), err.message).toBe(true);
  for (const f of fragments) expect(err.message).toContain(f);
  return err;
}

const f64 = (data: W.NestedArray, requiresGrad = false) => tensor(data, { dtype: "float64", requiresGrad });

describe("shape errors name the op and the shapes", () => {
  it("broadcasting, in every elementwise family", () => {
    const a = zeros([2, 3]),
      b = zeros([4]);
    expectError(() => a.add(b), ShapeError, "add", "[2, 3]", "[4]", "cannot be broadcast", "dimension -1");
    expectError(() => a.mul(zeros([3, 3])), ShapeError, "mul", "[2, 3]", "[3, 3]", "dimension -2");
    expectError(() => a.lt(b), ShapeError, "lt", "[2, 3]", "[4]");
    expectError(() => W.where(zeros([2, 1]).gt(0), a, zeros([5])), ShapeError, "where", "[2, 1]", "[2, 3]", "[5]");
    expectError(() => zeros([0]).add(zeros([2])), ShapeError, "add", "[0]", "[2]");
    expectError(() => a.expand(4, 3), ShapeError, "expand", "[2, 3]", "[4, 3]");
    expectError(() => a.copy_(zeros([3, 2])), ShapeError, "copy_", "[3, 2]", "[2, 3]");
  });
  it("matmul", () => {
    expectError(() => zeros([2, 3]).matmul(zeros([4, 5])), ShapeError, "matmul", "[2, 3]", "[4, 5]", "3 ≠ 4");
    expectError(() => zeros([2, 2, 3]).matmul(zeros([3, 3, 1])), ShapeError, "matmul", "[2]", "[3]");
    expectError(() => W.matmul(tensor(1), zeros([2])), ShapeError, "matmul", "[]", "[2]");
    expectError(() => zeros([3]).matmul(zeros([4])), ShapeError, "matmul", "3 ≠ 4");
  });
  it("movement", () => {
    const x = zeros([2, 3]);
    expectError(() => x.reshape(4, 2), ShapeError, "reshape", "[2, 3]", "[4, 2]");
    expectError(() => x.reshape(-1, -1), ShapeError, "reshape", "only one dimension can be −1");
    expectError(() => x.permute(0, 0), ShapeError, "permute", "repeat");
    expectError(() => x.permute(0), ShapeError, "permute", "[2, 3]");
    expectError(() => x.squeeze(1), ShapeError, "squeeze", "dimension 1 has size 3", "[2, 3]");
    expectError(() => x.slice(5), ShapeError, "slice", "index 5", "size 2", "[2, 3]");
    expectError(() => x.slice([0, 2, 0]), ShapeError, "slice", "step");
    expectError(() => W.concat([x, zeros([3, 3])], 1), ShapeError, "concat", "[2, 3]", "[3, 3]", "axis 1");
    expectError(() => W.concat([]), ShapeError, "concat", "non-empty");
    expectError(() => W.stack([x, zeros([3, 2])]), ShapeError, "stack", "[2, 3]", "[3, 2]");
    expectError(() => W.split(x, [1, 2], 0), ShapeError, "split", "[1,2]", "size 2");
    expectError(
      () =>
        W.pad(x, [
          [1, 2],
          [0, 0],
          [1, 1],
        ]),
      ShapeError,
      "pad",
      "rank 2",
    );
    expectError(() => W.pad(x, [[-1, 0]]), ShapeError, "pad", "non-negative");
    expectError(() => x.narrow(1, 2, 2), ShapeError, "narrow", "size 3");
    expectError(() => x.sum(2), ShapeError, "sum", "axis 2", "rank 2");
    expectError(() => x.sum([0, -2]), ShapeError, "sum", "repeated axis");
    expectError(() => x.flip(3), ShapeError, "flip", "axis 3");
    expectError(() => W.triu(zeros([3])), ShapeError, "triu", "at least 2 dimensions", "[3]");
    expectError(() => W.softmax(x, 2), ShapeError, "softmax", "axis 2");
  });
  it("primitives validate their attributes when applied directly (graph mode builds them)", async () => {
    const { apply } = await import("../../../src/lib/ops/dispatch");
    const { getOp } = await import("../../../src/lib/ops/registry");
    const x = zeros([2, 3]);
    expectError(() => apply(getOp("permute"), [x], { axes: [0, 0] }), ShapeError, "permute", "[0,0]", "[2, 3]");
    expectError(() => apply(getOp("expand"), [x], { shape: [2, 4] }), ShapeError, "expand", "[2, 3]", "[2, 4]");
    expectError(() => apply(getOp("sum"), [tensor(1)], { axes: [0], keepdims: false }), ShapeError, "sum", "axis 0", "[]");
    expectError(() => apply(getOp("cumsum"), [x], { axis: 2 }), ShapeError, "cumsum", "axis 2", "[2, 3]");
    expectError(() => apply(getOp("slice"), [x], { starts: [0, 1], stops: [2, 5], steps: [1, 1] }), ShapeError, "slice", "size 3");
    expectError(() => apply(getOp("concat"), [x, x], { axis: 2 }), ShapeError, "concat", "axis 2");
  });
  it("indexing", () => {
    const x = zeros([3, 4]);
    const i = tensor([[0, 5]], { dtype: "int32" });
    expectError(() => x.gather(1, i), WebgradError, "gather", "index 5", "size 4", "[3, 4]");
    expectError(() => x.gather(1, tensor([0, 1], { dtype: "int32" })), ShapeError, "gather", "rank", "[2]", "[3, 4]");
    expectError(() => x.indexSelect(0, tensor([[0]], { dtype: "int32" })), ShapeError, "indexSelect", "1-D", "[1, 1]");
    expectError(() => x.scatterAdd(0, tensor([[7]], { dtype: "int32" }), ones([1, 1])), WebgradError, "scatterAdd", "index 7", "size 3");
  });
  it("convolution and pooling", () => {
    const x = zeros([1, 4, 5, 5]);
    expectError(() => W.conv2d(x, zeros([6, 3, 3, 3])), ShapeError, "conv2d", "4 channels", "[6, 3, 3, 3]", "3 × groups 1");
    expectError(() => W.conv2d(x, zeros([6, 2, 3, 3]), null, { groups: 3 }), ShapeError, "conv2d", "divisible by groups = 3", "[1, 4, 5, 5]");
    expectError(() => W.conv2d(x, zeros([5, 2, 3, 3]), null, { groups: 2 }), ShapeError, "conv2d", "divisible by groups = 2", "[5, 2, 3, 3]");
    expectError(() => W.conv2d(x, zeros([2, 4, 7, 3])), ShapeError, "conv2d", "7×3 kernel", "larger than the padded input 5×5", "[1, 4, 5, 5]");
    expectError(() => W.conv2d(x, zeros([2, 4, 3, 3]), null, { dilation: 3 }), ShapeError, "conv2d", "dilated to 7×7");
    expectError(() => W.conv2d(x, zeros([2, 4, 3])), ShapeError, "conv2d", "weight must be 4-D", "[2, 4, 3]");
    expectError(() => W.conv2d(x, zeros([2, 4, 3, 3]), zeros([3])), ShapeError, "conv2d", "bias must have shape [2]", "[3]");
    expectError(() => W.conv2d(zeros([4, 5]), zeros([2, 4, 3, 3])), ShapeError, "conv2d", "4-D input", "[4, 5]");
    expectError(() => W.maxPool2d(x, 2, { padding: 2 }), ShapeError, "maxPool2d", "at most half the kernel");
    expectError(() => W.maxPool2d(x, 6), ShapeError, "maxPool2d", "6×6 kernel", "5×5");
    expectError(() => W.avgPool2d(x, 2, { stride: 0 }), ShapeError, "avgPool2d", "stride must be positive integers, got 0×0");
    expectError(() => W.unfold(zeros([2, 3]), 2), ShapeError, "unfold", "4-D", "[2, 3]");
    expectError(() => W.fold(zeros([1, 8, 5]), [3, 3], 2), ShapeError, "fold", "[1, 8, 5]", "5 window positions", "2×2 = 4");
    expectError(() => W.fold(zeros([1, 7, 4]), [3, 3], 2), ShapeError, "fold", "multiple of", "2×2 = 4");
  });
  it("reductions over an empty dimension without an identity", () => {
    expectError(() => zeros([0, 3]).max(0), ShapeError, "max", "empty dimension", "[0, 3]");
    expectError(() => zeros([2, 0]).min(), ShapeError, "min", "empty dimension", "[2, 0]");
    expectError(() => zeros([0]).argmax(), ShapeError, "argmax", "empty dimension", "[0]");
    expectError(() => W.maxPool2d(zeros([1, 1, 0, 0]), 1), ShapeError, "maxPool2d", "larger than the padded input 0×0");
  });
});

describe("dtype errors", () => {
  it("name the op and the dtype", () => {
    const b = tensor([true, false]);
    expectError(() => W.matmul(b, b), DTypeError, "matmul", "bool");
    expectError(() => W.oneHot(tensor([0.5]), 3), DTypeError, "oneHot", "int32", "float32");
    expectError(() => zeros([2]).gather(0, tensor([0])), DTypeError, "gather", "int32", "float32");
    expectError(() => zeros([2]).scatterAdd(0, tensor([0]), ones([1])), DTypeError, "scatterAdd", "int32");
    expectError(() => tensor([1, 2], { dtype: "int32" }).requiresGrad_(), AutogradError, "requiresGrad_", "int32");
    expectError(() => W.maxPool2d(zeros([1, 1, 2, 2]).gt(0), 2), DTypeError, "maxPool2d", "bool");
    expectError(() => W.unfold(zeros([1, 1, 2, 2]).gt(0), 2), DTypeError, "unfold", "bool");
  });
  it("primitives refuse mixed dtypes (the functional layer promotes first)", async () => {
    const { apply } = await import("../../../src/lib/ops/dispatch");
    const { getOp } = await import("../../../src/lib/ops/registry");
    expectError(() => apply(getOp("add"), [zeros([2]), zeros([2], { dtype: "int32" })]), DTypeError, "add", "float32 and int32");
    expectError(() => apply(getOp("exp"), [zeros([2], { dtype: "int32" })]), DTypeError, "exp", "int32", "[2]");
    expectError(() => apply(getOp("logicalAnd"), [zeros([2]), zeros([2])]), DTypeError, "logicalAnd", "bool");
    expectError(() => apply(getOp("where"), [zeros([2]), zeros([2]), zeros([2])]), DTypeError, "where", "condition must be bool");
  });
});

describe("autodiff misuse", () => {
  it("backward of a non-scalar needs a seed", () => {
    const x = f64([1, 2, 3], true);
    expectError(() => x.mul(2).backward(), AutogradError, "backward", "seed", "non-scalar", "[3]");
    expectError(() => x.mul(2).backward(ones([2], { dtype: "float64" })), AutogradError, "backward", "[2]", "[3]");
    expectError(() => tensor([1, 2]).sum().backward(), AutogradError, "backward", "does not require grad");
  });
  it("backward twice without retainGraph names the op whose saved tensors were freed", () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(x).sum();
    y.backward();
    // the last op recorded is the first one backward reaches again
    expectError(() => y.backward(), AutogradError, "sum", "second time", "retainGraph");
    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    const g = x.grad!.dataSync();
    [1, 2, 3].forEach((v, i) => expect(g[i]).toBeCloseTo(2 * v + 2 * Math.exp(v), 12));
  });
  it("an in-place change of a saved tensor is caught at backward (version counter)", () => {
    const w = f64(
      [
        [1, 2],
        [3, 4],
      ],
      true,
    );
    const a = f64([
      [1, 0],
      [0, 1],
    ]);
    const y = a.matmul(w).sum();
    a.add_(1);
    expectError(() => y.backward(), AutogradError, "matmul", "[2, 2]", "changed in place", "version 0 → 1");
    // a change through a view bumps the shared counter too
    const b = f64([1, 2, 3]);
    const z = w.sum().mul(b).sum();
    b.slice([0, 1]).mul_(5);
    expectError(() => z.backward(), AutogradError, "mul", "[3]", "changed in place");
  });
  it("an in-place change of a saved output is caught too (exp, tanh, sigmoid … read their output)", () => {
    const x = f64([1, 2], true);
    const y = x.exp();
    W.noGrad(() => y.mul_(2));
    expectError(() => y.sum().backward(), AutogradError, "exp", "output of shape [2]", "changed in place", "version 0 → 1");
    const z = x.tanh();
    const s = z.sum();
    W.noGrad(() => z.flip(0).slice(0).fill_(0)); // through a view
    expectError(() => s.backward(), AutogradError, "tanh", "output", "changed in place");
  });
  it("in-place on a leaf that requires grad outside noGrad", () => {
    const w = f64([1, 2], true);
    expectError(() => w.add_(1), AutogradError, "copy_", "leaf", "noGrad");
  });
  it("transforms check their inputs and outputs", () => {
    const x = f64([1, 2]);
    expectError(() => W.grad((v: Tensor) => v.mul(2))(x), AutogradError, "grad", "scalar", "[2]");
    expectError(() => W.grad((v: Tensor) => v.sum())(tensor([1, 2], { dtype: "int32" })), AutogradError, "grad", "float", "int32");
    expectError(() => W.grad((v: Tensor) => v.sum(), { argnums: 2 })(x), AutogradError, "grad", "argnums 2");
    expectError(() => W.jvp((v: Tensor) => v, [x], [f64([1, 2, 3])]), ShapeError, "jvp", "[3]", "[2]");
    const [, pull] = W.vjp((v: Tensor) => v.mul(2), x);
    expectError(() => pull(f64([1])), ShapeError, "vjp", "[1]", "[2]");
    let leaked: Tensor | null = null;
    W.jvp((v: Tensor) => (leaked = v.mul(2)), [x], [f64([1, 1])]);
    expectError(() => leaked!.add(1), WebgradError, "add", "after jvp returned");
  });
});
