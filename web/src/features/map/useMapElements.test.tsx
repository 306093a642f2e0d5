import type { Topology } from '@flowscope/shared';
import { renderHook, act } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { layoutGraph } from './layout';
import type { LayoutRequest } from './layout.worker';
import { shopTopology } from './topology.fixtures';
import { useMapElements } from './useMapElements';

/** Stands in for the layout worker: holds each request until the test answers it. */
class HeldWorker {
  static current: HeldWorker | null = null;
  readonly requests: LayoutRequest[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor() {
    HeldWorker.current = this;
  }
  postMessage(request: LayoutRequest) {
    this.requests.push(request);
  }
  terminate() {}
  /** Answers the oldest request the way the worker does. */
  answer() {
    const request = this.requests.shift();
    if (!request) throw new Error('no layout was asked for');
    act(() => this.onmessage?.({ data: { key: request.key, layout: layoutGraph(request.graph) } }));
  }
}

const worker = () => {
  if (!HeldWorker.current) throw new Error('no worker started');
  return HeldWorker.current;
};

/** The shop with one more service that reads the orders channel. */
function withAuditService(topology: Topology): Topology {
  const id = 'service:audit-service';
  return {
    ...topology,
    nodes: [
      ...topology.nodes,
      { id, kind: 'service', name: 'audit-service', eventCount: 1, rate: 1, lastSeenAt: 1_000 },
    ],
    edges: [
      ...topology.edges,
      {
        id: `consumes:channel:demo/shop/orders->${id}`,
        kind: 'consumes',
        source: 'channel:demo/shop/orders',
        target: id,
        evidence: ['inferred-causality'],
        count: 1,
        confidence: 0.6,
        rate: 1,
        lastSeenAt: 1_000,
      },
    ],
  };
}

const positions = (nodes: { id: string; position: { x: number; y: number } }[]) =>
  Object.fromEntries(nodes.map((n) => [n.id, n.position]));

describe('useMapElements with the layout in a worker', () => {
  beforeAll(() => vi.stubGlobal('Worker', HeldWorker));
  afterAll(() => vi.unstubAllGlobals());

  it('keeps the map as it is while a new layout runs, and places a new node once it is laid out', () => {
    const shop = shopTopology();
    const { result, rerender } = renderHook(({ topology }) => useMapElements(topology, null), {
      initialProps: { topology: shop },
    });
    expect(result.current.nodes).toHaveLength(0);
    expect(result.current.pending).toBe(true);
    worker().answer();
    expect(result.current.nodes).toHaveLength(6);
    const before = positions(result.current.nodes);

    // Rates change every second: nothing is laid out again, nothing moves.
    rerender({ topology: shopTopology(7) });
    expect(worker().requests).toHaveLength(0);
    expect(positions(result.current.nodes)).toEqual(before);

    rerender({ topology: withAuditService(shop) });
    expect(result.current.pending).toBe(true);
    expect(result.current.nodes.map((n) => n.id)).not.toContain('service:audit-service');
    expect(positions(result.current.nodes)).toEqual(before);
    worker().answer();
    expect(result.current.pending).toBe(false);
    expect(result.current.nodes.map((n) => n.id)).toContain('service:audit-service');
  });

  it('keeps the objects of nodes and edges that did not change, so a topology push renders only what did', () => {
    const { result, rerender } = renderHook(({ topology }) => useMapElements(topology, null), {
      initialProps: { topology: shopTopology() },
    });
    // The shop was laid out by the first test: its layout is cached.
    if (worker().requests.length > 0) worker().answer();
    const first = result.current;
    expect(first.nodes).toHaveLength(6);

    // The same figures again, in new objects (every push is a new snapshot): nothing to render.
    rerender({ topology: shopTopology() });
    expect(result.current.nodes).toBe(first.nodes);
    expect(result.current.edges).toBe(first.edges);

    // One service's rate changes: only its node is new, and it carries the new rate.
    const busier = shopTopology();
    const changed = busier.nodes[0];
    if (!changed) throw new Error('the shop has nodes');
    rerender({ topology: { ...busier, nodes: [{ ...changed, rate: 42 }, ...busier.nodes.slice(1)] } });
    const [node, ...others] = result.current.nodes;
    expect(node?.data.rate).toBe(42);
    expect(node).not.toBe(first.nodes[0]);
    expect(others).toEqual(first.nodes.slice(1));
    others.forEach((n, i) => expect(n).toBe(first.nodes[i + 1]));
    expect(result.current.edges).toBe(first.edges);
  });

  it('lays out only the newest of the graphs that waited behind a running layout', () => {
    const without = (n: number): Topology => ({ ...shopTopology(), nodes: shopTopology().nodes.slice(n) });
    const { rerender } = renderHook(({ topology }) => useMapElements(topology, null), {
      initialProps: { topology: without(1) },
    });
    expect(worker().requests.map((r) => r.graph.nodes.length)).toEqual([5]);
    rerender({ topology: without(2) });
    rerender({ topology: without(3) });
    worker().answer();
    // The four-node map never gets laid out: it was replaced while it waited.
    expect(worker().requests.map((r) => r.graph.nodes.length)).toEqual([3]);
  });
});
