/**
 * The page's side of the runner: starts workers, sends a program, relays what comes back, and
 * stops a run by terminating its worker. A spare worker is kept loaded (library imported,
 * backend probed) so Run starts at once; every run still gets a fresh worker.
 * @module
 */
import { PROTOCOL_VERSION, type FromWorker, type OutputItem, type RunMode } from "./protocol";

/** What the page hears about runs. */
export interface RunnerListener {
  output(runId: number, items: OutputItem[]): void;
  done(runId: number, ok: boolean, durationMs: number): void;
  backend(info: { name: string; detail: string; source: "library" | "runner" }): void;
  mode(runId: number, applied: boolean, note?: string): void;
  /** The worker itself failed (could not load, crashed): the run is over. */
  crashed(runId: number, message: string): void;
}

/** A program ready to run: transpiled JavaScript and its source map `mappings`. */
export interface RunnableProgram {
  js: string;
  mappings: string;
  mode: RunMode;
  /** Graph-mode passes to switch off (the Graph panel's switches). */
  disabledPasses: string[];
  /** Backend choice from Settings. */
  backend: "auto" | "cpu";
  /** Caps `steps(n)` for a quick run (Settings → "Quick runs"). */
  stepLimit?: number;
}

interface RunnerWorker {
  worker: Worker;
  ready: Promise<string[]>;
  runId?: number;
  finished: boolean;
}

export class RunnerClient {
  private spare: RunnerWorker | undefined;
  private active: RunnerWorker | undefined;
  private nextRunId = 1;

  constructor(private readonly listener: RunnerListener) {}

  /** Starts loading a spare worker if there is none (cheap to call). */
  warmUp(): void {
    this.spare ??= this.spawn();
  }

  /** The library's export names, once a worker has loaded it. */
  async exports(): Promise<string[]> {
    this.warmUp();
    return (this.active ?? this.spare)!.ready;
  }

  /** True while a started program's worker is alive (it may still be printing from timers). */
  get busy(): boolean {
    return this.active !== undefined && !this.active.finished;
  }

  /** Runs a program in a fresh worker, ending any previous one first. Returns the run id. */
  run(program: RunnableProgram): number {
    this.stop();
    const runner = this.spare ?? this.spawn();
    this.spare = undefined;
    const runId = this.nextRunId++;
    runner.runId = runId;
    this.active = runner;
    runner.ready.then(
      () => {
        if (this.active !== runner) return;
        runner.worker.postMessage({ type: "run", v: PROTOCOL_VERSION, runId, ...program });
      },
      (error: unknown) => {
        if (this.active === runner) this.fail(runner, String(error));
      },
    );
    return runId;
  }

  /**
   * Ends the active program now: `terminate()` stops the worker even inside `while (true) {}`.
   * Returns whether something was running.
   */
  stop(): boolean {
    const runner = this.active;
    if (!runner) return false;
    this.active = undefined;
    runner.worker.terminate();
    this.warmUp();
    return !runner.finished;
  }

  /** Terminates every worker (page teardown, tests). */
  dispose(): void {
    this.stop();
    this.spare?.worker.terminate();
    this.spare = undefined;
  }

  private fail(runner: RunnerWorker, message: string): void {
    runner.finished = true;
    runner.worker.terminate();
    if (this.active === runner) this.active = undefined;
    if (this.spare === runner) this.spare = undefined;
    if (runner.runId !== undefined) this.listener.crashed(runner.runId, message);
  }

  private spawn(): RunnerWorker {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "webgrad-runner" });
    let resolveReady!: (exports: string[]) => void;
    let rejectReady!: (error: Error) => void;
    const ready = new Promise<string[]>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => {}); // reported through run() or crashed()
    const runner: RunnerWorker = { worker, ready, finished: false };
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.v !== PROTOCOL_VERSION) {
        console.error("webgrad runner: unexpected protocol version", message);
        return;
      }
      switch (message.type) {
        case "ready":
          resolveReady(message.exports);
          return;
        case "backend":
          // Before the first run the spare's probe is all there is; after it, the status bar shows
          // the backend of the run (a fresh spare starting must not overwrite what the run chose).
          if (this.active === runner || (this.active === undefined && this.nextRunId === 1)) {
            this.listener.backend({ name: message.name, detail: message.detail, source: message.source });
          }
          return;
      }
      // Run messages count only from the active worker (a stopped one may have some in flight).
      if (this.active !== runner || message.runId !== runner.runId) return;
      switch (message.type) {
        case "mode":
          this.listener.mode(message.runId, message.applied, message.note);
          return;
        case "output":
          this.listener.output(message.runId, message.items);
          return;
        case "done":
          runner.finished = true;
          this.listener.done(message.runId, message.ok, message.durationMs);
          this.warmUp();
          return;
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const message = `The runner worker failed: ${event.message || "it could not be loaded"}`;
      rejectReady(new Error(message));
      this.fail(runner, message);
    };
    return runner;
  }
}
