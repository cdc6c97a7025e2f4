/**
 * The knobs bar's state: the knobs a program declared (`slider()`, `choice()` send `knob`
 * events) and the values the learner chose, kept per scope (an example's id, or "" for the
 * learner's own code) for the session, so going to another example and back keeps them.
 *
 * Unlike the panels' stores it is not emptied when a run starts: the bar keeps its controls
 * (and the focus on the one being dragged) while the program runs again. A finished run that
 * declared knobs, or that succeeded, replaces the set: a knob the code no longer declares
 * disappears with the value chosen for it. A run that failed before declaring any keeps the bar.
 * @module
 */
import type { KnobEvent } from "../../schema/events";

/** One knob as the bar shows it: what the code declared, with the value in use. */
export type Knob = KnobEvent;

/** A value of a slider or a choice. */
export type KnobValue = number | string;

/** What one scope has: its knobs in declaration order, and the values the learner chose by name. */
interface ScopeKnobs {
  knobs: Knob[];
  chosen: Record<string, KnobValue>;
}

/** The scope of code that is no example. */
export const OWN_CODE_SCOPE = "";

export class KnobStore {
  private scopes = $state<Record<string, ScopeKnobs>>({});
  /** The scope of the run in progress, and the names it declared so far (null: no run). */
  private run: { scope: string; names: Set<string> } | null = null;

  /** The knobs to show for `scope` (empty until a run of its code declared some). */
  knobsFor(scope: string): readonly Knob[] {
    return this.scopes[scope]?.knobs ?? [];
  }

  /** True when the learner moved a knob of `scope` away from what the code gives. */
  hasChoices(scope: string): boolean {
    return Object.keys(this.scopes[scope]?.chosen ?? {}).length > 0;
  }

  /**
   * A run of `scope`'s code starts: returns the learner's values to hand to it (a plain object,
   * so it can be posted to the worker).
   */
  runStarted(scope: string): Record<string, KnobValue> {
    this.run = { scope, names: new Set() };
    return { ...this.scopes[scope]?.chosen };
  }

  /** A knob the running program declared: shown at once (replacing one of the same name, else appended). */
  declare(knob: Knob): void {
    if (!this.run) return;
    this.run.names.add(knob.name);
    const entry = (this.scopes[this.run.scope] ??= { knobs: [], chosen: {} });
    const at = entry.knobs.findIndex((k) => k.name === knob.name);
    if (at >= 0) entry.knobs[at] = knob;
    else entry.knobs.push(knob);
  }

  /** The run ended by itself (not Stop): keep what it declared, drop what it no longer declares. */
  runFinished(ok: boolean): void {
    const run = this.run;
    this.run = null;
    if (!run || (!ok && run.names.size === 0)) return;
    const entry = this.scopes[run.scope];
    if (!entry) return;
    entry.knobs = entry.knobs.filter((k) => run.names.has(k.name));
    for (const name of Object.keys(entry.chosen)) if (!run.names.has(name)) delete entry.chosen[name];
  }

  /** A run was stopped or superseded: what it declared so far stays, nothing is dropped. */
  runAbandoned(): void {
    this.run = null;
  }

  /** The learner set a knob of `scope`: remembered, and shown until the next run reports the value it used. */
  choose(scope: string, name: string, value: KnobValue): void {
    const entry = this.scopes[scope];
    const knob = entry?.knobs.find((k) => k.name === name);
    if (!entry || !knob) return;
    if (knob.control === "slider") {
      if (typeof value !== "number" || !Number.isFinite(value)) return;
      knob.value = value;
    } else {
      if (!knob.options.includes(value)) return;
      knob.value = value;
    }
    entry.chosen[name] = value;
  }

  /** Forgets the learner's values for `scope`: every knob back to what the code gives. */
  reset(scope: string): void {
    const entry = this.scopes[scope];
    if (!entry) return;
    entry.chosen = {};
    for (const knob of entry.knobs) {
      if (knob.control === "slider") knob.value = knob.initial;
      else knob.value = knob.initial;
    }
  }
}
