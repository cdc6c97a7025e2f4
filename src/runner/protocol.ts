/**
 * The typed message protocol between the page (src/app, via {@link RunnerClient}) and the runner
 * Worker (worker.ts). Both sides import only this file's types; bump {@link PROTOCOL_VERSION}
 * whenever a message changes shape.
 * @module
 */
import type { WebgradEvent } from "../lib/events";

/** Version carried by every message; a mismatch is reported instead of misread. */
export const PROTOCOL_VERSION = 4;

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
}

/** Every message the page sends to the worker. */
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
  | { type: "done"; v: typeof PROTOCOL_VERSION; runId: number; ok: boolean; durationMs: number };
