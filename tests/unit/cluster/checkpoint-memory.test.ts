/**
 * What checkpointing changes is the activations autograd keeps until backward, not the weights:
 * for a stack of L tanh layers, every hidden state is kept without it ((L + 1) of them: each
 * layer's output is the next layer's saved input, one tensor); with blocks of k layers checkpointed,
 * only the block inputs and the last output ((L/k + 1) of them).
 */
import { describe, expect, it } from "vitest";
import { checkpoint, dist, randn, type Tensor } from "webgrad";

describe("activation memory with and without checkpointing", () => {
  it("(L + 1)·B·W·4 bytes without, (L/k + 1)·B·W·4 with blocks of k layers; weights never counted", () => {
    const L = 8,
      W = 16,
      B = 4;
    const Ws = Array.from({ length: L }, (_, i) => randn([W, W], { seed: i }).mul(0.25).requiresGrad_());
    const x = randn([B, W], { seed: 99 });
    const fp32 = { precision: "fp32" as const, optimizerSlots: 0 };
    const state = B * W * 4;
    for (const k of [1, 2, 4, 8]) {
      const block = (first: number) => (h: Tensor) => {
        for (let i = first; i < first + k; i++) h = h.matmul(Ws[i]).tanh();
        return h;
      };
      for (const useCheckpoint of [false, true]) {
        let h = x;
        for (let i = 0; i < L; i += k) h = useCheckpoint ? checkpoint(block(i))(h) : block(i)(h);
        const loss = h.square().sum();
        const kept = dist.activationBytes([loss], Ws, fp32);
        expect(kept, `k = ${k}, checkpoint ${useCheckpoint}`).toBe(useCheckpoint ? (L / k + 1) * state : (L + 1) * state);
        loss.backward();
      }
    }
    // Counting the weights too (what each matmul saves) would add L·W·W·4 bytes that stay in memory either way.
    let h = x;
    for (let i = 0; i < L; i++) h = h.matmul(Ws[i]).tanh();
    expect(dist.activationBytes([h.square().sum()], [], fp32)).toBe((L + 1) * state + L * W * W * 4);
  });
});
