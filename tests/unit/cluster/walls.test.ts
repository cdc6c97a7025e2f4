/**
 * Lesson 40's three walls in closed form: activations of the 7.5 B model per sequence (Korthikanti
 * et al. 2022: 34·s·b·h + 5·a·s²·b bytes per layer at 16 bits, 34·s·b·h with selective recomputation,
 * 2·s·b·h with full), and the compute wall's 6·N·T FLOPs over Nd A100s at 45 % MFU.
 */
import { describe, expect, it } from "vitest";
import { dist } from "webgrad";

describe("lesson 40: the memory, compute and tuning walls", () => {
  const gpt7 = dist.MODEL_PRESETS["megatron-7.5b"];
  const act = (s: number, r: "none" | "selective" | "full") => {
    const m = dist.resolveModel({ ...gpt7, seq: s });
    return m.layers * dist.layerActivationBytes(m, 1, 1, false, r);
  };
  for (const s of [1024, 2048, 8192, 32768]) {
    it(`activations of one ${s}-token sequence: 36·(34sbh + 5as²b), 36·34sbh, 36·2sbh`, () => {
      const [L, h, a] = [36, 4096, 32];
      expect(act(s, "none")).toBe(L * (34 * s * h + 5 * a * s * s));
      expect(act(s, "selective")).toBe(L * 34 * s * h);
      expect(act(s, "full")).toBe(L * 2 * s * h);
    });
  }
  it("prints 34.4 GB at 2 048 tokens without recomputation, and the s² term dominates from s > 34h/5a ≈ 870 tokens", () => {
    expect((act(2048, "none") / 1e9).toFixed(1)).toBe("34.4");
    // Doubling s from 16 k to 32 k almost quadruples the activations without recomputation, doubles them with it.
    expect(act(32768, "none") / act(16384, "none")).toBeGreaterThan(3.8);
    expect(act(32768, "selective") / act(16384, "selective")).toBe(2);
  });
  it("compute wall: 6·Ψ·300 B tokens over 64 A100s at 45 % of 312 TFLOP/s: 17 days for 7.5 B, 406 for 175 B", () => {
    const days = (psi: number) => (6 * psi * 300e9) / (64 * dist.DEVICE_PRESETS.A100.peakFlops.bfloat16! * 0.45) / 86400;
    expect(days(7.5e9).toFixed(0)).toBe("17");
    expect(days(175e9).toFixed(0)).toBe("406");
  });
});
