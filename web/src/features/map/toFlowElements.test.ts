import { describe, expect, it } from 'vitest';
import { EMPTY_LAYOUT, layoutGraph, layoutGraphOf } from './layout';
import { shopTopology, shopWithGroupTopology } from './topology.fixtures';
import { toFlowElements } from './toFlowElements';

const positionsOf = (nodes: readonly { id: string; position: { x: number; y: number } }[]) =>
  Object.fromEntries(nodes.map((n) => [n.id, n.position]));

describe('toFlowElements', () => {
  it('makes service and channel nodes with their names, rates and counts', () => {
    const topology = shopTopology(2.5);
    const { nodes } = toFlowElements(topology, layoutGraph(layoutGraphOf(topology)), null);
    const orders = nodes.find((n) => n.id === 'channel:demo/shop/orders');
    expect(orders?.type).toBe('channel');
    expect(orders?.data).toMatchObject({ name: 'orders', broker: 'demo', cluster: 'shop', rate: 2.5, eventCount: 10 });
    expect(nodes.find((n) => n.id === 'service:order-service')?.type).toBe('service');
  });

  it('keeps positions when only rates change', () => {
    const slow = shopTopology(0.2);
    const fast = shopTopology(37);
    const layout = layoutGraph(layoutGraphOf(slow));
    const before = toFlowElements(slow, layout, null);
    // Same structure → the caller keeps the same layout; a fresh layout must agree with it too.
    const after = toFlowElements(fast, layoutGraph(layoutGraphOf(fast)), null);
    expect(positionsOf(after.nodes)).toEqual(positionsOf(before.nodes));
    expect(after.nodes.find((n) => n.id === 'service:order-service')?.data.rate).toBe(37);
    expect(after.edges.map((e) => e.data?.route)).toEqual(before.edges.map((e) => e.data?.route));
  });

  it('marks consumes edges known only from causality as inferred, with an arrow', () => {
    const topology = shopTopology();
    const { edges } = toFlowElements(topology, layoutGraph(layoutGraphOf(topology)), null);
    const inferred = edges.find((e) => e.id === 'consumes:channel:demo/shop/orders->service:inventory-service');
    const declared = edges.find((e) => e.id === 'consumes:channel:demo/shop/payments->service:order-service');
    const produces = edges.find((e) => e.id === 'produces:service:order-service->channel:demo/shop/orders');
    expect(inferred?.data).toMatchObject({ kind: 'consumes', inferred: true, evidence: ['inferred-causality'] });
    expect(declared?.data?.inferred).toBe(false);
    expect(produces?.data?.inferred).toBe(false);
    expect(produces?.markerEnd).toMatchObject({ type: 'arrowclosed' });
  });

  it('carries the lag and consumers (with their kind) of a consumes edge, and the names of its ends', () => {
    const topology = shopWithGroupTopology(7);
    const { edges } = toFlowElements(topology, EMPTY_LAYOUT, null);
    const ledger = edges.find((e) => e.id === 'consumes:channel:demo/shop/orders->service:ledger');
    expect(ledger?.data).toMatchObject({
      lag: 7,
      consumers: [{ id: 'ledger-app', kind: 'consumer-group', broker: 'kafka' }],
      sourceName: 'orders',
      targetName: 'ledger',
    });
    const produces = edges.find((e) => e.id === 'produces:service:order-service->channel:demo/shop/orders');
    expect(produces?.data && 'lag' in produces.data).toBe(false);
  });

  it('flags the node the stream is filtered to, and only that one', () => {
    const topology = shopTopology();
    const { nodes } = toFlowElements(topology, EMPTY_LAYOUT, 'channel:demo/shop/payments');
    expect(nodes.filter((n) => n.data.active).map((n) => n.id)).toEqual(['channel:demo/shop/payments']);
  });

  it('does not mutate its input', () => {
    const topology = shopTopology();
    const frozen = structuredClone(topology);
    toFlowElements(topology, layoutGraph(layoutGraphOf(topology)), 'service:order-service');
    expect(topology).toEqual(frozen);
  });
});
