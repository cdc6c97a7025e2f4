/// <reference lib="webworker" />
/**
 * The runner: a same-origin module Worker that imports the library, runs one user program and
 * streams what it prints, plots and throws back to the page. A worker runs one program only;
 * Stop is `terminate()`, and the next Run gets a fresh worker (see client.ts).
 * @module
 */
import * as webgrad from "webgrad";
import { onEvent } from "webgrad";
import mnistUrl from "virtual:webgrad-mnist";
import { PROTOCOL_VERSION, type FromWorker, type LogLevel, type OutputItem, type RunRequest, type StackFrameInfo } from "./protocol";
import { Outbox } from "./outbox";
import { formatArgs, formatValue } from "./format";
import { decodeMappings, mapStack, userLineFromStack, type MappingSegment } from "./sourcemap";
import { LIBRARY_GLOBAL, rewriteLibraryImports, shimSource, stripSourceMappingComment } from "./module";

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromWorker): void => self.postMessage(message);
/** The library's exports, looked up by name for optional features (backendInfo, setMode). */
const library = webgrad as unknown as Record<string, unknown>;
const exportNames = Object.keys(webgrad);
(globalThis as Record<string, unknown>)[LIBRARY_GLOBAL] = webgrad;
// Bundled data files live next to the build's chunks (scripts/mnist-asset.ts emits them).
webgrad.data.setAssetUrl("mnist", mnistUrl);

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

/** Errors inside console output: the message, then the mapped frames. */
function formatError(error: Error): string {
  const frames = framesOf(error).map((f) => `\n    at ${f.text}`);
  return `${error.name}: ${error.message}${frames.join("")}`;
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

  await applyBackend(request);
  applyMode(request);
  applyPasses(request);
  applySteps(request);

  const shimUrl = URL.createObjectURL(new Blob([shimSource(exportNames)], { type: "text/javascript" }));
  const js = rewriteLibraryImports(stripSourceMappingComment(request.js), shimUrl);
  const url = URL.createObjectURL(new Blob([js], { type: "text/javascript" }));
  program = { runId, url, mappings: request.mappings };
  // Let the library tag ops, tape nodes and its errors with the user's line.
  const setUserLineLocator = library.setUserLineLocator;
  if (typeof setUserLineLocator === "function") {
    setUserLineLocator((stack: string) => userLineFromStack(stack, url, decoded));
  }

  const t0 = performance.now();
  let ok = true;
  try {
    // Top-level await works: the import resolves once the module has finished evaluating.
    await import(/* @vite-ignore */ url);
  } catch (error) {
    ok = false;
    outbox.push(errorItem(error, true));
  }
  const durationMs = performance.now() - t0;
  await outbox.settled();
  post({ type: "done", v: PROTOCOL_VERSION, runId, ok, durationMs });
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
  const backend = (name: string, detail: string, source: "library" | "runner"): void =>
    post({ type: "backend", v: PROTOCOL_VERSION, name, detail, source });
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
    backend(
      "none",
      `library reports no backend yet; WebGPU adapter present: ${[vendor, architecture].filter(Boolean).join(" ") || "unnamed"}`,
      "runner",
    );
  } catch (error) {
    backend("none", `library reports no backend yet; WebGPU probe failed: ${String(error)}`, "runner");
  }
}

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  if (request?.v !== PROTOCOL_VERSION) {
    post({ type: "output", v: PROTOCOL_VERSION, runId: request?.runId ?? -1, items: [{ kind: "log", level: "error", text: `runner: protocol version ${String(request?.v)} not understood (expected ${PROTOCOL_VERSION})` }] });
    return;
  }
  if (request.type === "run" && !program) void run(request);
};

post({ type: "ready", v: PROTOCOL_VERSION, exports: exportNames });
void webgpuReady.then(reportBackend);
