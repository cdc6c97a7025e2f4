/**
 * Bad input never gives a silent answer or a hang: every creation function and every op that
 * takes sizes, indices or dtype names refuses bad values with a WebgradError naming the op and
 * the value. Each case runs under a watchdog (vm's timeout interrupts synchronous loops), so a
 * regression that hangs fails here instead of stalling the suite.
 */
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import * as W from "webgrad";
import { AutogradError, DTypeError, IndexError, OutOfMemoryError, ShapeError, WebgradError, nn, tensor, zeros, ones, arange, eye } from "webgrad";

type ErrorClass = new (...args: never[]) => WebgradError;

/** Run `fn` synchronously, failing (not hanging) when it runs longer than `ms`. */
function withinTime<T>(fn: () => T, ms = 5000): T {
  return runInNewContext("run()", { run: fn }, { timeout: ms }) as T;
}

/** What `fn` throws (within the time limit), or a failure naming the value it returned instead. */
function thrownBy(fn: () => unknown): unknown {
  let value: unknown;
  try {
    value = withinTime(fn);
  } catch (e) {
    return e;
  }
  const shown = value instanceof W.Tensor ? `a tensor of shape [${value.shape.join(", ")}]` : String(value);
  throw new Error(`expected an error, got ${shown} (a silent answer)`);
}

const i32 = (data: W.NestedArray) => tensor(data, { dtype: "int32" });
const logits = () =>
  tensor([
    [1, 2, 3],
    [0, 0, 1],
  ]);

