import { describe, expect, it } from 'vitest';
import type { ChannelLink } from '../model/channelLink.js';
import type { Consumer } from '../model/consumer.js';
import { topologySchema, type Topology } from '../model/topology.js';
import { withLinks } from './links.js';
import { withConsumers } from './topology.js';

const link = (from: string, to: string, kind: ChannelLink['kind'] = 'binding', label = ''): ChannelLink => ({
  source: 'rabbitmq:prod',
  broker: 'rabbitmq',
  cluster: 'prod',
  from,
  to,
  kind,
  label,
});

const node = (name: string) => `channel:rabbitmq/prod/${name}`;

/** The map with one exchange that traffic was seen on. */
const seen: Topology = {
  nodes: [
    {
      id: node('orders'),
      kind: 'channel',
      name: 'orders',
      broker: 'rabbitmq',
      cluster: 'prod',
      eventCount: 12,
      rate: 1.5,
      lastSeenAt: 9,
    },
  ],
  edges: [],
};

describe('channel links on the map', () => {
  it('draws a binding as a certain routes edge between channels, adding the queue no event reached', () => {
    const map = withLinks(seen, [link('orders', 'billing', 'binding', 'order.*')]);
    expect(map.nodes.map((n) => n.id)).toEqual([node('billing'), node('orders')]);
    expect(map.nodes[0]).toMatchObject({ kind: 'channel', name: 'billing', broker: 'rabbitmq', eventCount: 0 });
    // The exchange keeps what traffic said about it.
    expect(map.nodes[1]).toBe(seen.nodes[0]);
    expect(map.edges).toEqual([
      {
        id: `routes:${node('orders')}->${node('billing')}`,
        source: node('orders'),
        target: node('billing'),
        kind: 'routes',
        evidence: ['binding'],
        count: 0,
        confidence: 1,
        rate: 0,
        lastSeenAt: 0,
        labels: ['order.*'],
      },
    ]);
    expect(topologySchema.safeParse(map).success).toBe(true);
  });

  it('makes one edge of several bindings between the same channels, with each key once', () => {
    const map = withLinks(seen, [
      link('orders', 'billing', 'binding', 'order.paid'),
      link('orders', 'billing', 'binding', 'order.created'),
      link('orders', 'billing', 'binding', 'order.paid'),
    ]);
    expect(map.edges).toHaveLength(1);
    expect(map.edges[0]?.labels).toEqual(['order.created', 'order.paid']);
  });

  it('draws a dead-letter route with its own evidence, and an exchange-to-exchange binding', () => {
    const map = withLinks(seen, [
      link('billing', 'orders.dlx', 'dead-letter', 'billing.failed'),
      link('orders', 'audit', 'binding', '#'),
    ]);
    const byTarget = new Map(map.edges.map((e) => [e.target, e]));
    expect(byTarget.get(node('orders.dlx'))).toMatchObject({
      source: node('billing'),
      kind: 'routes',
      evidence: ['dead-letter'],
      labels: ['billing.failed'],
    });
    expect(byTarget.get(node('audit'))).toMatchObject({ source: node('orders'), evidence: ['binding'] });
  });

  it('joins the queue a binding reaches to the consumer of that queue', () => {
    const queue: Consumer = {
      source: 'rabbitmq:prod',
      broker: 'rabbitmq',
      cluster: 'prod',
      kind: 'queue',
      id: 'billing',
      service: 'billing',
      state: 'running',
      members: [],
      channels: [{ channel: 'billing', lag: 3, unacked: 1, rate: 0 }],
      lag: 3,
      history: [],
      updatedAt: 5,
    };
    const map = withLinks(withConsumers(seen, [queue]), [link('orders', 'billing', 'binding', 'order.*')]);
    expect(map.edges.map((e) => `${e.kind} ${e.source} ${e.target}`)).toEqual([
      `consumes ${node('billing')} service:billing`,
      `routes ${node('orders')} ${node('billing')}`,
    ]);
    expect(map.nodes.filter((n) => n.id === node('billing'))).toHaveLength(1);
    expect(map.consumers).toEqual([queue]);
  });

  it('leaves out a link from a channel to itself (an exchange and a queue of one name share a node)', () => {
    const map = withLinks(seen, [link('orders', 'orders', 'binding', 'orders')]);
    expect(map.edges).toEqual([]);
  });

  it('keeps channels of different clusters apart', () => {
    const map = withLinks(seen, [{ ...link('orders', 'billing'), cluster: 'eu' }]);
    expect(map.edges[0]?.source).toBe('channel:rabbitmq/eu/orders');
    expect(map.nodes.map((n) => n.id)).toContain('channel:rabbitmq/eu/billing');
  });

  it('leaves the map as it is without links', () => {
    expect(withLinks(seen, [])).toBe(seen);
  });
});
