/** int32 counters for counted loops. */
import { arange as arangeT, full } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";

/** lower … upper−1 as int32. */
export function arange(lower: number, upper: number): Tensor {
  return arangeT(lower, upper, 1, { dtype: "int32" });
}

/** An int32 scalar. */
export function scalar(v: number): Tensor {
  return full([], v, { dtype: "int32" });
}