/** input program → expected error class, op and message fragments. */
const CASES: [program: string, fn: () => unknown, cls: ErrorClass, op: string, fragments: string[]][] = [
  // ---------------------------------------------------------------- creation: sizes
  ["eye(-2)", () => eye(-2), ShapeError, "eye", ["n must be a non-negative integer, got -2"]],
  ["eye(-2).add(1)", () => eye(-2).add(1), ShapeError, "eye", ["got -2"]],
  ["eye(2.5)", () => eye(2.5), ShapeError, "eye", ["n must be a non-negative integer, got 2.5"]],
  ["eye(3, -1)", () => eye(3, -1), ShapeError, "eye", ["m must be a non-negative integer, got -1"]],
  ["eye(NaN)", () => eye(NaN), ShapeError, "eye", ["got NaN"]],
  ["arange(0, NaN)", () => arange(0, NaN), ShapeError, "arange", ["end must be a finite number, got NaN"]],
  ["arange(NaN)", () => arange(NaN), ShapeError, "arange", ["end must be a finite number, got NaN"]],
  ["arange(0, Infinity)", () => arange(0, Infinity), ShapeError, "arange", ["end must be a finite number, got Infinity"]],
  ["arange(0, 5, NaN)", () => arange(0, 5, NaN), ShapeError, "arange", ["step must be a finite number, got NaN"]],
  ["arange(0, 5, 0)", () => arange(0, 5, 0), ShapeError, "arange", ["step must not be 0"]],
  ["linspace(0, 1, -1)", () => W.linspace(0, 1, -1), ShapeError, "linspace", ["num must be a non-negative integer, got -1"]],
  ["linspace(0, 1, 2.5)", () => W.linspace(0, 1, 2.5), ShapeError, "linspace", ["got 2.5"]],
  ["linspace(0, NaN, 3)", () => W.linspace(0, NaN, 3), ShapeError, "linspace", ["end must be a finite number, got NaN"]],
  ["zeros([2, -3])", () => zeros([2, -3]), ShapeError, "zeros", ["non-negative integers", "dimension 1 is -3"]],
  ["zeros([2.5])", () => zeros([2.5]), ShapeError, "zeros", ["dimension 0 is 2.5"]],
  ["ones([NaN])", () => ones([NaN]), ShapeError, "ones", ["dimension 0 is NaN"]],
  ["zeros([2n])", () => zeros([2n] as never), ShapeError, "zeros", ["got [2n] (dimension 0 is 2n)"]],
  ["zeros(3)", () => zeros(3 as never), ShapeError, "zeros", ["shape must be an array", "got 3"]],
  ["full([-1], 7)", () => W.full([-1], 7), ShapeError, "full", ["dimension 0 is -1"]],
  ['full([2], "7")', () => W.full([2], "7" as never), WebgradError, "full", ['fill value must be a number or a boolean, got "7"']],
  ["rand([-1])", () => W.rand([-1]), ShapeError, "rand", ["dimension 0 is -1"]],
  ["randn([2.5, 2])", () => W.randn([2.5, 2]), ShapeError, "randn", ["dimension 0 is 2.5"]],
  ["rand([2], { seed: -1 })", () => W.rand([2], { seed: -1 }), ShapeError, "rand", ["seed must be a non-negative integer, got -1"]],
  ["randint(0, 10, [-2])", () => W.randint(0, 10, [-2]), ShapeError, "randint", ["dimension 0 is -2"]],
  ["randint(0, 2.5, [2])", () => W.randint(0, 2.5, [2]), ShapeError, "randint", ["integers low < high", "2.5"]],
  ["manualSeed(-1)", () => W.manualSeed(-1), ShapeError, "manualSeed", ["seed must be a non-negative integer, got -1"]],
  // ---------------------------------------------------------------- creation: data and shape
  ["tensor([1, 2, 3], { shape: [2, 2] })", () => tensor([1, 2, 3], { shape: [2, 2] }), ShapeError, "tensor", ["shape [2, 2] needs 4 elements, the data has 3"]],
  [
    "tensor([1, 2, 3, 4, 5], { shape: [2, 2] })",
    () => tensor([1, 2, 3, 4, 5], { shape: [2, 2] }),
    ShapeError,
    "tensor",
    ["shape [2, 2] needs 4 elements, the data has 5"],
  ],
  [
    "tensor(new Float32Array(3), { shape: [2, 2] })",
    () => tensor(new Float32Array(3), { shape: [2, 2] }),
    ShapeError,
    "tensor",
    ["needs 4 elements, the array has 3"],
  ],
  ["tensor([1, 2], { shape: [-1, -2] })", () => tensor([1, 2], { shape: [-1, -2] }), ShapeError, "tensor", ["dimension 0 is -1"]],
  ['tensor(["a"])', () => tensor(["a"] as never), WebgradError, "tensor", ["elements must be numbers or booleans", '"a"']],
  // ---------------------------------------------------------------- huge sizes
  [
    "zeros([1e6, 1e6])",
    () => zeros([1e6, 1e6]),
    OutOfMemoryError,
    "zeros",
    ["[1000000, 1000000] (float32)", "3.64 TiB", "4000000000000 bytes", "2.00 GiB limit"],
  ],
  ["arange(0, 1e12)", () => arange(0, 1e12), OutOfMemoryError, "arange", ["[1000000000000] (int32)", "3.64 TiB"]],
  ["eye(1e5)", () => eye(1e5), OutOfMemoryError, "eye", ["[100000, 100000] (float32)", "37.25 GiB"]],
  ["rand([1e6, 1e6])", () => W.rand([1e6, 1e6]), OutOfMemoryError, "rand", ["[1000000, 1000000]"]],
  ["linspace(0, 1, 1e12)", () => W.linspace(0, 1, 1e12), OutOfMemoryError, "linspace", ["[1000000000000]"]],
  ["full([1e5, 1e5], 1, { dtype: 'float64' })", () => W.full([1e5, 1e5], 1, { dtype: "float64" }), OutOfMemoryError, "full", ["(float64)", "74.51 GiB"]],
  ["zeros([1]).expand(1e6, 1e6).contiguous()", () => zeros([1]).expand(1e6, 1e6).contiguous(), OutOfMemoryError, "copy", ["[1000000, 1000000]"]],
  ["ones([1e5, 1]).mul(ones([1e5]))", () => ones([1e5, 1]).mul(ones([1e5])), OutOfMemoryError, "mul", ["[100000, 100000]", "37.25 GiB"]],
  // ---------------------------------------------------------------- dtype names
  ['x.cast("uint8")', () => zeros([2]).cast("uint8" as never), DTypeError, "cast", ['unknown dtype "uint8"', "bool, int32, float16, float32, float64"]],
  ['x.astype("float128")', () => zeros([2]).astype("float128" as never), DTypeError, "cast", ['unknown dtype "float128"']],
  ['x.to("uint8")', () => zeros([2]).to("uint8"), WebgradError, "to", ['unknown target "uint8"', "a dtype (bool, int32"]],
  ['x.to("webgpu") before initWebGPU()', () => zeros([2]).to("webgpu"), WebgradError, "backend", ['no backend named "webgpu"', "await initWebGPU()"]],
  ['zeros([2], { dtype: "int64" })', () => zeros([2], { dtype: "int64" as never }), DTypeError, "zeros", ['unknown dtype "int64"']],
  ['tensor([1, 2], { dtype: "uint8" })', () => tensor([1, 2], { dtype: "uint8" as never }), DTypeError, "tensor", ['unknown dtype "uint8"']],
  ['arange(3, undefined, 1, { dtype: "i32" })', () => arange(3, undefined, 1, { dtype: "i32" as never }), DTypeError, "arange", ['unknown dtype "i32"']],
  ['rand([2], { dtype: "float" })', () => W.rand([2], { dtype: "float" as never }), DTypeError, "rand", ['unknown dtype "float"']],
  // ---------------------------------------------------------------- ops taking sizes
  ["x.reshape(2.5, 2)", () => zeros([5]).reshape(2.5, 2), ShapeError, "reshape", ["integers ≥ −1", "2.5"]],
  ["x.expand(2.5, 3)", () => zeros([1, 3]).expand(2.5, 3), ShapeError, "expand", ["must be a non-negative integer, got 2.5"]],
  ["x.expand(-2, 3)", () => zeros([1, 3]).expand(-2, 3), ShapeError, "expand", ["got -2"]],
  ["x.slice([0.5, 2])", () => zeros([3, 4]).slice([0.5, 2]), ShapeError, "slice", ["dimension 0: start must be an integer, got 0.5"]],
  ["x.slice(null, [0, 1.5])", () => zeros([3, 4]).slice(null, [0, 1.5]), ShapeError, "slice", ["dimension 1: stop must be an integer, got 1.5"]],
  ["x.slice([NaN])", () => zeros([3, 4]).slice([NaN]), ShapeError, "slice", ["start must be an integer, got NaN"]],
  ["x.slice(0.5)", () => zeros([3, 4]).slice(0.5), ShapeError, "slice", ["dimension 0: index must be an integer, got 0.5"]],
  ["x.slice(-4)", () => zeros([3, 4]).slice(-4), ShapeError, "slice", ["index -4 is out of range for dimension 0 of size 3", "valid: -3 … 2"]],
  ["x.slice([0, 2, 1, 5])", () => zeros([3, 4]).slice([0, 2, 1, 5]), ShapeError, "slice", ["[start, stop, step]", "got [0, 2, 1, 5]"]],
  ['x.slice("1")', () => zeros([3, 4]).slice("1" as never), ShapeError, "slice", ['got "1"']],
  ["x.narrow(0, 0.5, 1)", () => zeros([3, 4]).narrow(0, 0.5, 1), ShapeError, "narrow", ["start must be an integer, got 0.5"]],
  ["x.narrow(0, NaN, 1)", () => zeros([3, 4]).narrow(0, NaN, 1), ShapeError, "narrow", ["start must be an integer, got NaN"]],
  ["x.narrow(1, 0, 1.5)", () => zeros([3, 4]).narrow(1, 0, 1.5), ShapeError, "narrow", ["length must be a non-negative integer, got 1.5"]],
  ["x.narrow(1, 3, 2)", () => zeros([3, 4]).narrow(1, 3, 2), ShapeError, "narrow", ["start 3 and length 2", "size 4"]],
  ["x.split(0)", () => zeros([4]).split(0), ShapeError, "split", ["size must be a positive integer, got 0"]],
  ["x.split([1.5, 2.5])", () => zeros([4]).split([1.5, 2.5]), ShapeError, "split", ["sizes[0] must be a non-negative integer, got 1.5"]],
  ["x.split([5, -1])", () => zeros([4]).split([5, -1]), ShapeError, "split", ["sizes[1] must be a non-negative integer, got -1"]],
  ["x.chunk(0)", () => zeros([4]).chunk(0), ShapeError, "chunk", ["chunks must be a positive integer, got 0"]],
  ["x.chunk(1.5)", () => zeros([4]).chunk(1.5), ShapeError, "chunk", ["chunks must be a non-negative integer, got 1.5"]],
  ["pad(x, [[0.5, 0]])", () => W.pad(zeros([3]), [[0.5, 0]]), ShapeError, "pad", ["non-negative integers", "[0.5,0]"]],
  ["x.triu(0.5)", () => zeros([2, 2]).triu(0.5), ShapeError, "triu", ["k must be an integer, got 0.5"]],
  ["x.unsqueeze(0.5)", () => zeros([2]).unsqueeze(0.5), ShapeError, "unsqueeze", ["axis 0.5 is out of range"]],
  ["x.transpose(0, 5)", () => zeros([2, 2]).transpose(0, 5), ShapeError, "transpose", ["axis 5 is out of range"]],
  ["oneHot(ids, 0)", () => W.oneHot(i32([0]), 0), ShapeError, "oneHot", ["numClasses must be a positive integer, got 0"]],
  ["oneHot(ids, 2.5)", () => W.oneHot(i32([0]), 2.5), ShapeError, "oneHot", ["got 2.5"]],
  [
    "conv2d(x, w, null, { stride: -1 })",
    () => W.conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 2, 2]), null, { stride: -1 }),
    ShapeError,
    "conv2d",
    ["stride must be positive integers, got -1×-1"],
  ],
  [
    "conv2d(x, w, null, { padding: -1 })",
    () => W.conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 2, 2]), null, { padding: -1 }),
    ShapeError,
    "conv2d",
    ["padding must be non-negative integers, got -1×-1"],
  ],
  [
    "conv2d(x, w, null, { groups: 1.5 })",
    () => W.conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 2, 2]), null, { groups: 1.5 }),
    ShapeError,
    "conv2d",
    ["groups must be a positive integer, got 1.5"],
  ],
  ["maxPool2d(x, -2)", () => W.maxPool2d(zeros([1, 1, 4, 4]), -2), ShapeError, "maxPool2d", ["kernelSize must be positive integers, got -2×-2"]],
  ["maxPool2d(x, 2.5)", () => W.maxPool2d(zeros([1, 1, 4, 4]), 2.5), ShapeError, "maxPool2d", ["kernelSize must be an integer or a pair of integers, got 2.5"]],
  [
    "avgPool2d(x, 2, { padding: -1 })",
    () => W.avgPool2d(zeros([1, 1, 4, 4]), 2, { padding: -1 }),
    ShapeError,
    "avgPool2d",
    ["padding must be non-negative integers"],
  ],
  ["unfold(x, 0)", () => W.unfold(zeros([1, 1, 4, 4]), 0), ShapeError, "unfold", ["kernelSize must be positive integers, got 0×0"]],
  ["fold(cols, [-3, 3], 2)", () => W.fold(zeros([1, 4, 9]), [-3, 3], 2), ShapeError, "fold", ["outputSize must be two non-negative integers"]],
  ['pad(x, [[1, 1]], "a")', () => W.pad(zeros([2]), [[1, 1]], "a" as never), WebgradError, "pad", ['fill value must be a number, got "a"']],
  ["nn.linear(2.5, 3)", () => nn.linear(2.5, 3), ShapeError, "Linear", ["inFeatures must be a positive integer, got 2.5"]],
  ["nn.embedding(-2, 3)", () => nn.embedding(-2, 3), ShapeError, "Embedding", ["numEmbeddings must be a positive integer, got -2"]],
  ["nn.layerNorm(-1)", () => nn.layerNorm(-1), ShapeError, "LayerNorm", ["normalizedShape[0] must be a positive integer, got -1"]],
  ["nn.functional.dropout(x, 2)", () => nn.functional.dropout(zeros([3]), 2, true), WebgradError, "dropout", ["p must be in [0, 1], got 2"]],
  ["randint(0, 5, [1e6, 1e6])", () => W.randint(0, 5, [1e6, 1e6]), OutOfMemoryError, "randint", ["[1000000, 1000000] (int32)"]],
  ["data.xor({ n: -5 })", () => W.data.xor({ n: -5 }), ShapeError, "data.xor", ["n must be a positive integer, got -5"]],
  ["data.batches(ds, 0)", () => W.data.batches(W.data.xor({ n: 8 }), 0), ShapeError, "data.batches", ["batchSize must be a positive integer, got 0"]],
  ["data.spirals({ classes: 1.5 })", () => W.data.spirals({ classes: 1.5 }), ShapeError, "data.spirals", ["classes must be an integer ≥ 2, got 1.5"]],
  // ---------------------------------------------------------------- index values (read eagerly on the CPU backend)
  [
    "oneHot(int32 [0, 3], 3)",
    () => W.oneHot(i32([0, 3]), 3),
    IndexError,
    "oneHot",
    ["class id 3 is out of range for numClasses 3 (valid: 0 … 2)", "position [1]"],
  ],
  ["oneHot(int32 [[0], [-1]], 3)", () => W.oneHot(i32([[0], [-1]]), 3), IndexError, "oneHot", ["class id -1", "position [1, 0]", "shape [2, 1]"]],
  ["nn.functional.oneHot(int32 [5], 3)", () => nn.functional.oneHot(i32([5]), 3), IndexError, "oneHot", ["class id 5"]],
  [
    "nn.crossEntropy(logits [2, 3], int32 [0, 5])",
    () => nn.crossEntropy(logits(), i32([0, 5])),
    IndexError,
    "crossEntropy",
    [
      "target class 5 is out of range for 3 classes (valid: 0 … 2, or ignoreIndex -100), at position [1] of the target (shape [2]); logits shape [2, 3], class axis 1",
    ],
  ],
  ["nn.crossEntropy(logits, int32 [-1, 0])", () => nn.crossEntropy(logits(), i32([-1, 0])), IndexError, "crossEntropy", ["target class -1"]],
  [
    "nn.crossEntropy(logits, int32 [0, 3], { labelSmoothing: 0.1 })",
    () => nn.crossEntropy(logits(), i32([0, 3]), { labelSmoothing: 0.1 }),
    IndexError,
    "crossEntropy",
    ["target class 3"],
  ],
  [
    "nn.crossEntropy(logits [2, 3, 4], int32 [[0, 1, 2, 3], …], class axis 1)",
    () =>
      nn.crossEntropy(
        zeros([2, 3, 4]),
        i32([
          [0, 1, 2, 3],
          [0, 0, 0, 0],
        ]),
      ),
    IndexError,
    "crossEntropy",
    ["target class 3", "class axis 1", "position [0, 3]"],
  ],
  [
    "nn.crossEntropy(logits, int32 [0, 9], { ignoreIndex: 9 }) then [0, 8]",
    () => nn.crossEntropy(logits(), i32([0, 8]), { ignoreIndex: 9 }),
    IndexError,
    "crossEntropy",
    ["target class 8", "or ignoreIndex 9"],
  ],
  [
    "nn.functional.nllLoss(logp, int32 [0, 3])",
    () => nn.functional.nllLoss(logits().logSoftmax(-1), i32([0, 3])),
    IndexError,
    "nllLoss",
    ["target class 3 is out of range for 3 classes"],
  ],
  [
    "nn.functional.embedding(int32 [0, 7], weight [5, 2])",
    () => nn.functional.embedding(i32([0, 7]), zeros([5, 2])),
    IndexError,
    "embedding",
    ["id 7 is out of range for 5 embeddings (valid: 0 … 4), at position [1] of the ids (shape [2]); weight shape [5, 2]"],
  ],
  [
    "x.gather(1, int32 [[-1]])",
    () => zeros([3, 4]).gather(1, i32([[-1]])),
    IndexError,
    "gather",
    ["index -1 is out of range for dimension 1 of size 4", "valid: 0 … 3"],
  ],
  ["x.gather(0, int32 [[3]])", () => zeros([3, 4]).gather(0, i32([[3]])), IndexError, "gather", ["index 3 is out of range for dimension 0 of size 3"]],
  [
    "x.scatterAdd(0, int32 [[-1]], src)",
    () => zeros([3, 4]).scatterAdd(0, i32([[-1]]), ones([1, 1])),
    IndexError,
    "scatterAdd",
    ["index -1 is out of range for dimension 0 of size 3"],
  ],
  [
    "x.indexSelect(0, int32 [3])",
    () => zeros([3, 4]).indexSelect(0, i32([3])),
    IndexError,
    "indexSelect",
    ["index 3 is out of range for dimension 0 of size 3", "position [0]"],
  ],
  ["x.indexSelect(0, float [0.5])", () => zeros([3, 4]).indexSelect(0, tensor([0.5])), DTypeError, "indexSelect", ["index must be int32, got float32"]],
  [
    "jit(i => x.gather(0, i))(int32 [-1]) (CPU)",
    () => W.jit((i: W.Tensor) => zeros([3]).gather(0, i))(i32([-1])),
    IndexError,
    "gather",
    ["index -1 is out of range"],
  ],
  [
    "jit((z, y) => nn.crossEntropy(z, y))(logits, int32 [0, 4]) (CPU)",
    () => W.jit((z: W.Tensor, y: W.Tensor) => nn.crossEntropy(z, y))(logits(), i32([0, 4])),
    IndexError,
    "crossEntropy",
    ["target class 4 is out of range for 3 classes"],
  ],
  // ---------------------------------------------------------------- backward's arguments
  [
    'y.backward("1")',
    () =>
      zeros([1], { requiresGrad: true })
        .sum()
        .backward("1" as never),
    AutogradError,
    "backward",
    ['the seed must be a Tensor of the output\'s shape [] or a number, got "1"'],
  ],
  [
    "y.backward({ retain: true })",
    () =>
      zeros([1], { requiresGrad: true })
        .sum()
        .backward({ retain: true } as never),
    AutogradError,
    "backward",
    ['unknown option "retain"', "retainGraph, createGraph"],
  ],
  [
    "y.backward({ retainGraph: true }, {})",
    () =>
      zeros([1], { requiresGrad: true })
        .sum()
        .backward({ retainGraph: true } as never, {}),
    AutogradError,
    "backward",
    ["options as the first argument"],
  ],
];

