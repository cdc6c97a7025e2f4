/** Random numbers as an op with no inputs: counter-based, so every backend draws the same values. */
import { DTypeError } from "../../errors";
import { isFloat, type DType } from "../../tensor/dtype";
import type { RandomDist } from "../../tensor/threefry";
import { shapeSize } from "../../tensor/shape";
import { defineOpWithAttrs } from "../registry";
import { bytesOf } from "./common";

/** Attributes of a random draw: the key (seed) and the first counter (offset). */
export interface RandomAttrs extends Record<string, unknown> {
  shape: number[];
  dtype: DType;
  seed: number;
  offset: number;
  dist: RandomDist;
  /** Drawn from the global generator: a compiled graph takes a fresh offset on every run. */
  fromGlobal?: boolean;
}

export const Random = defineOpWithAttrs<RandomAttrs>()({
  name: "random",
  category: "random",
  dtypes: "float",
  infer(inputs, attrs) {
    if (!isFloat(attrs.dtype)) throw new DTypeError("random", `draws floats, not ${attrs.dtype}`);
    return { shape: attrs.shape, dtype: attrs.dtype };
  },
  jvp: () => null,
  cost: (_i, out) => ({ flops: 30 * shapeSize(out.shape), bytes: bytesOf(out) }),
});
