import { describe, expect, test } from "vitest";
import { f16round, float16Bits, float16FromBits, fromFloat16Words, toFloat16Words, FLOAT16_MAX, FLOAT16_MIN_SUBNORMAL } from "../../../src/lib/tensor/float16";
import { promoteTypes, promoteWithScalar, scalarDtype } from "../../../src/lib/tensor/dtype";
import { grad, jit, nn, optim, tensor, zeros } from "../../../src/lib/index";
import { exportOnnx } from "../../../src/lib/graph/onnx";

describe("f16round", () => {
  test("golden values: rounding, ties to even, range", () => {
    expect(f16round(0.1)).toBe(0.0999755859375);
    expect(f16round(1 / 3)).toBe(0.333251953125);
    expect(f16round(1 + 2 ** -11)).toBe(1); // a tie: 1 is even
    expect(f16round(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // a tie: rounds up to the even neighbour
    expect(f16round(2049)).toBe(2048); // halves step by 2 in [2048, 4096): a tie goes to even
    expect(f16round(2051)).toBe(2052);
    expect(f16round(65504)).toBe(FLOAT16_MAX);
    expect(f16round(65519.99)).toBe(65504);
    expect(f16round(65520)).toBe(Infinity); // the tie past the largest half overflows
    expect(f16round(-1e6)).toBe(-Infinity);
    expect(f16round(2 ** -24)).toBe(FLOAT16_MIN_SUBNORMAL);
    expect(f16round(2 ** -25)).toBe(0); // a tie between 0 and the smallest subnormal: 0 is even
    expect(f16round(3 * 2 ** -25)).toBe(2 ** -23);
    expect(f16round(1e-8)).toBe(0);
    expect(Object.is(f16round(-1e-9), -0)).toBe(true);
    expect(f16round(NaN)).toBeNaN();
    expect(f16round(-Infinity)).toBe(-Infinity);
  });

  test("every half round-trips through its bits, and is a fixed point of f16round", () => {
    for (let h = 0; h < 65536; h++) {
      const v = float16FromBits(h);
      if (v !== v) continue;
      expect(f16round(v)).toBe(v);
      expect(float16Bits(v)).toBe(h);
    }
  });

  test("rounds to the nearest half (checked against the two neighbours)", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 5000; k++) {
      const x = (rand() - 0.5) * 2 ** (Math.floor(rand() * 40) - 24);
      const f = Math.fround(x);
      const r = f16round(f);
      const h = float16Bits(r);
      const neighbours = [float16FromBits(h - 1), float16FromBits(h + 1)].filter((v) => Number.isFinite(v));
      for (const n of neighbours) expect(Math.abs(r - f)).toBeLessThanOrEqual(Math.abs(n - f));
    }
  });

  test("words encode and decode", () => {
    const w = toFloat16Words([1, -2, 0.5, 65504, Infinity], 6);
    expect([...w]).toEqual([0x3c00, 0xc000, 0x3800, 0x7bff, 0x7c00, 0]);
    expect([...fromFloat16Words(w, 5)]).toEqual([1, -2, 0.5, 65504, Infinity]);
  });
});

describe("float16 dtype", () => {
  test("promotion: float16 < float32, and weak scalars keep float16", () => {
    expect(promoteTypes("float16", "float32")).toBe("float32");
    expect(promoteTypes("int32", "float16")).toBe("float16");
    expect(promoteWithScalar("float16", scalarDtype(1.5))).toBe("float16");
    expect(promoteWithScalar("int32", scalarDtype(1.5))).toBe("float32");
    const h = tensor([1, 2], { dtype: "float16" });
    expect(h.add(0.1).dtype).toBe("float16");
    expect(h.add(tensor([1, 2])).dtype).toBe("float32");
    expect(h.add(tensor([1, 2], { dtype: "int32" })).dtype).toBe("float16");
  });

  test("creation rounds to halves; ops round their results; printing names the dtype", () => {
    const x = tensor([0.1, 70000, 1e-8, 2049], { dtype: "float16" });
    expect([...x.dataSync()]).toEqual([0.0999755859375, Infinity, 0, 2048]);
    expect(x.toString()).toContain("dtype=float16");
    // Halves step by 2 from 2048: 2048 + 1 is a tie and stays at the even 2048; 1 + 2⁻¹¹ stays 1.
    expect([
      ...tensor([2048, 1], { dtype: "float16" })
        .add(tensor([1, 2 ** -11], { dtype: "float16" }))
        .dataSync(),
    ]).toEqual([2048, 1]);
    expect([...tensor([60000], { dtype: "float16" }).mul(2).dataSync()]).toEqual([Infinity]);
    expect(tensor([1.5], { dtype: "float32" }).half().dtype).toBe("float16");
    expect(tensor([1.5]).to("float16").dtype).toBe("float16");
    expect([...tensor([0.1]).cast("float16").cast("float32").dataSync()]).toEqual([Math.fround(0.0999755859375)]);
  });

  test("matmul and sums accumulate in f32 and round once", () => {
    const n = 4096;
    const ones = tensor(new Array(n).fill(1), { dtype: "float16" });
    // An f16 accumulator would stall at 2048 (2048 + 1 rounds back to 2048).
    expect(ones.sum().itemSync()).toBe(4096);
    expect(
      ones
        .reshape([1, n])
        .matmul(ones.reshape([n, 1]))
        .itemSync(),
    ).toBe(4096);
  });

  test("gradients flow in float16", () => {
    const g = grad((a: ReturnType<typeof tensor>) => a.mul(a).sum())(tensor([0.1, 3], { dtype: "float16" }));
    expect(g.dtype).toBe("float16");
    expect([...g.dataSync()]).toEqual([f16round(2 * f16round(0.1)), 6]);
  });

  test("a float16 model trains eagerly and under jit, with the same result", () => {
    const run = (compiled: boolean) => {
      const model = new nn.Sequential(new nn.Linear(3, 4, { seed: 1 }), new nn.ReLU(), new nn.Linear(4, 1, { seed: 2 })).half();
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
      const x = tensor(
        [
          [1, 2, 3],
          [0.5, -1, 2],
        ],
        { dtype: "float16" },
      );
      const y = tensor([[1], [-1]], { dtype: "float16" });
      const step = () => {
        opt.zeroGrad();
        const loss = model.forward(x).sub(y).square().mean();
        loss.backward();
        opt.step();
        return loss;
      };
      const f = compiled ? jit(step) : step;
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) losses.push((f() as ReturnType<typeof tensor>).itemSync());
      expect(model.parameters().every((p) => p.dtype === "float16")).toBe(true);
      return losses;
    };
    const eager = run(false);
    expect(eager.every((l) => Object.is(f16round(l), l))).toBe(true);
    expect(eager[4]).toBeLessThan(eager[0]);
    expect(run(true)).toEqual(eager);
  });

  test("ONNX export writes float16 initializers as binary16", () => {
    const w = tensor(
      [
        [0.1, 2],
        [3, 4],
      ],
      { dtype: "float16" },
    );
    const bytes = exportOnnx((x: ReturnType<typeof tensor>) => x.matmul(w), zeros([1, 2], { dtype: "float16" }));
    const text = new Uint8Array(bytes);
    // 0.1 as a half is 0x2e66: little-endian 66 2e, followed by 2.0 = 0x4000.
    const needle = [0x66, 0x2e, 0x00, 0x40];
    const at = text.findIndex((_, i) => needle.every((b, k) => text[i + k] === b));
    expect(at).toBeGreaterThan(0);
  });
});
