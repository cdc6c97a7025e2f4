/** Whether ops are recorded on the reverse-mode tape. */

const state = { enabled: true };

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
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Run `fn` with recording on, even inside {@link noGrad}. */
export function enableGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** @internal Whether the reverse-mode engine is running: graph tracing tags the nodes it records. */
export const autodiffPhase: { current: "forward" | "backward" } = { current: "forward" };
