/// <reference lib="webworker" />
/**
 * The runner: a module Worker that imports the library, runs one user program and streams what
 * it prints, plots and throws back to the page. A worker runs one program only; Stop is
 * `terminate()`, and the next Run gets a fresh worker (see client.ts).
 *
 * Isolation (see client.ts): in the built app this bundle is imported by
 * a `data:` bootstrap worker, so it runs at an opaque origin with no access to the app's Cache
 * Storage, IndexedDB, OPFS, service worker or files. Its one channel to the page is a private
 * MessagePort: the port and the bound function that posts on it live in this module's closure,
 * which user code cannot reach, so a program cannot forge `done` or other runner messages.
 * @module
 */
import * as webgrad from "webgrad";
import { onEvent } from "webgrad";
import { PROTOCOL_VERSION, type BootMessage, type FromWorker, type LogLevel, type OutputItem, type RunRequest, type StackFrameInfo } from "./protocol";
import { Outbox } from "./outbox";
import { runCheck, type CheckFunction, type CheckReport } from "./exercise-check";
import { formatArgs, formatErrorText, formatValue } from "./format";
import { decodeMappings, mapStack, userFrames, userLineFromStack, type MappingSegment } from "./sourcemap";
import { LIBRARY_GLOBAL, rewriteLibraryImports, shimSource, stripSourceMappingComment } from "./module";

declare const self: DedicatedWorkerGlobalScope;

/** Where the data: bootstrap leaves the port before importing this bundle (taken and deleted at once). */
const BOOT_GLOBAL = "__webgradRunnerPort";

/** The private port: from the bootstrap (built app) or the first message on the worker (dev). */
async function takePort(): Promise<MessagePort> {
  const g = globalThis as Record<string, unknown>;
  const handed = g[BOOT_GLOBAL];
  delete g[BOOT_GLOBAL];
  if (handed instanceof MessagePort) return handed;
  return new Promise((resolve) => {
    const onBoot = (event: MessageEvent<BootMessage>): void => {
      if (event.data?.type !== "boot" || !(event.data.port instanceof MessagePort)) return;
      self.removeEventListener("message", onBoot);
      resolve(event.data.port);
    };
    self.addEventListener("message", onBoot);
  });
}

const port = await takePort();
// Bound now, before any user code runs: later changes to MessagePort.prototype cannot see it.
const postOnPort = MessagePort.prototype.postMessage.bind(port) as (message: FromWorker) => void;
const post = (message: FromWorker): void => {
  try {
    postOnPort(message);
  } catch (error) {
    // Output that cannot be cloned (a program's getter threw, a function…) is reported, not lost.
    if (message.type === "output") {
      postOnPort({
        type: "output",
        v: PROTOCOL_VERSION,
        runId: message.runId,
        items: [{ kind: "log", level: "error", text: `runner: output could not be sent: ${String(error)}` }],
      });
    }
  }
};
// The runner's own clock and timers, kept before the program's timers are wrapped.
const now = performance.now.bind(performance);
const setTimer = globalThis.setTimeout.bind(globalThis);

/** The library's exports, looked up by name for optional features (backendInfo, setMode). */
const library = webgrad as unknown as Record<string, unknown>;
const exportNames = Object.keys(webgrad);
(globalThis as Record<string, unknown>)[LIBRARY_GLOBAL] = webgrad;

/** The program this worker is running (at most one). */
let program: { runId: number; url: string; mappings: string; decoded?: MappingSegment[][] } | undefined;

const decoded = (): MappingSegment[][] => {
  if (!program) return [];
  program.decoded ??= decodeMappings(program.mappings);
  return program.decoded;
};

function framesOf(error: { stack?: unknown }): StackFrameInfo[] {
  return program ? mapStack(typeof error.stack === "string" ? error.stack : undefined, program.url, decoded) : [];
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === "object" && value !== null && "message" in value && "stack" in value;
}

function errorItem(thrown: unknown, uncaught: boolean): OutputItem {
  if (isErrorLike(thrown)) {
    const frames = framesOf(thrown);
    const first = frames.find((f) => f.line !== undefined);
    return {
      kind: "error",
      name: String(thrown.name || "Error"),
      message: String(thrown.message),
      line: first?.line,
      column: first?.column,
      frames,
      uncaught,
    };
  }
  return { kind: "error", name: "Uncaught", message: formatValue(thrown), frames: [], uncaught };
}

