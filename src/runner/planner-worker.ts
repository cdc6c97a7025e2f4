/**
 * The app's planner worker: trusted (it runs no user code), same-origin, started by the page on the
 * first use of the Cluster panel's Planner view. It answers planner-protocol.ts messages with
 * planner-service.ts, one at a time, and says how long each re-cost took.
 * @module
 */
import type { FromPlanner, ToPlanner } from "./planner-protocol";
import { costOutcome, plannerCatalogue, searchOutcome, traceJson } from "./planner-service";

const post = (m: FromPlanner) => postMessage(m);

addEventListener("message", (event: MessageEvent<ToPlanner>) => {
  const m = event.data;
  const t0 = performance.now();
  if (m.type === "cost") {
    const outcome = costOutcome(m.inputs, m.timelineLimit);
    post({ type: "cost", id: m.id, outcome, ms: performance.now() - t0 });
  } else if (m.type === "search") {
    let result: Extract<FromPlanner, { type: "search" }>["result"];
    try {
      result = searchOutcome(m.inputs, m.limit);
    } catch (e) {
      result = { error: e instanceof Error ? e.message : String(e) };
    }
    post({ type: "search", id: m.id, result, ms: performance.now() - t0 });
  } else if (m.type === "trace") {
    try {
      post({ type: "trace", id: m.id, json: traceJson(m.inputs) });
    } catch (e) {
      post({ type: "trace", id: m.id, json: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
});

post({ type: "catalogue", catalogue: plannerCatalogue() });
