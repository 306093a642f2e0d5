import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events';
import { flowHighlightOf } from './useFlowHighlight';

describe('flowHighlightOf', () => {
  it('lights the flow’s events, its producers and channels, and the map’s edges between them only', () => {
    const placed = makeEvent({ seq: 1, channel: 'orders', producer: 'order-service' });
    const paid = makeEvent({ seq: 2, channel: 'payments', producer: 'payment-service' });
    const edge = (source: string, target: string) => ({ id: `${source}->${target}`, source, target });
    const topology = {
      nodes: [],
      edges: [
        edge('service:order-service', 'channel:demo/shop/orders'),
        edge('channel:demo/shop/orders', 'service:payment-service'),
        edge('service:payment-service', 'channel:demo/shop/payments'),
        edge('service:stock-service', 'channel:demo/shop/stock'),
      ],
    } as never;
    const shipped = makeEvent({ seq: 3, channel: 'shipments', producer: 'shipping-service' });
    // The shipment came after the moment the view is paused at: not lit yet.
    const lit = flowHighlightOf({ events: [placed, paid, shipped] }, topology, 2);
    expect([...lit.eventIds]).toEqual([placed.id, paid.id]);
    expect([...lit.nodes].sort()).toEqual([
      'channel:demo/shop/orders',
      'channel:demo/shop/payments',
      'service:order-service',
      'service:payment-service',
    ]);
    expect([...lit.edges]).toEqual([
      'service:order-service->channel:demo/shop/orders',
      'channel:demo/shop/orders->service:payment-service',
      'service:payment-service->channel:demo/shop/payments',
    ]);
  });
});
