/**
 * The typed message protocol between the page (src/app, via {@link RunnerClient}) and the runner
 * Worker (worker.ts). Both sides import only this file's types; bump {@link PROTOCOL_VERSION}
 * whenever a message changes shape. The page treats every message from the worker as untrusted
 * (user code runs there): validate.ts checks each one against these types, with size caps.
 *
 * Channel (since v5): the page starts the worker and posts one {@link BootMessage} on the worker
 * itself, handing over a MessagePort; everything after that travels on the port, which the runner
 * keeps out of user code's reach. Messages posted on the worker global (`self.postMessage`) are
 * not listened to.
 * @module
 */
import type { WebgradEvent } from "../schema/events";
import type { CheckReport } from "./exercise-check";

/** Version carried by every message; a mismatch is reported instead of misread. */
export const PROTOCOL_VERSION = 6;

/** The most steps `steps(n)` gives a loop in a quick run (Settings → "Quick runs"). */
export const QUICK_STEP_LIMIT = 5;

/** Eager runs ops as written; Graph traces and compiles (the library decides what that means). */
export type RunMode = "eager" | "graph";

/** Page → worker: run one program. */
export interface RunRequest {
  type: "run";
  v: typeof PROTOCOL_VERSION;
  runId: number;
  /** The user's program transpiled to JavaScript (an ES module; `import … from "webgrad"`). */
  js: string;
  /** Source map `mappings` from `js` back to the user's TypeScript (line numbers in errors). */
  mappings: string;
  mode: RunMode;
  /** Graph-mode passes to switch off for this run (names as `passes()` lists them). Since v2. */
  disabledPasses: string[];
  /** "auto": WebGPU when available (else the CPU, with the reason); "cpu": the CPU backend. Since v3. */
  backend: "auto" | "cpu";
  /** Caps `steps(n)` (quick runs); absent for a full run. Since v4. */
  stepLimit?: number;
  /** Bundled data files as bytes (the worker's opaque origin cannot fetch the app's files). Since v5. */
  assets?: { mnist?: Blob };
  /**
   * An exercise's check: a JavaScript ES module whose default export is called with the
   * program's module namespace once its top level has finished (exercise-check.ts); its report
   * comes back as a `check` message before `done`. Since v6.
   */
  check?: string;
  /** The learner's values for the program's knobs (`slider()`, `choice()`), by knob name; absent: every knob its initial value. Since v6. */
  knobs?: Record<string, number | string>;
}

/**
 * Page → worker, on the worker global, once: the private port for everything else. In the built
 * app the worker is a `data:` module bootstrap at an opaque origin and `source` is the runner's
 * bundle, which it imports from a blob URL; in dev the worker is the module itself and has no source.
 * Since v5.
 */
export interface BootMessage {
  type: "boot";
  v: typeof PROTOCOL_VERSION;
  port: MessagePort;
  source?: Blob;
}

/** Every message the page sends to the worker (on the port). */
export type ToWorker = RunRequest;

/** One frame of a stack trace; `line`/`column` (1-based) are set when it is in the user's code. */
export interface StackFrameInfo {
  text: string;
  line?: number;
  column?: number;
}

/** Console levels the runner captures. */
export type LogLevel = "log" | "info" | "warn" | "error" | "debug";

/** One thing a run produced, in order. */
export type OutputItem =
  | { kind: "log"; level: LogLevel; text: string; frames?: StackFrameInfo[] }
  | {
      kind: "error";
      /** e.g. "TypeError" */
      name: string;
      message: string;
      /** Where in the user's code it was thrown (first user frame), when known. */
      line?: number;
      column?: number;
      frames: StackFrameInfo[];
      /** True when it reached the top level uncaught. */
      uncaught: boolean;
    }
  | { kind: "clear" }
  /** Console lines not sent because the program printed faster than anyone can read. */
  | { kind: "skipped"; lines: number }
  | { kind: "event"; event: WebgradEvent };

/** Every message the worker sends to the page. */
export type FromWorker =
  | { type: "ready"; v: typeof PROTOCOL_VERSION; exports: string[] }
  | {
      type: "backend";
      v: typeof PROTOCOL_VERSION;
      name: string;
      detail: string;
      /** "library": from `backendInfo()`; "runner": the runner's own WebGPU probe (library has none). */
      source: "library" | "runner";
    }
  | { type: "mode"; v: typeof PROTOCOL_VERSION; runId: number; applied: boolean; note?: string }
  | { type: "output"; v: typeof PROTOCOL_VERSION; runId: number; items: OutputItem[] }
  | { type: "done"; v: typeof PROTOCOL_VERSION; runId: number; ok: boolean; durationMs: number }
  /** The report of the run's exercise check (runs with `check` only), before `done`. Since v6. */
  | { type: "check"; v: typeof PROTOCOL_VERSION; runId: number; report: CheckReport }
  /** The runner could not start (its bundle failed to load). Since v5. */
  | { type: "fatal"; v: typeof PROTOCOL_VERSION; message: string };
