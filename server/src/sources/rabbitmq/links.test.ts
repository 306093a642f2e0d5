import { describe, expect, it } from 'vitest';
import { channelLinks, deadLetterRoute, type VhostView } from './links.js';
import type { Binding, Exchange, Queue } from './management.js';

const ex = (name: string, type: string): Exchange => ({ name, type, arguments: {} });
const bind = (source: string, destination: string, routing_key = '', args: Record<string, unknown> = {}): Binding => ({
  source,
  destination,
  destination_type: destination.startsWith('ex.') ? 'exchange' : 'queue',
  routing_key,
  arguments: args,
});
const queue = (name: string, more: Partial<Queue> = {}): Queue => ({ name, arguments: {}, ...more });

const origin = { source: 'rabbitmq:prod', cluster: 'prod' };
const routes = (view: VhostView, tapped: string[], isApplicationQueue = (_: Queue) => true) =>
  channelLinks(origin, view, new Set(tapped), isApplicationQueue).map(
    (l) => `${l.kind} ${l.from} → ${l.to} [${l.label}]`,
  );

describe('deadLetterRoute', () => {
  it('takes the argument over the policy, key by key', () => {
    expect(deadLetterRoute(queue('q', { arguments: { 'x-dead-letter-exchange': 'dlx' } }))).toEqual({
      exchange: 'dlx',
    });
    expect(
      deadLetterRoute(
        queue('q', {
          arguments: { 'x-dead-letter-exchange': 'from-arg' },
          effective_policy_definition: { 'dead-letter-exchange': 'from-policy', 'dead-letter-routing-key': 'failed' },
        }),
      ),
    ).toEqual({ exchange: 'from-arg', routingKey: 'failed' });
    expect(
      deadLetterRoute(queue('q', { effective_policy_definition: { 'dead-letter-exchange': 'from-policy' } })),
    ).toEqual({ exchange: 'from-policy' });
  });

  it('is absent without a dead-letter exchange, and reads the empty array the API gives for no policy', () => {
    expect(deadLetterRoute(queue('q', { effective_policy_definition: [] }))).toBeUndefined();
    expect(deadLetterRoute(queue('q', { arguments: { 'x-dead-letter-routing-key': 'k' } }))).toBeUndefined();
    expect(deadLetterRoute({ name: 'q' })).toBeUndefined();
  });
});

describe('channelLinks', () => {
  const exchanges = [
    ex('', 'direct'),
    ex('orders', 'topic'),
    ex('broadcast', 'fanout'),
    ex('refunds', 'headers'),
    ex('ex.audit', 'topic'),
    ex('orders.dlx', 'direct'),
    ex('untapped', 'topic'),
  ];

  it("reads the tapped exchanges' bindings to queues and to exchanges, labelled by what selects messages", () => {
    const view: VhostView = {
      exchanges,
      bindings: [
        bind('orders', 'billing', 'order.*'),
        bind('orders', 'billing', 'order.refunded'),
        bind('orders', 'ex.audit', '#'),
        bind('broadcast', 'billing', 'ignored-by-fanout'),
        bind('refunds', 'billing', '', { 'x-match': 'all', type: 'refund', version: 2 }),
        bind('untapped', 'billing', 'x'),
        bind('', 'billing', 'billing'),
      ],
      queues: [queue('billing')],
    };
    expect(routes(view, ['orders', 'broadcast', 'refunds', 'ex.audit'])).toEqual([
      'binding orders → billing [order.*]',
      'binding orders → billing [order.refunded]',
      'binding orders → ex.audit [#]',
      'binding broadcast → billing []',
      'binding refunds → billing [type=refund, version=2, x-match=all]',
    ]);
  });

  it('never reports a binding to a tap queue, nor to a queue the API does not list yet', () => {
    const view: VhostView = {
      exchanges,
      bindings: [bind('orders', 'amq.gen-tap', 'order.*'), bind('orders', 'billing', 'order.*'), bind('orders', 'new')],
      queues: [queue('amq.gen-tap', { exclusive: true }), queue('billing')],
    };
    expect(routes(view, ['orders'], (q) => !q.name.startsWith('amq.gen-'))).toEqual([
      'binding orders → billing [order.*]',
    ]);
  });

  it("draws where a bound queue's dead letters go: argument, policy, default exchange by key, never a missing exchange", () => {
    const view: VhostView = {
      exchanges,
      bindings: [
        bind('orders', 'billing', 'order.*'),
        bind('orders', 'shipping', 'order.paid'),
        bind('orders', 'retry', 'order.*'),
        bind('orders', 'lost', 'order.*'),
        bind('orders.dlx', 'parking', '#'),
      ],
      queues: [
        queue('billing', { arguments: { 'x-dead-letter-exchange': 'orders.dlx' } }),
        queue('shipping', {
          effective_policy_definition: { 'dead-letter-exchange': 'orders.dlx', 'dead-letter-routing-key': 'shipping' },
        }),
        queue('retry', { arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'parking' } }),
        queue('lost', { arguments: { 'x-dead-letter-exchange': 'deleted-dlx' } }),
        queue('parking'),
        // Not bound to a tapped exchange: not on the map, so neither is its route.
        queue('elsewhere', { arguments: { 'x-dead-letter-exchange': 'orders.dlx' } }),
      ],
    };
    expect(routes(view, ['orders', 'orders.dlx']).filter((r) => r.startsWith('dead-letter'))).toEqual([
      'dead-letter billing → orders.dlx []',
      'dead-letter shipping → orders.dlx [shipping]',
      'dead-letter retry → parking []',
    ]);
    expect(channelLinks(origin, view, new Set(['orders']), () => true)[0]).toEqual({
      source: 'rabbitmq:prod',
      broker: 'rabbitmq',
      cluster: 'prod',
      from: 'orders',
      to: 'billing',
      kind: 'binding',
      label: 'order.*',
    });
  });
});
