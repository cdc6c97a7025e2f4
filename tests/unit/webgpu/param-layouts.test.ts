import { implOf } from "../../../src/lib/ops/names";
import { describe, expect, test } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PARAM_LAYOUTS, COPY_PARAMS, MATMUL_PARAMS, elementwiseParams, multiParams } from "../../../src/lib/backend/webgpu/kernels/layouts";
import { GPU_KERNELS } from "../../../src/lib/backend/webgpu/kernels/index";
import { MATMUL_VARIANT } from "../../../src/lib/backend/webgpu/kernels/matmul";
import { ROW_TUNING } from "../../../src/lib/backend/webgpu/kernels/rows";
import { gpuElement } from "../../../src/lib/backend/webgpu/codegen";
import { fusedNodeKernels } from "../../../src/lib/graph/kernels";
import { DIMS_SLOTS, MAX_RANK, VIEW_SLOTS, type ParamField, type ParamFields, type ParamLayout } from "../../../src/lib/backend/webgpu/params";
import type { KernelContext } from "../../../src/lib/backend/webgpu/kernel";
import type { GpuStorage } from "../../../src/lib/backend/webgpu/storage";
import type { StridedView } from "../../../src/lib/backend/backend";
import { contiguousStrides } from "../../../src/lib/tensor/shape";
import type { DType } from "../../../src/lib/tensor/dtype";
import { jit, nn, randn, type Tensor } from "webgrad";

/** A WGSL value of the generated `slot` constant: a slot number, an array, or a struct by member. */
type SlotValue = number | SlotValue[] | { [member: string]: SlotValue };

/** Evaluate the `const slot = Slots(…)` a shader declares (struct members from its `struct …Slots` declarations). */
function evalSlot(wgsl: string): SlotValue {
  const src = wgsl.replace(/\/\/[^\n]*/g, "");
  const structs = new Map<string, string[]>();
  for (const m of src.matchAll(/struct (\w+) \{([^}]*)\}/g))
    structs.set(
      m[1],
      [...m[2].matchAll(/(\w+)\s*:/g)].map((x) => x[1]),
    );
  const start = src.indexOf("const slot = Slots(");
  if (start < 0) throw new Error("no const slot");
  let i = start + "const slot = ".length;
  const ws = () => {
    while (/\s/.test(src[i])) i++;
  };
  const expr = (): SlotValue => {
    ws();
    const num = /^(\d+)u/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      return Number(num[1]);
    }
    const call = /^(\w+)\(/.exec(src.slice(i))!;
    i += call[0].length;
    const args: SlotValue[] = [];
    for (;;) {
      ws();
      if (src[i] === ")") {
        i++;
        break;
      }
      args.push(expr());
      ws();
      if (src[i] === ",") i++;
    }
    if (call[1] === "array") return args;
    const members = structs.get(call[1]);
    if (!members || members.length !== args.length) throw new Error(`${call[1]}: ${args.length} values for ${members?.length} members`);
    return Object.fromEntries(members.map((m, k) => [m, args[k]]));
  };
  return expr();
}

/** Resolve `slot.a.b[2]` in an evaluated constant. */
function resolve(slot: SlotValue, path: string): number {
  let v = slot;
  for (const [, name, index] of path.replace(/^slot/, "").matchAll(/\.(\w+)|\[(\d+)\]/g)) {
    const next =
      name !== undefined && !Array.isArray(v) && typeof v === "object" ? v[name] : index !== undefined && Array.isArray(v) ? v[Number(index)] : undefined;
    if (next === undefined) throw new Error(`${path} does not resolve`);
    v = next;
  }
  if (typeof v !== "number") throw new Error(`${path} is not one slot`);
  return v;
}

