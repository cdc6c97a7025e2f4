/**
 * Library events received but not yet in their stores: queued per store in arrival order and
 * handed over together, so a store updates once per batch however fast events come (AppState
 * applies them once per animation frame). Which store takes which kind is routes.ts's table.
 * @module
 */
import type { WebgradEvent } from "../../schema/events";
import { eventStore, routeOf, type EventStoreName, type PanelStores, type RouteTarget } from "./routes";

/** Events waiting for their stores, per store. */
export class EventBatches {
  private batches = new Map<EventStoreName, WebgradEvent[]>();

  /** Routes one event: queued for its store, or, when its route is a function, applied to `app` now. */
  add(app: RouteTarget, event: WebgradEvent): void {
    const route = routeOf(event);
    if (typeof route === "function") return route(app, event);
    const batch = this.batches.get(route);
    if (batch) batch.push(event);
    else this.batches.set(route, [event]);
  }

  /** Hands each store its queued events (in arrival order) and starts empty. */
  apply(stores: PanelStores): void {
    const batches = this.batches;
    this.batches = new Map();
    for (const [name, events] of batches) eventStore(stores, name).addAll(events);
  }

  /** Forgets what is queued. */
  drop(): void {
    this.batches = new Map();
  }
}
