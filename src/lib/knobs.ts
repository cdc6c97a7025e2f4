/**
 * Knobs: values a lesson's point depends on (a learning rate, a finite-difference step, a number
 * of microbatches, a ZeRO stage) that the learner can drag in the playground instead of editing
 * code. `slider()` and `choice()` return a value and declare the control through a `knob` event;
 * the playground draws it above the editor and, when the learner moves it, runs the program again
 * with the new value handed in before the program starts ({@link setKnobValues}). Outside the
 * playground nothing hands values in, so each call returns its initial value.
 * @module
 */
import { emit, hasListeners, type KnobEvent } from "./events";

/** Options for {@link slider}. */
export interface SliderOptions {
  /**
   * The grid the handle moves on (a linear slider). Default: 1 when `min`, `max` and `initial` are
   * integers no more than 1000 apart, else a hundredth of the range.
   */
  step?: number;
  /** Move in equal ratios rather than equal steps (needs `min > 0`), for values spanning decades: learning rates, `h`. */
  log?: boolean;
  /** What the control shows; defaults to `name`. */
  label?: string;
}

/** Options for {@link choice}. */
export interface ChoiceOptions {
  /** What the control shows; defaults to `name`. */
  label?: string;
}

/** A value the page may hand in for a knob. */
export type KnobValue = number | string;

/** The most positions a linear slider may have (a control, not a number field). */
const MAX_POSITIONS = 10_000;
/** The most options of a choice. */
const MAX_OPTIONS = 100;
/** Characters of a name, label or string option (the page refuses longer ones). */
const MAX_TEXT = 200;

/** The values the page passed for this run, by knob name. */
let chosen = new Map<string, KnobValue>();
/** The last declaration sent for each name: a knob read in a loop is announced once. */
const declared = new Map<string, string>();

/**
 * Hands in the learner's values for the next run, by knob name, and forgets which knobs were
 * declared. The playground calls it before each run; without it (Node, tests) every knob gives
 * its initial value. A value that does not fit its knob (out of range, not an option) is not used.
 */
export function setKnobValues(values: Readonly<Record<string, KnobValue>> = {}): void {
  chosen = new Map(Object.entries(values).filter(([, v]) => typeof v === "number" || typeof v === "string"));
  declared.clear();
}

const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));

function checkName(call: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name.trim() === "") throw new TypeError(`${call}: the name must be a non-empty string (got ${show(name)})`);
  if (name.length > MAX_TEXT) throw new RangeError(`${call}: the name is longer than ${MAX_TEXT} characters`);
}

function checkLabel(call: string, label: unknown): string | undefined {
  if (label === undefined) return undefined;
  if (typeof label !== "string" || label.trim() === "") throw new TypeError(`${call}: label must be a non-empty string (got ${show(label)})`);
  if (label.length > MAX_TEXT) throw new RangeError(`${call}: label is longer than ${MAX_TEXT} characters`);
  return label;
}

/** Announces a knob unless this run already announced it with the same settings. */
function declare(event: KnobEvent): void {
  if (!hasListeners()) return;
  const key = JSON.stringify(event);
  if (declared.get(event.name) === key) return;
  declared.set(event.name, key);
  emit(event);
}

/** The grid value nearest `v` on a linear slider (decimal noise of `min + k·step` rounded off). */
function snap(v: number, min: number, max: number, step: number): number {
  const k = Math.round((v - min) / step);
  const snapped = Number((min + k * step).toPrecision(12));
  return Math.min(max, Math.max(min, snapped));
}

/**
 * A number the learner can drag in the playground: a slider from `min` to `max` that starts at
 * `initial`. Returns the learner's value when they moved the slider (the program runs again
 * with it), else `initial`. Outside the playground it returns `initial`.
 * @param name Names the knob: the learner's value is kept under it while the code keeps the name.
 * @example const lr = slider("learning rate", 0.001, 1, 0.1, { log: true });
 * @example const microbatches = slider("microbatches", 1, 32, 8);
 */
