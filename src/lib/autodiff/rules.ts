/**
 * The reverse-mode rule of the common ops, written for a learner reading the Tape panel's backward
 * stepper: ḡ is the gradient arriving at the op's output, y the output, x (or a, b) the inputs.
 * Sent with each tape record; ops without an entry show none.
 * @module
 */
export const VJP_RULES: Readonly<Record<string, string>> = {
  add: "∂a = ḡ,  ∂b = ḡ",
  sub: "∂a = ḡ,  ∂b = −ḡ",
  mul: "∂a = ḡ · b,  ∂b = ḡ · a",
  div: "∂a = ḡ / b,  ∂b = −ḡ · a / b²",
  pow: "∂a = ḡ · b · a^(b−1),  ∂b = ḡ · y · ln a",
  neg: "∂x = −ḡ",
  matmul: "∂A = ḡ · Bᵀ,  ∂B = Aᵀ · ḡ",
  tanh: "∂x = ḡ · (1 − y²)",
  sigmoid: "∂x = ḡ · y · (1 − y)",
  relu: "∂x = ḡ · [y > 0]",
  exp: "∂x = ḡ · y",
  log: "∂x = ḡ / x",
  log1p: "∂x = ḡ / (1 + x)",
  sqrt: "∂x = ḡ / (2y)",
  rsqrt: "∂x = −ḡ · y³ / 2",
  reciprocal: "∂x = −ḡ · y²",
  square: "∂x = ḡ · 2x",
  abs: "∂x = ḡ · sign(x)",
  sin: "∂x = ḡ · cos x",
  cos: "∂x = −ḡ · sin x",
  sum: "∂x = broadcast(ḡ) to x's shape",
  softmax: "∂x = y · (ḡ − Σ ḡ·y)",
  reshape: "∂x = reshape(ḡ) to x's shape",
  expand: "∂x = Σ ḡ over the expanded axes",
  permute: "∂x = permute⁻¹(ḡ)",
  where: "∂a = where(c, ḡ, 0),  ∂b = where(c, 0, ḡ)",
  cast: "∂x = cast(ḡ) to x's dtype",
};