/** Every one-slot path of a field (`base` its path), with the slot the layout gives it. */
function leafPaths(f: ParamField, base: string, at: number): [string, number][] {
  if (typeof f === "string") return [[base, at]];
  const run = (name: string, from: number) => Array.from({ length: MAX_RANK }, (_, d): [string, number] => [`${base}.${name}[${d}]`, from + d]);
  switch (f.kind) {
    case "dims":
      return [[`${base}.at`, at], [`${base}.rank`, at], ...run("sizes", at + 1)];
    case "view":
      return [[`${base}.at`, at], [`${base}.offset`, at], [`${base}.contiguous`, at + 1], ...run("strides", at + 2)];
    case "record":
      return Object.keys(f.fields).map((k, i): [string, number] => [`${base}.${k}`, at + i]);
    case "array": {
      const n =
        f.of === "i32" || f.of === "u32" || f.of === "f32"
          ? 1
          : f.of.kind === "dims"
            ? DIMS_SLOTS
            : f.of.kind === "view"
              ? VIEW_SLOTS
              : Object.keys(f.of.fields).length;
      return Array.from({ length: f.length }, (_, i) => leafPaths(f.of, `${base}[${i}]`, at + i * n)).flat();
    }
  }
}

/** Distinct values for every field, and the slot each lands in (from the layout's own places). */
function sentinel(layout: ParamLayout<ParamFields>): { values: Record<string, unknown>; expected: Map<number, number> } {
  const expected = new Map<number, number>();
  let next = 1000;
  const value = (f: ParamField, at: number): unknown => {
    if (f === "f32") {
      const v = next++ + 0.5;
      expected.set(at, new Int32Array(new Float32Array([v]).buffer)[0]);
      return v;
    }
    if (typeof f === "string") {
      expected.set(at, next);
      return next++;
    }
    switch (f.kind) {
      case "dims": {
        const shape = Array.from({ length: 3 }, () => next++);
        expected.set(at, 3);
        shape.forEach((n, d) => expected.set(at + 1 + d, n));
        for (let d = 3; d < MAX_RANK; d++) expected.set(at + 1 + d, 1);
        return shape;
      }
      case "view": {
        const offset = next++;
        const strides = Array.from({ length: 2 }, () => next++);
        expected.set(at, offset).set(at + 1, 1);
        strides.forEach((s, d) => expected.set(at + 2 + d, s));
        for (let d = 2; d < MAX_RANK; d++) expected.set(at + 2 + d, 0);
        return { offset, strides, contiguous: true };
      }
      case "record":
        return Object.fromEntries(Object.entries(f.fields).map(([k, t], i) => [k, value(t, at + i)]));
      case "array": {
        const n = leafPaths(f.of, "", 0).reduce((m, [, s]) => Math.max(m, s + 1), 0);
        return Array.from({ length: f.length }, (_, i) => value(f.of, at + i * n));
      }
    }
  };
  const values = Object.fromEntries(layout.places.map((p) => [p.name, value(layout.fields[p.name], p.offset)]));
  return { values, expected };
}

const root = join(__dirname, "../../..");

describe("declared kernel parameter layouts", () => {
  for (const [name, layout] of Object.entries(PARAM_LAYOUTS)) {
    test(`${name}: the generated WGSL names the slots the TypeScript packing fills`, () => {
      // DimsSlots and ViewSlots are declared once, in the shared prelude.
      const slot = evalSlot(`${readFileSync(join(root, "shaders/common.wgsl"), "utf8")}\n${layout.wgsl()}`);
      let covered = 0;
      for (const p of layout.places) {
        const leaves = leafPaths(layout.fields[p.name], `slot.${p.name}`, p.offset);
        for (const [path, at] of leaves) {
          expect(resolve(slot, path), path).toBe(at);
          expect(layout.slotOf(path), path).toBe(at);
          expect(at).toBeGreaterThanOrEqual(p.offset);
          expect(at).toBeLessThan(p.offset + p.length);
        }
        // Fields follow each other without gaps or overlaps.
        expect(p.offset, p.name).toBe(covered);
        covered += p.length;
      }
      expect(covered).toBe(layout.size);
      const { values, expected } = sentinel(layout);
      const data = layout.pack("test", values as never);
      for (const [at, v] of expected) expect(data[at], `slot ${at}`).toBe(v);
      // Nothing is written past the layout.
      expect([...data.slice(layout.size)].every((v) => v === 0)).toBe(true);
    });
  }

  test("a missing or unknown field does not compile, and a missing one throws", () => {
    const view = { offset: 0, strides: [1] };
    // @ts-expect-error dst is missing
    expect(() => COPY_PARAMS.pack("copy", { count: 1, dims: [1], src: view })).toThrow(/dst/);
    // @ts-expect-error extra is not a field of the layout
    COPY_PARAMS.pack("copy", { count: 1, dims: [1], src: view, dst: view, extra: 2 });
    // @ts-expect-error a dims block takes a shape, not a number
    COPY_PARAMS.pack("copy", { count: 1, dims: 1, src: view, dst: view });
    expect(() => MATMUL_PARAMS.slotOf("slot.aBatch.strides[8]")).toThrow();
    expect(() => MATMUL_PARAMS.slotOf("slot.nope")).toThrow();
    expect(() => elementwiseParams(2).pack("add", { count: 1, dims: [1], inputs: [view, view, view] })).toThrow(/at most 2/);
  });

  test("a multi-output kernel's layout fits the block or is refused", () => {
    expect(multiParams(1, 31, 0)).not.toBeNull();
    expect(multiParams(2, 31, 1)).toBeNull();
  });
});

