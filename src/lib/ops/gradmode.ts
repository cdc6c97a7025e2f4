/** Whether ops are recorded on the reverse-mode tape. */

/** `byNoGrad`: grad mode was last switched off by a `noGrad` region, not by the backward engine. */
const state = { enabled: true, byNoGrad: false };

/** True while ops are being recorded for reverse mode. */
export function isGradEnabled(): boolean {
  return state.enabled;
}

/** @internal Set grad mode; returns the previous value. */
export function setGradEnabled(on: boolean): boolean {
  const prev = state.enabled;
  state.enabled = on;
  return prev;
}

/**
 * Run `fn` without recording ops on the tape (like `torch.no_grad()`): for optimizer updates and
 * evaluation. `fn` must be synchronous: an `await` inside it would end the no-grad region early.
 * @example const acc = noGrad(() => model.forward(x).argmax(-1).eq(y).mean());
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, true, fn);
}

/** Run `fn` with recording on, even inside {@link noGrad}. */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, false, fn);
}

function withMode<T>(enabled: boolean, byNoGrad: boolean, fn: () => T): T {
  const prev = { ...state };
  state.enabled = enabled;
  state.byNoGrad = byNoGrad;
  try {
    return fn();
  } finally {
    Object.assign(state, prev);
  }
}

/**
 * @internal True inside a `noGrad` region (grad mode off by the user's choice): jit marks the ops
 * it traces there. False where only the backward engine has switched recording off.
 */
export function inNoGradRegion(): boolean {
  return !state.enabled && state.byNoGrad;
}

/**
 * @internal Run `fn` with grad mode `on` as the library's own choice (the backward engine, a
 * control-flow region being traced): not a noGrad region of the user's, so jit marks nothing.
 */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  return withMode(on, false, fn);
}

/** @internal Whether the reverse-mode engine is running: graph tracing tags the nodes it records. */
export const autodiffPhase: { current: "forward" | "backward" } = { current: "forward" };
