import { layoutGraph, type GraphLayout, type LayoutGraph } from './layout';
import type { LayoutRequest, LayoutResponse } from './layout.worker';

/**
 * Map layouts, computed in a Web Worker and kept by layout key. One layout runs at a time and
 * only the newest waiting graph runs next: while services join a big map one after another, the
 * layouts in between are never computed. Without Worker (jsdom) the layout runs inline.
 */
const CACHED = 8;
const cache = new Map<string, GraphLayout>();
const listeners = new Set<() => void>();
let worker: Worker | null | undefined;
let running: Readonly<{ request: LayoutRequest; startedAt: number }> | null = null;
let waiting: LayoutRequest | null = null;

function store(key: string, layout: GraphLayout) {
  cache.set(key, layout);
  // A Map iterates oldest first: drop what no view has asked for lately.
  for (const old of cache.keys()) {
    if (cache.size <= CACHED) break;
    cache.delete(old);
  }
  for (const notify of listeners) notify();
}

function finished(layout: GraphLayout | null) {
  const done = running;
  running = null;
  if (done) {
    // For the browser bench (e2e/bench): how long a layout kept the map waiting.
    performance.measure('flowscope:map-layout', {
      start: done.startedAt,
      detail: { nodes: done.request.graph.nodes.length },
    });
    store(done.request.key, layout ?? layoutGraph(done.request.graph));
  }
  runNext();
}

function startWorker(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  try {
    const w = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'map-layout' });
    w.onmessage = (e: MessageEvent<LayoutResponse>) => finished(e.data.layout);
    // A worker that cannot start or fails must not leave the map blank: lay out here from now on.
    w.onerror = () => {
      worker = null;
      w.terminate();
      finished(null);
    };
    return w;
  } catch {
    return null;
  }
}

function runNext() {
  if (running || !waiting) return;
  const request = waiting;
  waiting = null;
  if (cache.has(request.key)) return;
  if (worker === undefined) worker = startWorker();
  if (!worker) return store(request.key, layoutGraph(request.graph));
  running = { request, startedAt: performance.now() };
  worker.postMessage(request);
}

/** The layout of this key, if it has been computed (and not dropped since). */
export const cachedLayout = (key: string): GraphLayout | undefined => cache.get(key);

/** Asks for the layout of `graph`; listeners hear when it is ready. A known or running key is not laid out again. */
export function requestLayout(key: string, graph: LayoutGraph): void {
  if (cache.has(key) || running?.request.key === key) return;
  waiting = { key, graph };
  runNext();
}

export function subscribeLayouts(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