/** A slot read by number: P(3u), PU(12u), or one built from a number in TypeScript (P(${…}u)). */
const LITERAL_SLOT = /\bP[UF]?\(\s*(\d+u?|\$\{[^}]*\}u)\s*\)/;

describe("no kernel reads a parameter slot by number", () => {
  test("shader templates and the kernel sources that generate WGSL", () => {
    const files = [
      ...readdirSync(join(root, "shaders")).map((f) => join("shaders", f)),
      ...readdirSync(join(root, "src/lib/backend/webgpu/kernels")).map((f) => join("src/lib/backend/webgpu/kernels", f)),
      "src/lib/backend/webgpu/codegen.ts",
      "src/lib/backend/webgpu/index-check.ts",
    ];
    const offenders = files.flatMap((f) =>
      readFileSync(join(root, f), "utf8")
        .split("\n")
        .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
        .filter(({ line, at }) => LITERAL_SLOT.test(line) && !at.startsWith("shaders/common.wgsl")),
    );
    expect(offenders).toEqual([]);
  });

  test("the WGSL every kernel family generates: no slot number, every slot path declared", () => {
    const sources = generatedSources();
    const families = new Set(sources.map((s) => s.key.split(/[:|]/)[0]));
    for (const f of [
      "ew",
      "copy",
      "fill",
      "reduce",
      "reduce1",
      "arg",
      "cumsum",
      "softmax",
      "logSoftmax",
      "layerNorm",
      "crossEntropy",
      "crossEntropyGrad",
      "crossEntropyFinish",
      "matmul",
      "matmul-small",
      "matmul-reg4x4",
      "gather",
      "scatterAdd",
      "random",
      "unfold",
      "fold",
      "fused",
      "fused-multi",
    ])
      expect(families, f).toContain(f);
    expect([...families].some((f) => f.startsWith("matmul-v4"))).toBe(true);
    for (const s of sources) {
      const body = s.wgsl.replace(/\/\/[^\n]*/g, "");
      // The shared prelude (common.wgsl) reads through a slot argument, never a number.
      expect(LITERAL_SLOT.exec(body)?.[0], s.key).toBeUndefined();
      const slot = evalSlot(s.wgsl);
      for (const [path] of body.matchAll(/\bslot(?:\.\w+|\[\d+\])+/g)) expect(() => resolve(slot, path), `${s.key}: ${path}`).not.toThrow();
    }
  });
});

