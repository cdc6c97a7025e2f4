/**
 * The page's side of the runner: starts workers, sends a program, relays what comes back, and
 * stops a run by terminating its worker. A spare worker is kept loaded (library imported,
 * WebGPU device requested) at all times, also while a program runs, so Run — including Run
 * right after Stop — starts at once; every run still gets a fresh worker.
 *
 * Isolation: in the built app a runner worker is a tiny `data:` module that imports the runner's
 * bundle from a blob (fetched here, same-origin, so it works offline from the service worker's
 * cache). A `data:` worker has an opaque origin: user code in it cannot open the app's Cache
 * Storage, IndexedDB or OPFS, reach the service worker, or fetch the app's files, yet it is a
 * secure context with WebGPU. Its messages come on a private MessagePort and each one is
 * checked (validate.ts) before the page acts on it; `self.postMessage` in the worker reaches
 * nothing. The dev server (`vite`) starts the worker from its module URL instead (an opaque
 * origin cannot load the dev server's module graph), so isolation holds in builds only.
 * (Why not a sandboxed iframe: a worker started there is not a secure context, so it has no
 * WebGPU.) Not isolated: user code shares its realm with the runner and the library, so it can
 * patch intrinsics the runner uses later — which is why the page validates every message — and
 * it can use the CPU and GPU until Stop. The worker inherits the page's CSP (vite.config.ts), so
 * it cannot send data to other origins either.
 * @module
 */
import { PROTOCOL_VERSION, type BootMessage, type FromWorker, type OutputItem, type RunMode, type RunRequest } from "./protocol";
import { checkFromWorker } from "./validate";
import type { CheckReport } from "./exercise-check";
import workerUrl from "./worker.ts?worker&url";
import mnistUrl from "virtual:webgrad-mnist";

/**
 * The `data:` bootstrap: takes the port and the bundle from the first message, leaves the port
 * where the bundle takes it (and deletes it) on import, and reports a bundle that fails to load.
 */
const BOOTSTRAP = `addEventListener("message", async (e) => {
  const d = e.data;
  if (!d || d.type !== "boot" || !d.port || !d.source) return;
  globalThis.__webgradRunnerPort = d.port;
  try {
    await import(URL.createObjectURL(d.source));
  } catch (error) {
    d.port.postMessage({ type: "fatal", v: ${PROTOCOL_VERSION}, message: String(error) });
  }
}, { once: true });`;

/**
 * How long after Run the next spare starts loading if the run has printed nothing yet (loading it
 * at the same moment as the run would slow the run's start on a machine with few cores).
 */
const SPARE_DELAY_MS = 300;

/** True where runner workers start at an opaque origin (built app). */
export const ISOLATED_RUNNER = import.meta.env.PROD;

let bundle: Promise<Blob> | undefined;
/** The runner's bundle as a blob (fetched once per page, from the service worker's cache when offline). */
function runnerBundle(): Promise<Blob> {
  bundle ??= fetch(workerUrl).then(async (r) => {
    if (!r.ok) throw new Error(`could not fetch the runner (${workerUrl}): HTTP ${r.status}`);
    return new Blob([await r.arrayBuffer()], { type: "text/javascript" });
  });
  bundle.catch(() => (bundle = undefined)); // retried by the next worker
  return bundle;
}

let mnist: Promise<Blob | undefined> | undefined;
/** The bundled MNIST subset, handed to runs as bytes (an opaque origin cannot fetch it). */
function mnistAsset(): Promise<Blob | undefined> {
  mnist ??= fetch(mnistUrl).then(
    (r) => (r.ok ? r.blob() : undefined),
    () => undefined,
  );
  return mnist;
}

/** What the page hears about runs. */
export interface RunnerListener {
  output(runId: number, items: OutputItem[]): void;
  done(runId: number, ok: boolean, durationMs: number): void;
  backend(info: { name: string; detail: string; source: "library" | "runner" }): void;
  mode(runId: number, applied: boolean, note?: string): void;
  /** An exercise check's report (runs started with `check` only), before `done`. */
  check?(runId: number, report: CheckReport): void;
  /** The worker itself failed (could not load, crashed): the run is over. The page words it. */
  crashed(runId: number, crash: RunnerCrash): void;
}

/**
 * Why a runner worker ended without finishing its run: its bundle did not load (`load`), the
 * worker failed as a whole (`worker`), or it reported a fatal error while starting (`fatal`).
 * `detail` is the browser's or the worker's own text, shown as it is.
 */
export interface RunnerCrash {
  kind: "load" | "worker" | "fatal";
  detail: string;
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
  /** An exercise's check module (JavaScript), run after the program with its exports. */
  check?: string;
  /** The learner's knob values by name (the knobs bar); a plain object, as it is posted to the worker. */
  knobs?: Record<string, number | string>;
}

