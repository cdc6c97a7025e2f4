/**
 * Parameter initialization, in place (PyTorch's `nn.init.*_`): values come from the seeded
 * generator (`manualSeed`), or from `seed` when given.
 */
import { ShapeError } from "../errors";
import { noGrad } from "../ops/gradmode";
import type { Tensor } from "../tensor/tensor";
import { rand, randn } from "../ops/creation";
import { fmtShape } from "../tensor/shape";

/** Nonlinearities with a recommended gain (PyTorch's `calculate_gain`). */
export type Nonlinearity = "linear" | "conv" | "sigmoid" | "tanh" | "relu" | "leakyRelu" | "selu";

/** The recommended gain for a nonlinearity (√2 for relu, 5/3 for tanh, …). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "conv":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leakyRelu": {
      const a = param ?? 0.01;
      return Math.sqrt(2 / (1 + a * a));
    }
    case "selu":
      return 3 / 4;
  }
}

/** fanIn and fanOut of a weight [out, in, ...kernel] (PyTorch's convention). */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new ShapeError("init", `fan in and fan out need a tensor with at least 2 dimensions, got ${fmtShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/** Options of the random initializers. */
export interface InitOptions {
  /** Draw from this seed instead of the global generator. */
  seed?: number;
}

/** Fill with U(a, b) in place; returns t. */
export function uniform_(t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor {
  return noGrad(() =>
    t.copy_(
      rand([...t.shape], { dtype: t.dtype, seed: opts.seed })
        .mul(b - a)
        .add(a),
    ),
  );
}

/** Fill with N(mean, std²) in place; returns t. */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  return noGrad(() =>
    t.copy_(
      randn([...t.shape], { dtype: t.dtype, seed: opts.seed })
        .mul(std)
        .add(mean),
    ),
  );
}

/**
 * Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). In place; returns t.
 * @example nn.init.xavierUniform(layer.weight, { gain: 1, seed: 0 })
 */
export function xavierUniform(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  const a = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, opts);
}

/** Glorot/Xavier normal: N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)). In place; returns t. */
export function xavierNormal(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal_(t, 0, (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), opts);
}

/** Options of the He/Kaiming initializers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of leaky relu (used with nonlinearity "leakyRelu"). */
  a?: number;
  /** Preserve the variance of the forward pass ("fanIn", default) or of the backward pass ("fanOut"). */
  mode?: "fanIn" | "fanOut";
  /** Default "leakyRelu" (with a = 0 that is relu's gain √2), as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, opts: KaimingOptions): number {
  const f = fans(t);
  const fan = (opts.mode ?? "fanIn") === "fanIn" ? f.fanIn : f.fanOut;
  return calculateGain(opts.nonlinearity ?? "leakyRelu", opts.a ?? 0) / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: U(−b, b) with b = gain·√(3 / fan). In place; returns t.
 * @example nn.init.kaimingUniform(w, { nonlinearity: "relu" })
 */
export function kaimingUniform(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const b = Math.sqrt(3) * kaimingStd(t, opts);
  return uniform_(t, -b, b, opts);
}

/** He/Kaiming normal: N(0, σ²) with σ = gain / √fan. In place; returns t. */
export function kaimingNormal(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, opts), opts);
}

/** Fill with zeros in place; returns t. */
export function zeros_(t: Tensor): Tensor {
  return noGrad(() => t.zero_());
}

/** Fill with ones in place; returns t. */
export function ones_(t: Tensor): Tensor {
  return noGrad(() => t.fill_(1));
}
