/**
 * The Planner view's state: the knobs, the program's own model and cluster (from its `dist.plan`
 * call), the latest costed outcome and search. Every knob change re-costs through the app's planner
 * worker (src/runner/planner-client.ts, latest-wins), so the figures follow a dragged slider. One
 * per page: the view can be left and reopened without losing its knobs.
 * @module
 */
import type { PlannerCatalogue, PlannerInputs, PlannerOutcome, PlannerSearch } from "../../schema/planner";
import { PlannerClient } from "../../runner/planner-client";
import { DEFAULT_KNOBS, inputsOf, knobsOf, type FromCode, type PlannerKnobs } from "./planner-knobs";

/** Intervals of a step's timeline sent with every re-cost; larger steps are drawn from the trace only. */
export const TIMELINE_LIMIT = 20_000;

/** The Planner view's state. */
export class PlannerState {
  readonly client = new PlannerClient();
  catalogue = $state.raw<PlannerCatalogue | null>(null);
  knobs = $state<PlannerKnobs>({ ...DEFAULT_KNOBS });
  code = $state.raw<FromCode>({});
  outcome = $state.raw<PlannerOutcome | null>(null);
  /** Milliseconds the worker spent on the shown outcome. */
  ms = $state(0);
  search = $state.raw<{ result: PlannerSearch | { error: string }; ms: number } | null>(null);
  searching = $state(false);
  /** The program plan (its `seq` in the cluster store) the knobs were last set from. */
  appliedPlan = $state(0);
  private started: Promise<void> | undefined;

  /** The inputs the knobs stand for (null until the catalogue is in). */
  inputs = $derived<PlannerInputs | null>(this.catalogue ? inputsOf(this.knobs, this.catalogue, this.code) : null);

  /** Starts the worker and costs the knobs once its presets are in. */
  start(): Promise<void> {
    this.started ??= this.client.catalogue().then((c) => {
      this.catalogue = c;
      void this.recost();
    });
    return this.started;
  }

  /** Re-costs the current knobs (a newer call replaces one still waiting). */
  async recost(): Promise<void> {
    const inputs = this.inputs;
    if (!inputs) return;
    const reply = await this.client.cost(inputs, TIMELINE_LIMIT);
    if (!reply) return;
    this.outcome = reply.outcome;
    this.ms = reply.ms;
  }

  /** Sets some knobs and re-costs; a search answered for other inputs is dropped. */
  set(patch: Partial<PlannerKnobs>): void {
    Object.assign(this.knobs, patch);
    if (patch.model !== undefined || patch.cluster !== undefined || patch.devices !== undefined || patch.globalBatch !== undefined || patch.seq !== undefined)
      this.search = null;
    void this.recost();
  }

  /** Sets the knobs from a program's `dist.plan` inputs. */
  async apply(inputs: PlannerInputs, seq: number): Promise<void> {
    this.appliedPlan = seq;
    await this.start();
    if (!this.catalogue) return;
    const { knobs, code } = knobsOf(inputs, this.catalogue);
    this.code = code;
    this.knobs = knobs;
    this.search = null;
    void this.recost();
  }

  /** Searches the plans for the current model, cluster and global batch. */
  async runSearch(limit = 10): Promise<void> {
    const inputs = this.inputs;
    if (!inputs || this.searching) return;
    this.searching = true;
    try {
      this.search = await this.client.search(inputs, limit);
    } finally {
      this.searching = false;
    }
  }
}

let shared: PlannerState | undefined;
/** The page's planner state (made on first use). */
export function plannerState(): PlannerState {
  shared ??= new PlannerState();
  return shared;
}
