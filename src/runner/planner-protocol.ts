/**
 * The messages between the page and the app's planner worker (planner-worker.ts): a small trusted
 * worker that owns the library's planner, so the Cluster panel can re-cost a plan while a knob moves
 * without importing the library and without waiting for the learner's program in the runner. The
 * data travels in the wire types of src/schema/planner.ts. No user code runs in this worker.
 * @module
 */
import type { PlannerCatalogue, PlannerInputs, PlannerOutcome, PlannerSearch } from "../schema/planner";

/** Page → planner worker. */
export type ToPlanner =
  /** Cost a plan; the step's timeline comes along when it has at most `timelineLimit` intervals. */
  | { type: "cost"; id: number; inputs: PlannerInputs; timelineLimit: number }
  /** Search the plans of the model on the cluster for the global batch (the plan's other fields are ignored). */
  | { type: "search"; id: number; inputs: PlannerInputs; limit: number }
  /** One step's Chrome Trace Event JSON (for Perfetto). */
  | { type: "trace"; id: number; inputs: PlannerInputs };

/** Planner worker → page. */
export type FromPlanner =
  /** Sent once when the worker starts: the presets the knobs offer. */
  | { type: "catalogue"; catalogue: PlannerCatalogue }
  /** A costed plan (or its reason), with the milliseconds the worker spent costing it. */
  | { type: "cost"; id: number; outcome: PlannerOutcome; ms: number }
  | { type: "search"; id: number; result: PlannerSearch | { error: string }; ms: number }
  | { type: "trace"; id: number; json: string | null; error?: string };