interface RunnerWorker {
  worker: Worker;
  /** The private channel (every message after boot). */
  port: MessagePort;
  ready: Promise<string[]>;
  runId?: number;
  finished: boolean;
}

export class RunnerClient {
  private spare: RunnerWorker | undefined;
  private active: RunnerWorker | undefined;
  private nextRunId = 1;
  private spareTimer: ReturnType<typeof setTimeout> | undefined;

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
    // The next spare loads while this run goes on (so Run after Stop does not wait for a worker
    // and a GPU device), once the run has started: its first output, or SPARE_DELAY_MS.
    this.spareTimer = setTimeout(() => this.warmUp(), SPARE_DELAY_MS);
    Promise.all([runner.ready, mnistAsset()]).then(
      ([, mnistBlob]) => {
        if (this.active !== runner) return;
        const request: RunRequest = { type: "run", v: PROTOCOL_VERSION, runId, ...program, assets: { mnist: mnistBlob } };
        runner.port.postMessage(request);
      },
      (error: unknown) => {
        if (this.active === runner) this.fail(runner, { kind: "load", detail: error instanceof Error ? error.message : String(error) });
      },
    );
    return runId;
  }

  /**
   * Ends the active program now: `terminate()` stops the worker even inside `while (true) {}`.
   * Returns whether something was running.
   */
  stop(): boolean {
    clearTimeout(this.spareTimer);
    const runner = this.active;
    if (!runner) return false;
    this.active = undefined;
    runner.worker.terminate();
    runner.port.close();
    this.warmUp();
    return !runner.finished;
  }

  /** Terminates every worker (page teardown, tests). */
  dispose(): void {
    this.stop();
    this.spare?.worker.terminate();
    this.spare = undefined;
  }

  private fail(runner: RunnerWorker, crash: RunnerCrash): void {
    runner.finished = true;
    runner.worker.terminate();
    runner.port.close();
    if (this.active === runner) this.active = undefined;
    if (this.spare === runner) this.spare = undefined;
    if (runner.runId !== undefined) this.listener.crashed(runner.runId, crash);
  }

  private spawn(): RunnerWorker {
    const channel = new MessageChannel();
    const worker = ISOLATED_RUNNER
      ? new Worker(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`, { type: "module", name: "webgrad-runner" })
      : new Worker(workerUrl, { type: "module", name: "webgrad-runner" });
    let resolveReady!: (exports: string[]) => void;
    let rejectReady!: (error: Error) => void;
    const ready = new Promise<string[]>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => {}); // reported through run() or crashed()
    const runner: RunnerWorker = { worker, port: channel.port1, ready, finished: false };
    const boot = (source?: Blob): void => {
      const message: BootMessage = { type: "boot", v: PROTOCOL_VERSION, port: channel.port2, source };
      worker.postMessage(message, [channel.port2]);
    };
    if (ISOLATED_RUNNER) {
      runnerBundle().then(boot, (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        rejectReady(new Error(`The runner could not be loaded: ${detail}`));
        this.fail(runner, { kind: "load", detail });
      });
    } else {
      boot();
    }
    // Only the port is listened to: what user code posts on its worker global reaches nothing.
    channel.port1.onmessage = (event: MessageEvent<unknown>) => {
      const checked = checkFromWorker(event.data);
      if (!checked.ok) {
        console.warn(`webgrad runner: refused a message (${checked.reason})`);
        return;
      }
      this.receive(runner, checked.value, resolveReady, rejectReady);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      rejectReady(new Error(`The runner worker failed: ${event.message || "it could not be loaded"}`));
      this.fail(runner, { kind: "worker", detail: event.message });
    };
    return runner;
  }

  private receive(runner: RunnerWorker, message: FromWorker, resolveReady: (exports: string[]) => void, rejectReady: (error: Error) => void): void {
    switch (message.type) {
      case "ready":
        resolveReady(message.exports);
        return;
      case "fatal":
        rejectReady(new Error(message.message));
        this.fail(runner, { kind: "fatal", detail: message.message });
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
    // After its run is done only output still counts: the library sends some events when a
    // read-back it started lands (the Tape panel's gradient norms on WebGPU), and they belong to
    // the run that was just shown; mode and another done do not.
    if (this.active !== runner || message.runId !== runner.runId) return;
    if (runner.finished && message.type !== "output") return;
    switch (message.type) {
      case "mode":
        this.listener.mode(message.runId, message.applied, message.note);
        return;
      case "check":
        this.listener.check?.(message.runId, message.report);
        return;
      case "output":
        this.listener.output(message.runId, message.items);
        this.warmUp();
        return;
      case "done":
        runner.finished = true;
        this.listener.done(message.runId, message.ok, message.durationMs);
        this.warmUp();
        return;
    }
  }
}