/** Errors inside console output: the message, then the frames in the user's program. */
function formatError(error: Error): string {
  return formatErrorText(error, userFrames(framesOf(error)));
}

function installConsole(outbox: Outbox): void {
  const emit = (level: LogLevel, args: unknown[]): void => {
    const firstError = args.find(isErrorLike);
    const frames = firstError ? framesOf(firstError) : undefined;
    const text = formatArgs(args, formatError);
    const item = (t: string): OutputItem => ({ kind: "log", level, text: t, frames });
    outbox.push(typeof text === "string" ? item(text) : text.then(item));
  };
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const c = globalThis.console as unknown as Record<string, unknown>;
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    c[level] = (...args: unknown[]) => emit(level, args);
  }
  c.trace = (...args: unknown[]) => emit("log", [...args, new Error("console.trace")]);
  c.table = (...args: unknown[]) => emit("log", args);
  c.dir = (...args: unknown[]) => emit("log", args);
  c.assert = (condition: unknown, ...args: unknown[]) => {
    if (!condition) emit("error", ["Assertion failed:", ...args]);
  };
  c.clear = () => outbox.push({ kind: "clear" });
  c.count = (label = "default") => {
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    emit("log", [`${label}: ${n}`]);
  };
  c.time = (label = "default") => void timers.set(label, performance.now());
  c.timeEnd = (label = "default") => {
    const t0 = timers.get(label);
    timers.delete(label);
    emit(t0 === undefined ? "warn" : "log", [t0 === undefined ? `Timer "${label}" does not exist` : `${label}: ${(performance.now() - t0).toFixed(1)} ms`]);
  };
}

/**
 * Wraps the timer functions so the runner knows when a program has nothing left to do: a run is
 * over when its top-level code has finished and no timeout, interval or animation frame it
 * started is pending. `onIdle` is called (later, and again) whenever the count reaches zero.
 * Not counted: work a program schedules in other ways (its own MessageChannel, a promise
 * resolved from outside), which ends with the top level or with Stop.
 */
function installTimers(onIdle: () => void): { pending(): number } {
  const g = globalThis as unknown as Record<string, unknown>;
  const realSet = globalThis.setTimeout.bind(globalThis);
  const realClear = globalThis.clearTimeout.bind(globalThis);
  const realInterval = globalThis.setInterval.bind(globalThis);
  const realClearInterval = globalThis.clearInterval.bind(globalThis);
  const timers = new Set<number>(); // timeouts and intervals share one id space
  const frames = new Set<number>();
  const changed = (): void => {
    if (timers.size + frames.size === 0) onIdle();
  };
  type Handler = (...args: unknown[]) => void;
  const callable = (handler: unknown): Handler =>
    typeof handler === "function"
      ? (handler as Handler)
      : () => {
          throw new TypeError("setTimeout/setInterval with a string is not supported here; pass a function");
        };
  g.setTimeout = (handler: unknown, ms?: number, ...args: unknown[]): number => {
    const fn = callable(handler);
    const id = realSet(() => {
      timers.delete(id);
      try {
        fn(...args);
      } finally {
        changed();
      }
    }, ms) as unknown as number;
    timers.add(id);
    return id;
  };
  g.setInterval = (handler: unknown, ms?: number, ...args: unknown[]): number => {
    const fn = callable(handler);
    const id = realInterval(() => fn(...args), ms) as unknown as number;
    timers.add(id);
    return id;
  };
  const clear = (id: unknown): void => {
    realClear(id as number);
    realClearInterval(id as number);
    if (timers.delete(id as number)) changed();
  };
  g.clearTimeout = clear;
  g.clearInterval = clear;
  const raf = g.requestAnimationFrame as ((cb: FrameRequestCallback) => number) | undefined;
  const caf = g.cancelAnimationFrame as ((id: number) => void) | undefined;
  if (typeof raf === "function" && typeof caf === "function") {
    const realRaf = raf.bind(globalThis);
    const realCaf = caf.bind(globalThis);
    g.requestAnimationFrame = (cb: FrameRequestCallback): number => {
      const fn = callable(cb);
      const id = realRaf((t) => {
        frames.delete(id);
        try {
          fn(t);
        } finally {
          changed();
        }
      });
      frames.add(id);
      return id;
    };
    g.cancelAnimationFrame = (id: number): void => {
      realCaf(id);
      if (frames.delete(id)) changed();
    };
  }
  return { pending: () => timers.size + frames.size };
}

