/**
 * The page's side of the layout worker: one worker for the app, started on first use; each call
 * returns a promise of its layout. Layouts are cached by the caller's key, so flipping back to a
 * stage seen before (or between before and after) costs nothing.
 * @module
 */
import LayoutWorker from "./layout.worker?worker";
import type { LayoutRequest, LayoutResponse } from "./layout.worker";
import type { GraphLayout, LayoutInput } from "./model";

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (l: GraphLayout) => void; reject: (e: Error) => void }>();
const cache = new Map<string, Promise<GraphLayout>>();
/** Layouts kept (a run with many traced functions must not hold every layout forever). */
const CACHE_MAX = 40;

function start(): Worker {
  if (worker) return worker;
  worker = new LayoutWorker();
  worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
    const reply = event.data;
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.layout);
    else w.reject(new Error(reply.error));
  };
  worker.onerror = (event) => {
    for (const w of waiting.values()) w.reject(new Error(`layout worker failed: ${event.message}`));
    waiting.clear();
    worker?.terminate();
    worker = undefined;
  };
  return worker;
}

/** Lays `input` out in the worker; the same `key` returns the cached layout. */
export function layoutInWorker(key: string, input: LayoutInput): Promise<GraphLayout> {
  const hit = cache.get(key);
  if (hit) return hit;
  const id = nextId++;
  const request: LayoutRequest = { id, nodes: input.nodes, edges: input.edges, clusters: [...input.clusters].map(([key, c]) => ({ key, parent: c.parent })) };
  const promise = new Promise<GraphLayout>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    start().postMessage(request);
  });
  promise.catch(() => cache.delete(key));
  cache.set(key, promise);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  return promise;
}

/** Forgets cached layouts (a new run's graphs have new ids). */
export function clearLayoutCache(): void {
  cache.clear();
}