describe("bad input is a clear error, never a silent answer or a hang", () => {
  it.each(CASES.map((c) => [c[0], c] as const))("%s", (_program, [, fn, cls, op, fragments]) => {
    const e = thrownBy(fn);
    expect(e, String(e)).toBeInstanceOf(cls);
    expect((e as object).constructor.name, String(e)).toBe(cls.name); // the exact class, not a subclass
    const err = e as WebgradError;
    expect(err.op).toBe(op);
    expect(err.message.startsWith(`${op}: `), err.message).toBe(true);
    for (const f of fragments) expect(err.message).toContain(f);
  });
});

describe("primitives refuse a shape that is not sizes (the safety net under the functional checks)", () => {
  it("a reshape primitive to [-2, -2] (4 elements, like [2, 2]) is refused, not left to loop", async () => {
    const { apply } = await import("../../../src/lib/ops/dispatch");
    const { getOp } = await import("../../../src/lib/ops/registry");
    const e = thrownBy(() => apply(getOp("reshape"), [zeros([4])], { shape: [-2, -2] })) as WebgradError;
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("reshape: the output shape [-2, -2] is not made of non-negative integers");
    expect(e.message).toContain('"shape":[-2,-2]');
  });
});

describe("OutOfMemoryError", () => {
  afterEach(() => W.setMaxTensorBytes(null));
  it("carries the op, shape, dtype and bytes", () => {
    const e = thrownBy(() => zeros([1e6, 1e6])) as W.OutOfMemoryError;
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect(e).toBeInstanceOf(WebgradError);
    expect([e.op, e.shape, e.dtype, e.bytes]).toEqual(["zeros", [1e6, 1e6], "float32", 4e12]);
  });
  it("the per-tensor limit is configurable and applies to every op's output", () => {
    W.setMaxTensorBytes(1024);
    expect(zeros([256]).shape).toEqual([256]); // exactly 1 KiB
    const e = thrownBy(() => ones([32, 1]).mul(ones([32]))) as W.OutOfMemoryError;
    expect([e.op, e.shape, e.bytes]).toEqual(["mul", [32, 32], 4096]);
    expect(thrownBy(() => tensor(new Float32Array(512)))).toBeInstanceOf(OutOfMemoryError);
    W.setMaxTensorBytes(null);
    expect(ones([32, 1]).mul(ones([32])).shape).toEqual([32, 32]);
    expect(thrownBy(() => W.setMaxTensorBytes(-1))).toBeInstanceOf(WebgradError);
  });
  it("a view of a huge shape costs nothing and is allowed (as in PyTorch)", () => {
    expect(zeros([1]).expand(1e6, 1e6).shape).toEqual([1e6, 1e6]);
  });
});

