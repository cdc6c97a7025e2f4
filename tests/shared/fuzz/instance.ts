/** The interpreter: a program's source evaluated with the public API in scope. */
import * as W from "../../../src/lib/index";
import type { Tensor } from "../../../src/lib/index";
import type { Odd, Program } from "./program";
import { factorySource } from "./source";

/** The arguments of one call of `f`. */
export interface CallArgs {
  inputs: Tensor[];
  helpers: unknown[];
  s: Odd;
}

/** A fresh instance: its own captured tensors, `f` closing over them, and fresh arguments per `args()`. */
export interface Instance {
  f: (...args: unknown[]) => Tensor[];
  captures: Tensor[];
  args(variant: 0 | 1): CallArgs;
}

type Factory = (w: typeof W) => Instance;
const compiled = new Map<string, Factory>();

export function instantiate(p: Program): Instance {
  const src = factorySource(p);
  let make = compiled.get(src);
  if (!make) {
    // The minimizer runs one program many times: keep its compiled factories, boundedly.
    if (compiled.size > 256) compiled.clear();
    make = new Function("W", src) as Factory;
    compiled.set(src, make);
  }
  return make(W);
}

export const callList = (a: CallArgs): unknown[] => [...a.inputs, ...a.helpers, a.s];