async function run(request: RunRequest): Promise<void> {
  const { runId } = request;
  const outbox = new Outbox((items) => post({ type: "output", v: PROTOCOL_VERSION, runId, items }));
  installConsole(outbox);
  onEvent((event) => outbox.push({ kind: "event", event }));
  self.addEventListener("error", (e) => {
    e.preventDefault();
    outbox.push(errorItem(e.error ?? e.message, true));
  });
  self.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    outbox.push(errorItem(e.reason, true));
  });

  const mnist = request.assets?.mnist;
  if (mnist instanceof Blob) webgrad.data.setAssetUrl("mnist", URL.createObjectURL(mnist));
  await applyBackend(request);
  applyMode(request);
  applyPasses(request);
  applySteps(request);
  applyKnobs(request);

  const shimUrl = URL.createObjectURL(new Blob([shimSource(exportNames)], { type: "text/javascript" }));
  const js = rewriteLibraryImports(stripSourceMappingComment(request.js), shimUrl);
  const url = URL.createObjectURL(new Blob([js], { type: "text/javascript" }));
  program = { runId, url, mappings: request.mappings };
  // Let the library tag ops, tape nodes and its errors with the user's line.
  const setUserLineLocator = library.setUserLineLocator;
  if (typeof setUserLineLocator === "function") {
    setUserLineLocator((stack: string) => userLineFromStack(stack, url, decoded));
  }

  // Done once the top level has finished and no timer is pending; checked after a macrotask so
  // that what the last callback started (a new timer, a promise chain) is seen first.
  let topLevelDone = false;
  let ok = true;
  let finished = false;
  const t0 = now();
  const maybeFinish = (): void => {
    if (!topLevelDone || finished) return;
    setTimer(() => {
      if (finished || timers.pending() > 0) return;
      finished = true;
      const durationMs = now() - t0;
      // The latest backward pass the library left unmeasured gets its gradient norms (the tape the
      // Tape panel shows); a read that never ends (a lost device) holds up `done` for 3 s at most.
      const flushNorms = library.flushGradNorms;
      const norms =
        typeof flushNorms === "function"
          ? Promise.race([Promise.resolve(flushNorms()).catch(() => undefined), new Promise<void>((resolve) => setTimer(resolve, 3000))])
          : Promise.resolve();
      void norms.then(() => outbox.settled()).then(() => post({ type: "done", v: PROTOCOL_VERSION, runId, ok, durationMs }));
    }, 0);
  };
  const timers = installTimers(maybeFinish);

  let namespace: Record<string, unknown> | undefined;
  try {
    // Top-level await works: the import resolves once the module has finished evaluating.
    namespace = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    ok = false;
    outbox.push(errorItem(error, true));
  }
  if (request.check !== undefined) await runExerciseCheck(runId, request.check, namespace, shimUrl);
  topLevelDone = true;
  maybeFinish();
}

/**
 * An exercise's check, after the program's top level: the check module (JavaScript, its
 * `"webgrad"` imports pointed at the same library instance) gets the program's exports. Its report
 * goes out before `done`; a program that threw is reported as such (its error is in the console).
 */
async function runExerciseCheck(runId: number, source: string, namespace: Record<string, unknown> | undefined, shimUrl: string): Promise<void> {
  const send = (report: CheckReport): void => post({ type: "check", v: PROTOCOL_VERSION, runId, report });
  if (!namespace) {
    send({ cases: [], error: { kind: "program", message: "the program threw before the check could run" } });
    return;
  }
  try {
    const checkUrl = URL.createObjectURL(new Blob([rewriteLibraryImports(source, shimUrl)], { type: "text/javascript" }));
    const check = ((await import(/* @vite-ignore */ checkUrl)) as { default?: unknown }).default;
    if (typeof check !== "function") throw new TypeError("the check module has no default export function");
    send(await runCheck(check as CheckFunction, namespace, webgrad));
  } catch (error) {
    send({ cases: [], error: { kind: "check", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } });
  }
}

