/**
 * The ops and the autodiff entry points that the Tensor class's methods (`t.add(u)`,
 * `t.backward()`) and the op table's derivative rules call. They are defined in the layers above
 * (ops/functional.ts, autodiff/), which install them here when they load (ops/install.ts,
 * autodiff/backward.ts): the tensor core imports their types only, so no module cycle runs
 * through it. Read the bindings at call time (they are live), never copy them at load time.
 * @module
 */
import type * as Functional from "../ops/functional";
import type { backward } from "../autodiff/backward";
import type { tapeOf } from "../autodiff/tape";
import { WebgradError } from "../errors";

/** A stand-in until the real thing is installed: any use says which module to load. */
function notLoaded<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      throw new WebgradError(String(key), `${what} is not loaded: import the library from its entry (src/lib/index.ts, "webgrad")`);
    },
  });
}

/** @internal The op library (ops/functional.ts), installed by ops/install.ts. */
export let F: typeof Functional = notLoaded("the op library (ops/install.ts)");

/** @internal Install the op library (ops/install.ts does, once). */
export function installFunctional(ops: typeof Functional): void {
  F = ops;
}

/** What the Tensor class needs from reverse mode. */
export interface AutodiffEntry {
  backward: typeof backward;
  tapeOf: typeof tapeOf;
}

/** @internal Reverse mode's entry points, installed by autodiff/backward.ts. */
export let autodiff: AutodiffEntry = notLoaded("reverse-mode autodiff (autodiff/backward.ts)");

/** @internal Install reverse mode's entry points (autodiff/backward.ts does, once). */
export function installAutodiff(entry: AutodiffEntry): void {
  autodiff = entry;
}
