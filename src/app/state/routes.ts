/**
 * Where the library's events go: the stores the panels read, and one route per event kind (a
 * store, which takes its events in batches once per frame, or a function applied at once). The
 * table is typed against the event union, so a kind without a route, or a route to a store that
 * does not take that kind, is a compile error. A panel for a new kind of event is its store
 * here, its route here, and its entry in panels/registry.ts; AppState needs no change.
 * @module
 */
import type { EventOf, WebgradEvent, WebgradEventType } from "../../schema/events";
import { cleanText, LIMITS } from "../../runner/validate";
import type { BackendStatus } from "./app.svelte";
import { ClusterStore } from "./cluster.svelte";
import { ConsoleStore } from "./console.svelte";
import { GraphStore } from "./graph.svelte";
import { KernelStore } from "./kernels.svelte";
import type { KnobStore } from "./knobs.svelte";
import { PlotStore } from "./plots.svelte";
import { TapeStore } from "./tape.svelte";

/** The stores the panels read. AppState extends this, so a panel reads `app.plots`, `app.tape`… */
export class PanelStores {
  readonly console = new ConsoleStore();
  readonly plots = new PlotStore();
  readonly tape = new TapeStore();
  readonly cluster = new ClusterStore();
  readonly graph = new GraphStore();
  readonly kernels = new KernelStore();
}

/** What a route may change: the stores, the backend the status bar shows and the knobs bar's knobs (AppState is one). */
export interface RouteTarget extends PanelStores {
  backend: BackendStatus;
  readonly knobs: KnobStore;
}

/** A store that takes events of type `E` in batches and forgets them when a run starts. */
export interface EventSink<E> {
  addAll(events: readonly E[]): void;
  clear(): void;
}

/** The events a store takes: the element type of its `addAll`'s batch (never for other stores). */
type Takes<T> = T extends { addAll(events: readonly (infer E)[]): void; clear(): void } ? E : never;

/**
 * The names of the stores that take every event of type `E` (a store that takes only some of a
 * kind's events does not fit that kind's route). `E` is on the left of `extends` so that the
 * check waits for `E` to be known (with a store type on the left, TypeScript settles the
 * condition early, to false, inside generic aliases such as {@link EventRoute}).
 */
export type StoreFor<E> = { [S in keyof PanelStores]: [E] extends [Takes<PanelStores[S]>] ? S : never }[keyof PanelStores];

/** Where the events of one kind go: a store (batched per frame) or a function applied at once. */
export type EventRoute<E> = StoreFor<E> | ((app: RouteTarget, event: E) => void);

/** One route per event kind. */
export type EventRoutes = { readonly [K in WebgradEventType]: EventRoute<EventOf<K>> };

/** The routes. */
export const eventRoutes: EventRoutes = {
  plot: "plots",
  image: "plots",
  scatter: "plots",
  tape: "tape",
  // Evaluation traces are drawn by the Tape panel (its Trace view).
  evaltrace: "tape",
  graph: "graph",
  kernel: "kernels",
  comm: "cluster",
  plan: "cluster",
  // One value for the status bar, not a stream: applied at once rather than batched.
  backend: (app, e) => {
    app.backend = { name: cleanText(e.name, 40), detail: cleanText(e.detail, LIMITS.detail), source: "library" };
  },
  // Controls, not a stream, and kept across runs (the knobs store is not cleared when a run starts).
  knob: (app, e) => {
    const label = cleanText(e.label, LIMITS.name);
    app.knobs.declare(
      e.control === "choice"
        ? {
            ...e,
            label,
            options: e.options.map((o) => (typeof o === "string" ? cleanText(o, LIMITS.name) : o)),
            value: cleanOption(e.value),
            initial: cleanOption(e.initial),
          }
        : { ...e, label },
    );
  },
};

/** A choice's value cleaned as its options are (so it is still one of them). */
function cleanOption(v: string | number): string | number {
  return typeof v === "string" ? cleanText(v, LIMITS.name) : v;
}

/** The stores some route names: those that hold a run's events. */
export type EventStoreName = Extract<EventRoutes[WebgradEventType], string>;

/** The route of one event, as the table gives it for the event's kind. */
export function routeOf(event: WebgradEvent): EventStoreName | ((app: RouteTarget, event: WebgradEvent) => void) {
  // The table pairs each kind with a route that takes that kind's events, so the event fits its
  // route; TypeScript cannot follow that pairing through `event.type`, hence the cast.
  return eventRoutes[event.type] as EventStoreName | ((app: RouteTarget, event: WebgradEvent) => void);
}

/** A store that holds a run's events, as a sink for any event (see {@link routeOf}). */
export function eventStore(stores: PanelStores, name: EventStoreName): EventSink<WebgradEvent> {
  return stores[name] as unknown as EventSink<WebgradEvent>;
}

/** Every store that holds a run's events, once each (cleared when a run starts). */
export const eventStoreNames: readonly EventStoreName[] = [...new Set(Object.values(eventRoutes).filter((r): r is EventStoreName => typeof r === "string"))];
