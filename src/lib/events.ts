/**
 * Instrumentation: the one channel from the library to whoever listens (the runner forwards
 * events to the UI panels). Emitting with no listener costs a Set size check. The events' shapes
 * are the shared wire schema (src/schema/events.ts), re-exported here as part of the library's API.
 * @module
 */
import type { WebgradEvent } from "../schema/events";

export type {
  Activity,
  ActivityKind,
  BackendEvent,
  ColorMap,
  CommEvent,
  EvalTraceEvent,
  EvalTraceRow,
  FusedKernels,
  GraphEvent,
  GraphStageInfo,
  ImageEvent,
  KernelEvent,
  KnobEvent,
  PlanEvent,
  PlotEvent,
  ScatterEvent,
  TapeEvent,
  TapeNodeInfo,
  TransferColumns,
  WebgradEvent,
} from "../schema/events";

/** A function that receives library events. */
export type EventListener = (event: WebgradEvent) => void;

const listeners = new Set<EventListener>();

/** Subscribe to library events; returns a function that unsubscribes. */
export function onEvent(listener: EventListener): () => void {
  listeners.add(listener);
  subscriptions++;
  return () => listeners.delete(listener);
}

let subscriptions = 0;
/**
 * Counts `onEvent` subscriptions: work done for listeners at a cadence (the Tape panel's gradient
 * norms) starts over for a new one.
 */
export function listenerEpoch(): number {
  return subscriptions;
}

/** True when someone listens: lets hot paths skip building event objects. */
export function hasListeners(): boolean {
  return listeners.size > 0;
}

/** Send an event to every listener. */
export function emit(event: WebgradEvent): void {
  for (const l of listeners) l(event);
}