function applyMode(request: RunRequest): void {
  const setMode = library.setMode;
  if (typeof setMode === "function") {
    try {
      setMode(request.mode);
      post({ type: "mode", v: PROTOCOL_VERSION, runId: request.runId, applied: true });
    } catch (error) {
      post({ type: "mode", v: PROTOCOL_VERSION, runId: request.runId, applied: false, note: `setMode failed: ${String(error)}` });
    }
  } else {
    post({
      type: "mode",
      v: PROTOCOL_VERSION,
      runId: request.runId,
      applied: false,
      note: "the library does not export setMode() yet, so programs run as written",
    });
  }
}

/** Quick runs cap every `steps(n)` loop. */
function applySteps(request: RunRequest): void {
  const setStepLimit = library.setStepLimit;
  if (typeof setStepLimit === "function") setStepLimit(request.stepLimit);
}

/** The learner's knob values, handed to the library before the program reads them. */
function applyKnobs(request: RunRequest): void {
  const setKnobValues = library.setKnobValues;
  if (typeof setKnobValues === "function") setKnobValues(request.knobs ?? {});
}

/** Switches graph-mode passes on or off as the Graph panel asked (a fresh worker starts with all on). */
function applyPasses(request: RunRequest): void {
  const setPassEnabled = library.setPassEnabled;
  const passes = library.passes;
  if (typeof setPassEnabled !== "function" || typeof passes !== "function") return;
  const off = new Set(request.disabledPasses ?? []);
  for (const p of passes() as { name: string }[]) setPassEnabled(p.name, !off.has(p.name));
}

/**
 * WebGPU starts while this worker waits as the spare (so Run does not pay for the device), and
 * becomes the library's default backend when the browser has it.
 */
const webgpuReady: Promise<void> = (async () => {
  const initWebGPU = library.initWebGPU;
  if (typeof initWebGPU !== "function") return;
  try {
    await initWebGPU();
  } catch {
    // initWebGPU reports its own failures through backendInfo(); the CPU backend stays.
  }
})();

/** Settings → backend: "cpu" sets the CPU backend for this run; "auto" keeps WebGPU when it started. */
async function applyBackend(request: RunRequest): Promise<void> {
  await webgpuReady;
  if (request.backend === "cpu" && typeof library.setDefaultBackend === "function") (library.setDefaultBackend as (name: string) => void)("cpu");
  await reportBackend();
}

/** Status bar: the library's own answer when it has one, else what this worker can see. */
async function reportBackend(): Promise<void> {
  const backend = (name: string, detail: string, source: "library" | "runner"): void => post({ type: "backend", v: PROTOCOL_VERSION, name, detail, source });
  const backendInfo = library.backendInfo;
  if (typeof backendInfo === "function") {
    try {
      const info = (await backendInfo()) as { name: string; detail: string };
      backend(String(info.name), String(info.detail), "library");
    } catch (error) {
      backend("unknown", `backendInfo() failed: ${error instanceof Error ? error.message : String(error)}`, "library");
    }
    return;
  }
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    backend("none", "library reports no backend yet; WebGPU unavailable in this browser (no navigator.gpu)", "runner");
    return;
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      backend("none", "library reports no backend yet; WebGPU unavailable: no adapter", "runner");
      return;
    }
    const { vendor, architecture } = adapter.info;
    backend("none", `library reports no backend yet; WebGPU adapter present: ${[vendor, architecture].filter(Boolean).join(" ") || "unnamed"}`, "runner");
  } catch (error) {
    backend("none", `library reports no backend yet; WebGPU probe failed: ${String(error)}`, "runner");
  }
}

/** The page sends one run request; after it the port is not listened to (nothing else comes). */
function onRequest(event: MessageEvent<RunRequest>): void {
  const request = event.data;
  if (request?.v !== PROTOCOL_VERSION) {
    post({
      type: "output",
      v: PROTOCOL_VERSION,
      runId: -1,
      items: [{ kind: "log", level: "error", text: `runner: protocol version ${String(request?.v)} not understood (expected ${PROTOCOL_VERSION})` }],
    });
    return;
  }
  if (request.type === "run" && !program) {
    port.onmessage = null;
    void run(request);
  }
}
port.onmessage = onRequest;

post({ type: "ready", v: PROTOCOL_VERSION, exports: exportNames });
void webgpuReady.then(reportBackend);