export function slider(name: string, min: number, max: number, initial: number, options: SliderOptions = {}): number {
  const call = `slider(${show(name)}, ${show(min)}, ${show(max)}, ${show(initial)})`;
  checkName(call, name);
  for (const [what, v] of [
    ["min", min],
    ["max", max],
    ["initial", initial],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${call}: ${what} must be a finite number (got ${show(v)})`);
  }
  if (!(min < max)) throw new RangeError(`${call}: min must be less than max`);
  if (initial < min || initial > max) throw new RangeError(`${call}: initial ${initial} is outside [${min}, ${max}]`);
  if (typeof options !== "object" || options === null) throw new TypeError(`${call}: options must be an object (got ${show(options)})`);
  const label = checkLabel(call, options.label) ?? name;
  const log = options.log ?? false;
  if (typeof log !== "boolean") throw new TypeError(`${call}: log must be true or false (got ${show(log)})`);
  let step: number | undefined;
  if (log) {
    if (min <= 0) throw new RangeError(`${call}: a log slider needs min > 0 (got ${min})`);
    if (options.step !== undefined) throw new TypeError(`${call}: step and log do not go together (a log slider moves in equal ratios)`);
  } else {
    const integers = Number.isInteger(min) && Number.isInteger(max) && Number.isInteger(initial);
    step = options.step ?? (integers && max - min <= 1000 ? 1 : (max - min) / 100);
    if (typeof step !== "number" || !(step > 0) || !Number.isFinite(step)) throw new RangeError(`${call}: step must be a number > 0 (got ${show(step)})`);
    if ((max - min) / step > MAX_POSITIONS)
      throw new RangeError(`${call}: step ${step} gives more than ${MAX_POSITIONS} positions; take a larger step or { log: true }`);
  }
  const asked = chosen.get(name);
  let value = initial;
  if (typeof asked === "number" && Number.isFinite(asked)) {
    value = step === undefined ? Math.min(max, Math.max(min, asked)) : snap(asked, min, max, step);
  }
  declare({ type: "knob", control: "slider", name, label, min, max, ...(step === undefined ? {} : { step }), log, initial, value });
  return value;
}

/**
 * One of a few values the learner can pick in the playground (a menu): a ZeRO stage, an
 * algorithm, a topology. Returns the learner's pick when they made one (the program runs again
 * with it), else `initial`. Outside the playground it returns `initial`.
 * @param options The values to pick from: strings or numbers, each once.
 * @example const stage = choice("ZeRO stage", [0, 1, 2, 3], 2);
 * @example const algorithm = choice("algorithm", ["ring", "tree"], "ring");
 */
export function choice<const T extends string | number>(name: string, options: readonly T[], initial: T, opts: ChoiceOptions = {}): T {
  const call = `choice(${show(name)}, ${Array.isArray(options) ? `[${options.map(show).join(", ")}]` : show(options)}, ${show(initial)})`;
  checkName(call, name);
  if (!Array.isArray(options) || options.length === 0) throw new TypeError(`${call}: options must be a non-empty array`);
  if (options.length > MAX_OPTIONS) throw new RangeError(`${call}: more than ${MAX_OPTIONS} options`);
  for (const o of options as readonly unknown[]) {
    if (typeof o === "number" ? !Number.isFinite(o) : typeof o !== "string")
      throw new TypeError(`${call}: option ${show(o)} is not a string or a finite number`);
    if (typeof o === "string" && o.length > MAX_TEXT) throw new RangeError(`${call}: an option is longer than ${MAX_TEXT} characters`);
  }
  if (new Set(options).size !== options.length) throw new RangeError(`${call}: options must be different from each other`);
  if (!options.includes(initial)) throw new RangeError(`${call}: initial ${show(initial)} is not one of the options`);
  if (typeof opts !== "object" || opts === null) throw new TypeError(`${call}: the fourth argument must be an object (got ${show(opts)})`);
  const label = checkLabel(call, opts.label) ?? name;
  const asked = chosen.get(name);
  const value = options.find((o) => o === asked) ?? initial;
  declare({ type: "knob", control: "choice", name, label, options: [...options], initial, value });
  return value;
}
