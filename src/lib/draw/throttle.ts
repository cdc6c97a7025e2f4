/**
 * Rate limiting for pictures that a training loop redraws every step: per name, at most one
 * event per {@link drawInterval} ms leaves the library. A call inside the interval only keeps its
 * arguments (the newest win) and a timer sends them when the interval ends (or the next call
 * after it does, whichever comes first), so the last picture always arrives, intermediate ones
 * cost neither a device read-back nor protocol traffic, and pictures of one name arrive in call
 * order.
 * @module
 */
import { emit, hasListeners, type WebgradEvent } from "../events";

let interval = 1000 / 30;

/** Milliseconds between two pictures of one name (default 33: 30 per second). */
export function drawInterval(): number {
  return interval;
}

/** Sets the interval (0: every call draws; tests use it). */
export function setDrawInterval(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`setDrawInterval(${ms}): the interval must be a finite number ≥ 0`);
  interval = ms;
}

interface Slot {
  last: number;
  pending?: () => Promise<WebgradEvent>;
  timer?: ReturnType<typeof setTimeout>;
  /** The previous emission, so events of one name keep their order. */
  chain: Promise<void>;
}
const slots = new Map<string, Slot>();
/** An earlier picture's failure was reported to its own caller; later ones still draw. */
const ignore = (): void => {};

/**
 * Emits `build()`'s event now, or later if one of `key` left less than an interval ago. Resolves
 * once the event is sent (now) or kept for later; nothing is built when nobody listens.
 */
export function drawThrottled(key: string, build: () => Promise<WebgradEvent>): Promise<void> {
  if (!hasListeners()) return Promise.resolve();
  let s = slots.get(key);
  if (!s) slots.set(key, (s = { last: -Infinity, chain: Promise.resolve() }));
  const slot = s;
  const now = performance.now();
  if (now - slot.last >= interval) {
    // Due now: also when the timer has not fired yet, as in a loop that only awaits microtasks
    // (CPU read-backs), which never lets a timer run.
    clearTimeout(slot.timer);
    slot.timer = slot.pending = undefined;
    slot.last = now;
    return (slot.chain = slot.chain.catch(ignore).then(build).then(emit));
  }
  slot.pending = build;
  slot.timer ??= setTimeout(
    () => {
      slot.timer = undefined;
      const next = slot.pending!;
      slot.pending = undefined;
      slot.last = performance.now();
      // A failure here reaches the program as an unhandled rejection (the runner reports it).
      slot.chain = slot.chain.catch(ignore).then(next).then(emit);
    },
    Math.max(0, slot.last + interval - now),
  );
  return Promise.resolve();
}
