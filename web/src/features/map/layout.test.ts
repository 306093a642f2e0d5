import { describe, expect, it } from 'vitest';
import { layoutGraph, layoutGraphOf, layoutKey, NODE_SIZE } from './layout';
import { shopTopology, shopWithGroupTopology } from './topology.fixtures';

const reversed = <T>(xs: readonly T[]) => [...xs].reverse();

describe('layoutGraph', () => {
  it('places every node, left to right from where flows start', () => {
    const { positions } = layoutGraph(layoutGraphOf(shopTopology()));
    expect(positions.size).toBe(6);
    const x = (id: string) => positions.get(id)?.x ?? Number.NaN;
    expect(x('service:order-service')).toBeLessThan(x('channel:demo/shop/orders'));
    expect(x('channel:demo/shop/orders')).toBeLessThan(x('service:inventory-service'));
    expect(x('service:inventory-service')).toBeLessThan(x('channel:demo/shop/inventory'));
    expect(x('channel:demo/shop/inventory')).toBeLessThan(x('channel:demo/shop/payments'));
  });

  it('gives the same positions for the same graph, whatever the input order', () => {
    const topology = shopTopology();
    const a = layoutGraph(layoutGraphOf(topology));
    const b = layoutGraph(layoutGraphOf({ nodes: reversed(topology.nodes), edges: reversed(topology.edges) }));
    expect([...b.positions.entries()].sort()).toEqual([...a.positions.entries()].sort());
    expect([...b.routes.entries()].sort()).toEqual([...a.routes.entries()].sort());
  });

  it('does not let nodes overlap', () => {
    const graph = layoutGraphOf(shopTopology());
    const { positions } = layoutGraph(graph);
    const boxes = graph.nodes.map((n) => ({ ...positions.get(n.id)!, ...NODE_SIZE[n.kind] }));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap).toBe(false);
      }
    }
  });

  it('routes every edge, including the one that closes the cycle', () => {
    const { routes } = layoutGraph(layoutGraphOf(shopTopology()));
    expect(routes.size).toBe(6);
    const back = routes.get('consumes:channel:demo/shop/payments->service:order-service') ?? [];
    expect(back.length).toBeGreaterThanOrEqual(2);
  });
  it('leaves room for the lag label between a channel and the consumer group service', () => {
    const { positions } = layoutGraph(layoutGraphOf(shopWithGroupTopology()));
    const orders = positions.get('channel:demo/shop/orders')!;
    const ledger = positions.get('service:ledger')!;
    const inventory = positions.get('service:inventory-service')!;
    const gap = (to: { x: number }) => to.x - (orders.x + NODE_SIZE.channel.width);
    expect(gap(ledger)).toBeGreaterThanOrEqual(95);
    expect(gap(inventory)).toBeLessThan(gap(ledger));
  });
});

describe('layoutKey', () => {
  it('changes when an edge gains a lag to show', () => {
    const withLag = shopWithGroupTopology(3);
    const withoutLag = { ...withLag, edges: withLag.edges.map(({ lag: _, ...e }) => e) };
    expect(layoutKey(layoutGraphOf(withLag))).not.toBe(layoutKey(layoutGraphOf(withoutLag)));
    expect(layoutKey(layoutGraphOf(shopWithGroupTopology(null)))).toBe(layoutKey(layoutGraphOf(withLag)));
  });

  it('ignores rates and counts', () => {
    const slow = shopTopology(0.1);
    const fast = { ...shopTopology(42), edges: shopTopology().edges.map((e) => ({ ...e, count: 999, rate: 9 })) };
    expect(layoutKey(layoutGraphOf(fast))).toBe(layoutKey(layoutGraphOf(slow)));
  });

  it('changes when a node or an edge appears', () => {
    const base = shopTopology();
    const withNode = { ...base, nodes: [...base.nodes, { ...base.nodes[0]!, id: 'service:new', name: 'new' }] };
    const withoutEdge = { ...base, edges: base.edges.slice(1) };
    const key = layoutKey(layoutGraphOf(base));
    expect(layoutKey(layoutGraphOf(withNode))).not.toBe(key);
    expect(layoutKey(layoutGraphOf(withoutEdge))).not.toBe(key);
  });

  it('leaves out edges whose nodes are unknown', () => {
    const base = shopTopology();
    const dangling = { ...base, edges: [...base.edges, { ...base.edges[0]!, id: 'x', target: 'channel:nowhere' }] };
    expect(layoutGraphOf(dangling).edges).toHaveLength(base.edges.length);
  });
});