/** The WGSL of kernels of every family (through a context that records instead of dispatching). */
function generatedSources(): { key: string; wgsl: string }[] {
  const out: { key: string; wgsl: string }[] = [];
  // A kernel may hand a temporary back to the pool (release) once its work is queued.
  const fake = (dtype: string, length: number) => ({ dtype, length, release: () => undefined }) as unknown as GpuStorage;
  const ctx = (cpuAdapter: boolean, nativeF16: boolean): KernelContext => ({
    alloc: (dtype, length) => fake(dtype, length),
    elem: (dtype, op) => gpuElement(dtype, nativeF16, op),
    dispatch: (shader) => void out.push({ key: shader.key, wgsl: shader.source() }),
    features: { subgroups: !cpuAdapter, shaderF16: nativeF16, cpuAdapter, nativeF16 },
    indexFlags: fake("int32", 4),
  });
  const v = (shape: number[], dtype: DType = "float32", strides = contiguousStrides(shape), offset = 0): StridedView => ({
    storage: fake(dtype, 0),
    shape,
    strides,
    offset,
    dtype,
  });
  const saved = { ...MATMUL_VARIANT };
  try {
    for (const [cpu, half] of [
      [true, false],
      [false, true],
    ]) {
      const c = ctx(cpu, half);
      const run = (op: string, inputs: StridedView[], attrs: Record<string, unknown>, shape: number[], dtype: DType = "float32") =>
        implOf(GPU_KERNELS, op)!(c, inputs, attrs, { shape, dtype });
      run("add", [v([4, 5]), v([4, 5], "float32", [0, 1])], {}, [4, 5]);
      run("where", [v([2, 3, 5], "bool", [1, 10, 2]), v([2, 3, 5], "float16", [0, 0, 0]), v([2, 3, 5], "float16")], {}, [2, 3, 5], "float16");
      run("permute", [v([3, 4])], { axes: [1, 0] }, [4, 3]);
      run(
        "pad",
        [v([3, 4])],
        {
          pads: [
            [1, 1, 0],
            [0, 2, 1],
          ],
          value: 1.5,
        },
        [5, 9],
      );
      run("sum", [v([4, 6, 8])], { axes: [0, 2] }, [6]);
      run("sum", [v([2, 10000])], { axes: [1] }, [2]);
      run("max", [v([128, 10])], { axes: [1] }, [128]);
      run("argmax", [v([4, 6, 8])], { axes: [1] }, [4, 8], "int32");
      run("cumsum", [v([4, 6, 8])], { axis: 1 }, [4, 6, 8]);
      run("softmax", [v([30, 100], "float32", [1, 30])], { axis: 0 }, [30, 100]);
      run("logSoftmax", [v([100, 30])], { axis: 1 }, [100, 30]);
      run("layerNorm", [v([10, 3, 30])], { dims: 2, eps: 1e-5 }, [10, 3, 30]);
      for (const reduction of ["mean", "none"]) {
        run("crossEntropy", [v([10000, 10]), v([10000], "int32")], { reduction, ignoreIndex: -100 }, reduction === "none" ? [10000] : []);
        run("crossEntropyGrad", [v([100, 10]), v([100], "int32"), reduction === "none" ? v([100]) : v([])], { reduction, ignoreIndex: -100 }, [100, 10]);
      }
      for (const variant of [
        { kernel: "tiled", vec4: false },
        { kernel: "registers", vec4: false },
        { kernel: "registers", vec4: true },
      ] as const) {
        Object.assign(MATMUL_VARIANT, variant);
        run("matmul", [v([4, 16]), v([16, 32])], {}, [4, 32]);
        run("matmul", [v([3, 64, 32]), v([32, 64], "float32", [1, 32])], {}, [3, 64, 64]);
      }
      run("gather", [v([5, 6]), v([5, 3], "int32")], { axis: 1 }, [5, 3]);
      run("scatterAdd", [v([5, 6]), v([5, 3], "int32"), v([5, 3])], { axis: 1 }, [5, 6]);
      run("random", [], { seed: 5, offset: 7, dist: "normal" }, [100]);
      run("unfold", [v([2, 3, 8, 8])], { kernel: [3, 3], stride: [1, 2], padding: [1, 0], dilation: [1, 1] }, [2, 27, 24]);
      run("fold", [v([2, 27, 24])], { kernel: [3, 3], stride: [1, 2], padding: [1, 0], dilation: [1, 1] }, [2, 3, 8, 8]);
    }
  } finally {
    Object.assign(MATMUL_VARIANT, saved);
    ROW_TUNING.threadsPerRow = undefined;
  }
  const lin = new nn.Linear(16, 16);
  const graphs = [
    jit((x: Tensor) => x.mul(2).add(1).tanh().mul(x)).lower(randn([64])),
    jit((x: Tensor, s: Tensor) => lin.forward(x).mul(s).relu()).lower(randn([32, 16]), randn([])),
    jit((x: Tensor, y: Tensor) => [x.mul(3).add(y), y.sum(1), x.sum(0)]).lower(randn([8, 8]), randn([8, 8])),
  ];
  for (const g of graphs)
    for (const n of g.optimized.nodes.filter((n) => n.op === "fused"))
      out.push(...fusedNodeKernels(n, { subgroups: false, shaderF16: false, cpuAdapter: true, nativeF16: false }));
  return out;
}
