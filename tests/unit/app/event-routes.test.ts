import { describe, expect, it } from "vitest";
import { arange, dist, jit, onEvent, plot, randn, setKnobValues, slider, type WebgradEvent } from "webgrad";
import type { BackendEvent, KernelEvent } from "../../../src/schema/events";
import { EventBatches } from "../../../src/app/state/event-batches";
import { eventRoutes, eventStoreNames, PanelStores, type EventRoutes, type RouteTarget, type StoreFor } from "../../../src/app/state/routes";
import type { BackendStatus } from "../../../src/app/state/app.svelte";
import { KnobStore } from "../../../src/app/state/knobs.svelte";

/** The stores and the status bar's backend, as AppState has them (without its runner). */
class Target extends PanelStores implements RouteTarget {
  backend: BackendStatus = { name: "…", detail: "starting the runner", source: "pending" };
  readonly knobs = new KnobStore();
}

/** What the library emits for a small program that plots, records a tape, traces a jit function and runs a collective. */
function libraryEvents(): WebgradEvent[] {
  const events: WebgradEvent[] = [];
  const off = onEvent((e) => events.push(e));
  try {
    plot("loss", 0, 1);
    plot("loss", 1, 0.5);
    const w = randn([3], { requiresGrad: true });
    w.mul(w).sum().backward();
    jit((x: ReturnType<typeof randn>) => x.mul(2).add(1))(randn([4]));
    const c = dist.cluster({ devicesPerNode: 2 });
    dist.allReduce(c.devices.map((d, r) => arange(r, r + 2, 1, { device: d, dtype: "float32" })));
  } finally {
    off();
  }
  return events;
}

// The WebGPU backend's events (no GPU in Node): the backend it announces, one dispatch and the submit that carried it.
const webgpuEvents: (KernelEvent | BackendEvent)[] = [
  { type: "backend", name: "webgpu", detail: "WebGPU: test adapter\u0007" },
  { type: "kernel", phase: "dispatch", kernel: "add_f32", workgroups: [1, 1, 1], bytes: 48 },
  {
    type: "kernel",
    phase: "submit",
    dispatches: 1,
    kernelMs: { add_f32: 0.1 },
    totalMs: 0.1,
    timing: "cpu",
    pool: { liveBytes: 48, pooledBytes: 0, buffersCreated: 1 },
  },
];

describe("event routes", () => {
  it("name a store for every kind the panels draw, and clear each once", () => {
    expect(eventRoutes).toMatchObject({ plot: "plots", image: "plots", scatter: "plots", tape: "tape", graph: "graph", kernel: "kernels", comm: "cluster" });
    expect([...eventStoreNames].sort()).toEqual(["cluster", "graph", "kernels", "plots", "tape"]);
  });

  it("take the library's events into the stores in one batch, and apply backend events at once", () => {
    const events = [...libraryEvents(), ...webgpuEvents];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["plot", "tape", "graph", "comm", "backend", "kernel"]));
    const app = new Target();
    const batches = new EventBatches();
    for (const e of events) batches.add(app, e);
    // The backend is shown at once (its text cleaned as the page cleans what the worker sends).
    expect(app.backend).toEqual({ name: "webgpu", detail: "WebGPU: test adapter", source: "library" });
    // Nothing else is in a store before the batch is applied.
    expect([app.plots.figures.length, app.tape.nodes.length, app.graph.functions.length, app.kernels.dispatchCount, app.cluster.clusterCount]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    batches.apply(app);
    expect(app.plots.figures.map((f) => f.name)).toEqual(["loss"]);
    expect(app.tape.nodes.map((n) => n.op)).toEqual(["mul", "sum"]);
    expect(app.tape.backward.length).toBe(2);
    expect(app.graph.functions.length).toBe(1);
    expect(app.graph.functions[0].stages[0].json.nodes.map((n) => n.op)).toEqual(["mul", "add"]);
    expect(app.kernels.dispatchCount).toBe(1);
    expect([app.cluster.clusterCount, app.cluster.collectiveCount]).toEqual([1, 1]);
    expect(app.cluster.collectives[0].collective).toBe("allReduce");
    // Applied once: a second apply hands over nothing again.
    batches.apply(app);
    expect([app.plots.figures.length, app.tape.nodes.length, app.graph.functions.length, app.kernels.dispatchCount]).toEqual([1, 2, 1, 1]);
  });

  it("keep each store's events in arrival order across kinds", () => {
    const app = new Target();
    const batches = new EventBatches();
    batches.add(app, { type: "plot", chart: "a", series: "s", x: 0, y: 0 });
    batches.add(app, { type: "tape", phase: "reset" });
    batches.add(app, { type: "image", name: "b", count: 1, height: 1, width: 1, pixels: new Uint8Array(1), range: [0, 1], colormap: "gray" });
    batches.add(app, { type: "plot", chart: "c", series: "s", x: 0, y: 0 });
    batches.apply(app);
    expect(app.plots.figures.map((f) => f.name)).toEqual(["a", "b", "c"]);
    expect(app.tape.tapeCount).toBe(1);
  });

  it("apply knob events at once to the knobs of the running program, their labels cleaned", () => {
    const app = new Target();
    const batches = new EventBatches();
    const events: WebgradEvent[] = [];
    const off = onEvent((e) => events.push(e));
    try {
      setKnobValues({ lr: 0.5 });
      slider("lr", 0.001, 1, 0.1, { log: true, label: "learning\u0007 rate" });
    } finally {
      off();
      setKnobValues();
    }
    app.knobs.runStarted("03-gradient-descent");
    for (const e of events) batches.add(app, e);
    expect(app.knobs.knobsFor("03-gradient-descent")).toEqual([
      { type: "knob", control: "slider", name: "lr", label: "learning rate", min: 0.001, max: 1, log: true, initial: 0.1, value: 0.5 },
    ]);
    batches.apply(app);
    expect(app.plots.figures).toEqual([]);
  });

  it("forget what is queued when dropped", () => {
    const app = new Target();
    const batches = new EventBatches();
    batches.add(app, { type: "plot", chart: "a", series: "s", x: 0, y: 0 });
    batches.drop();
    batches.apply(app);
    expect(app.plots.figures).toEqual([]);
  });

  it("are checked by the compiler (svelte-check runs over these lines)", () => {
    const { comm: _comm, ...withoutComm } = eventRoutes;
    // @ts-expect-error -- a kind without a route does not type-check
    const missing: EventRoutes = withoutComm;
    // @ts-expect-error -- a route to a store that does not take that kind does not type-check
    const wrongStore: EventRoutes = { ...eventRoutes, tape: "plots" };
    // @ts-expect-error -- no store takes graph events and kernel events both
    const none: StoreFor<WebgradEvent> = "graph";
    expect([missing, wrongStore, none].length).toBe(3);
  });
});
