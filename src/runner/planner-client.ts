/**
 * The page's side of the planner worker: starts it on first use, hands out its catalogue, and
 * answers requests as promises. Re-costs are latest-wins: while one is in the worker, a newer one
 * waits and replaces any older waiting one (a dragged slider sends many; only the newest matters),
 * so the panel never falls behind the knob.
 * @module
 */
import type { PlannerCatalogue, PlannerInputs, PlannerOutcome, PlannerSearch } from "../schema/planner";
import type { FromPlanner, ToPlanner } from "./planner-protocol";
import plannerWorkerUrl from "./planner-worker.ts?worker&url";

/** A re-cost's answer: the outcome and the worker's milliseconds (null: a newer request replaced it). */
export type CostReply = { outcome: PlannerOutcome; ms: number } | null;

type Pending = { resolve: (m: FromPlanner) => void };

/** One planner worker per page. */
export class PlannerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private catalogueWaiters: ((c: PlannerCatalogue) => void)[] = [];
  private catalogueValue: PlannerCatalogue | undefined;
  private costBusy = false;
  private queued: { inputs: PlannerInputs; timelineLimit: number; resolve: (r: CostReply) => void } | undefined;

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(plannerWorkerUrl, { type: "module", name: "webgrad-planner" });
    w.addEventListener("message", (e: MessageEvent<FromPlanner>) => {
      const m = e.data;
      if (m.type === "catalogue") {
        this.catalogueValue = m.catalogue;
        for (const f of this.catalogueWaiters.splice(0)) f(m.catalogue);
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
    });
    this.worker = w;
    return w;
  }

  private send<T extends FromPlanner>(m: ToPlanner): Promise<T> {
    const w = this.start();
    return new Promise<T>((resolve) => {
      this.pending.set(m.id, { resolve: resolve as (m: FromPlanner) => void });
      w.postMessage(m);
    });
  }

  /** The model and cluster presets (starts the worker). */
  catalogue(): Promise<PlannerCatalogue> {
    this.start();
    if (this.catalogueValue) return Promise.resolve(this.catalogueValue);
    return new Promise((resolve) => this.catalogueWaiters.push(resolve));
  }

  /** Cost a plan; null when a newer re-cost replaced this one before it reached the worker. */
  cost(inputs: PlannerInputs, timelineLimit: number): Promise<CostReply> {
    return new Promise((resolve) => {
      if (this.queued) this.queued.resolve(null);
      this.queued = { inputs, timelineLimit, resolve };
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.costBusy || !this.queued) return;
    const { inputs, timelineLimit, resolve } = this.queued;
    this.queued = undefined;
    this.costBusy = true;
    // $state proxies cannot be cloned: the inputs travel as plain JSON data.
    const reply = await this.send<Extract<FromPlanner, { type: "cost" }>>({ type: "cost", id: this.nextId++, inputs: plain(inputs), timelineLimit });
    this.costBusy = false;
    resolve({ outcome: reply.outcome, ms: reply.ms });
    void this.pump();
  }

  /** Search the plans for the inputs' model, cluster and global batch. */
  async search(inputs: PlannerInputs, limit: number): Promise<{ result: PlannerSearch | { error: string }; ms: number }> {
    const r = await this.send<Extract<FromPlanner, { type: "search" }>>({ type: "search", id: this.nextId++, inputs: plain(inputs), limit });
    return { result: r.result, ms: r.ms };
  }

  /** One step's Chrome Trace Event JSON, or the reason there is none. */
  async trace(inputs: PlannerInputs): Promise<{ json: string | null; error?: string }> {
    const r = await this.send<Extract<FromPlanner, { type: "trace" }>>({ type: "trace", id: this.nextId++, inputs: plain(inputs) });
    return { json: r.json, error: r.error };
  }
}

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
