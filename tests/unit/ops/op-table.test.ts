/**
 * The op table's coverage, driven by the registered ops: every primitive has a category and dtype
 * domain on its definition, and an entry (an implementation, or an explicit unsupported entry with
 * a reason) in every per-op table — CPU and WebGPU kernels, ONNX rules, golden callers, gradient
 * cases and CPU ≡ WebGPU cases. The tables' types already demand this at compile time; this test
 * holds at run time too (an op registered outside ./defs, a table cast to a looser type).
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { allOps } from "webgrad";
import { CPU_KERNELS } from "../../../src/lib/backend/cpu/cpu";
import { GPU_OP_KERNELS } from "../../../src/lib/backend/webgpu/kernels";
import { PRIMITIVE_ONNX_OPS } from "../../../src/lib/graph/onnx/ops";
import { isUnsupported } from "../../../src/lib/ops/names";
import { OP_CATEGORIES } from "../../../src/schema/op-category";
import { casesFor, GPU_CASES } from "../../gpu/cases";
import { PRIMITIVE_CALLERS } from "./golden-callers";
import { OP_CASES } from "./cases";

const golden: { cases: { fn: string }[] } = JSON.parse(readFileSync(new URL("../../golden/ops.json", import.meta.url), "utf8"));
const goldenFns = new Set(golden.cases.map((c) => c.fn));

/** Every per-op table, by what it is. */
const TABLES: Record<string, Readonly<Record<string, unknown>>> = {
  "CPU kernel (src/lib/backend/cpu)": CPU_KERNELS,
  "WebGPU kernel (src/lib/backend/webgpu/kernels)": GPU_OP_KERNELS,
  "ONNX rule (src/lib/graph/onnx/ops.ts)": PRIMITIVE_ONNX_OPS,
  "golden caller (tests/unit/ops/golden-callers.ts)": PRIMITIVE_CALLERS,
  "gradient case (tests/unit/ops/cases.ts)": OP_CASES,
  "CPU ≡ WebGPU cases (tests/gpu/cases.ts)": GPU_CASES,
};

const names = allOps().map((op) => op.name);

describe("the op table", () => {
  it("gives every primitive a known category and dtype domain on its definition", () => {
    for (const op of allOps()) {
      expect(OP_CATEGORIES, `${op.name}'s category`).toContain(op.category);
      expect(["float", "numeric", "bool", "any"], `${op.name}'s dtype domain`).toContain(op.dtypes);
      // Control flow and fused kernels are graph nodes with regions, never primitives.
      expect(["control", "fused"], op.name).not.toContain(op.category);
    }
  });

  for (const [what, table] of Object.entries(TABLES)) {
    it(`has a ${what} for every primitive, or an unsupported entry with a reason — and no entry for an op that does not exist`, () => {
      const missing = names.filter((n) => !Object.hasOwn(table, n));
      expect(missing, `ops without a ${what}`).toEqual([]);
      const reasonless = names.filter((n) => isUnsupported(table[n]) && !(table[n] as { unsupported: string }).unsupported.trim());
      expect(reasonless, "unsupported entries need a reason").toEqual([]);
      const unknown = Object.keys(table).filter((n) => !names.includes(n));
      expect(unknown, `${what} entries for ops that are not in the table`).toEqual([]);
    });
  }

  it("has golden values for every primitive with a golden caller", () => {
    const withoutValues = names.filter((n) => typeof PRIMITIVE_CALLERS[n as keyof typeof PRIMITIVE_CALLERS] === "function" && !goldenFns.has(n));
    expect(withoutValues, "add cases for these to tests/golden/generate.py and regenerate ops.json").toEqual([]);
  });

  it("generates CPU ≡ WebGPU cases for every primitive whose GPU entry is not unsupported", () => {
    const empty = allOps()
      .filter((op) => !isUnsupported(GPU_CASES[op.name as keyof typeof GPU_CASES]) && casesFor(op).length === 0)
      .map((op) => op.name);
    expect(empty).toEqual([]);
  });
});
