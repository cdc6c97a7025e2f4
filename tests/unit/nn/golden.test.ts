/** nn / optim against golden values computed independently with NumPy (tests/golden/nn_generate.py). */
import { describe, expect, it } from "vitest";
import { nn, optim, tensor, type Tensor, type NestedArray } from "webgrad";
import golden from "../../golden/nn.json";
import { expectClose, f64, i32 } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the golden file is untyped JSON data, read field by field
const G = golden as any;

describe("optimizers match PyTorch's update equations", () => {
  const { A, B, p0, cases } = G.optim;
  for (const c of cases) {
    it(c.name, () => {
      const p = f64(p0, true);
      const a = f64(A),
        b = f64(B);
      const opt = c.kind === "sgd" ? optim.sgd([p], c.opts) : c.kind === "adam" ? optim.adam([p], c.opts) : optim.adamw([p], c.opts);
      for (const expected of c.traj as number[][]) {
        const loss = a.mul(p.square()).mul(0.5).sum().add(b.mul(p).sum());
        opt.zeroGrad();
        loss.backward();
        opt.step();
        expectClose(p, expected, 1e-12, 1e-12);
      }
      expect(p.isLeaf).toBe(true);
    });
  }
});

describe("losses", () => {
  const L = G.losses;
  const logits = () => f64(L.logits);
  it("crossEntropy with class indices: mean, sum, none", () => {
    expectClose(nn.crossEntropy(logits(), i32(L.idx)), L.ce_mean);
    expectClose(nn.crossEntropy(logits(), i32(L.idx), { reduction: "sum" }), L.ce_sum);
    expectClose(nn.crossEntropy(logits(), i32(L.idx), { reduction: "none" }), L.ce_none);
  });
  it("crossEntropy with label smoothing", () => {
    expectClose(nn.crossEntropy(logits(), i32(L.idx), { labelSmoothing: 0.1 }), L.ce_ls_mean);
    expectClose(nn.crossEntropy(logits(), i32(L.idx), { labelSmoothing: 0.1, reduction: "none" }), L.ce_ls_none);
  });
  it("crossEntropy with class probabilities (and label smoothing)", () => {
    expectClose(nn.crossEntropy(logits(), f64(L.probs)), L.ce_soft_mean);
    expectClose(nn.crossEntropy(logits(), f64(L.probs), { labelSmoothing: 0.1 }), L.ce_soft_ls_mean);
  });
  it("crossEntropy ignoreIndex, class axis last, gradient", () => {
    expectClose(nn.crossEntropy(logits(), i32(L.idx_ignore)), L.ce_ignore_mean);
    expectClose(nn.crossEntropy(f64(L.logits3), i32(L.idx3), { axis: -1, reduction: "none" }), L.ce3_none);
    const z = f64(L.logits, true);
    nn.crossEntropy(z, i32(L.idx)).backward();
    expectClose(z.grad!, L.ce_grad);
  });
  it("bce, bceWithLogits (stable, posWeight), mse, l1", () => {
    expectClose(nn.bce(f64(L.bce_p), f64(L.bce_y)), L.bce_mean);
    const z = f64(L.bcel_z, true);
    const l = nn.bceWithLogits(z, f64(L.bce_y));
    expectClose(l, L.bcel_mean);
    l.backward();
    expectClose(z.grad!, L.bcel_grad, 1e-14, 1e-10); // includes z = 0, ±40
    expectClose(nn.bceWithLogits(f64(L.bcel_z), f64(L.bce_y), { posWeight: L.bcel_pw, reduction: "sum" }), L.bcel_pw_sum);
    expectClose(nn.mse(f64(L.mse_pred), f64(L.mse_tgt)), L.mse_mean);
    expectClose(nn.l1(f64(L.mse_pred), f64(L.mse_tgt), { reduction: "sum" }), L.l1_sum);
  });
  it("float32 crossEntropy is close to the float64 value", () => {
    expectClose(nn.crossEntropy(tensor(L.logits), i32(L.idx)), L.ce_mean, 1e-6, 1e-6);
  });
});

describe("layers", () => {
  it("layerNorm over the last dim and over two dims", () => {
    const g = G.layerNorm;
    expectClose(nn.functional.layerNorm(f64(g.x), [6], f64(g.w), f64(g.b)), g.y_last, 1e-12, 1e-10);
    expectClose(nn.functional.layerNorm(f64(g.x), [4, 6], f64(g.w2), null, 1e-3), g.y_two, 1e-12, 1e-10);
    const ln = nn.layerNorm(6, 1e-5, { dtype: "float64" });
    ln.loadStateDict({ weight: f64(g.w), bias: f64(g.b) });
    expectClose(ln.forward(f64(g.x)), g.y_last, 1e-12, 1e-10);
  });
  const loadInto = (m: nn.Module, params: Record<string, NestedArray>) => {
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(params)) sd[k] = f64(v);
    m.loadStateDict(sd);
  };
  it("multi-head attention, causal and full", () => {
    const g = G.attention;
    const causal = nn.multiHeadAttention(g.embedDim, g.numHeads, { dtype: "float64", causal: true });
    loadInto(causal, g.params);
    expectClose(causal.forward(f64(g.x)), g.y_causal, 1e-12, 1e-10);
    const full = nn.multiHeadAttention(g.embedDim, g.numHeads, { dtype: "float64" });
    loadInto(full, g.params);
    expectClose(full.forward(f64(g.x)), g.y_full, 1e-12, 1e-10);
    expectClose(full.forward(f64(g.x), undefined, undefined, { causal: true }), g.y_causal, 1e-12, 1e-10);
  });
  it("pre-norm Transformer block (causal, GELU MLP)", () => {
    const g = G.transformerBlock;
    const block = nn.transformerBlock(g.dModel, g.numHeads, { dtype: "float64", causal: true });
    loadInto(block, g.params);
    expectClose(block.forward(f64(G.attention.x)), g.y, 1e-12, 1e-10);
  });
  it("conv2d (stride, padding, dilation) against direct loops", () => {
    const g = G.conv2d;
    expectClose(nn.functional.conv2d(f64(g.x), f64(g.w), f64(g.b), { stride: g.stride, padding: g.padding, dilation: g.dilation }), g.y, 1e-12, 1e-10);
    const conv = nn.conv2d(3, 4, [3, 2], { dtype: "float64" });
    loadInto(conv, { weight: g.w, bias: g.b });
    expectClose(conv.forward(f64(g.x)), g.y_default, 1e-12, 1e-10);
  });
});
