/**
 * `fori`: a counted loop. With JS numbers as bounds the trip count is static and it runs as a
 * `scan` (so reverse mode works); with tensor bounds it runs as a `whileLoop`.
 */
import { WebgradError } from "../../errors";
import { arange, scalar } from "./counter";
import type { Tensor } from "../../tensor/tensor";
import * as F from "../../ops/functional";
import { scan } from "./scan";
import { whileLoop } from "./while";

/**
 * `carry = body(i, carry)` for i = lower … upper−1 (i is an int32 scalar tensor in both modes).
 * Number bounds give a static trip count (a `scan`: differentiable both ways); tensor bounds a
 * `whileLoop` (forward mode only).
 * @example const x = fori(0, 3, (i, acc) => acc.mul(2).add(i), zeros([]));
 */
export function fori<C>(lower: number | Tensor, upper: number | Tensor, body: (i: Tensor, carry: C) => C, init: C): C {
  if (typeof lower === "number" && typeof upper === "number") {
    if (!Number.isInteger(lower) || !Number.isInteger(upper)) throw new WebgradError("fori", `bounds must be integers, got ${lower} and ${upper}`);
    if (upper <= lower) return init;
    return scan((c: C, i: Tensor) => [body(i, c), null], init, arange(lower, upper))[0];
  }
  const lo = typeof lower === "number" ? scalar(lower) : F.cast(lower, "int32");
  const hi = typeof upper === "number" ? scalar(upper) : F.cast(upper, "int32");
  const [, out] = whileLoop(
    ([i]: [Tensor, C]) => F.lt(i, hi),
    ([i, c]: [Tensor, C]) => [F.add(i, 1), body(i, c)] as [Tensor, C],
    [lo, init] as [Tensor, C],
  );
  return out;
}