describe("valid input at the edges still works", () => {
  it("empty sizes, ignoreIndex, in-range ids", () => {
    expect(eye(0).shape).toEqual([0, 0]);
    expect(arange(0).shape).toEqual([0]);
    expect(W.linspace(0, 1, 0).shape).toEqual([0]);
    expect(zeros([0, 3]).shape).toEqual([0, 3]);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).tolistSync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(W.oneHot(i32([2, 0]), 3).tolistSync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(Number.isFinite(nn.crossEntropy(logits(), i32([2, -100])).itemSync())).toBe(true);
    expect(zeros([3, 4]).narrow(0, -1, 1).shape).toEqual([1, 4]);
    expect(zeros([3, 4]).slice(-1).shape).toEqual([4]);
    expect(
      zeros([4])
        .chunk(3)
        .map((t) => t.shape[0]),
    ).toEqual([2, 2]);
    expect(zeros([3]).cast("int32").dtype).toBe("int32");
  });
  it("backward takes its options first when there is no seed (loss.backward({ retainGraph: true }))", () => {
    const x = tensor([1, 2, 3], { dtype: "float64", requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward({ retainGraph: true });
    y.backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([4, 8, 12]);
    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    z.backward(null, {});
    expect(() => z.backward({})).toThrow(AutogradError); // freed now: the usual "second time" error
  });
});
