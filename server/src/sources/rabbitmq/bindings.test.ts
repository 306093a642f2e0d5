import { describe, expect, it } from 'vitest';
import { planBindings } from './bindings.js';
import type { Binding, Exchange } from './management.js';
import { parseAmqpUrl } from './rabbitmqSource.js';

const ex = (name: string, type: string, args: Record<string, unknown> = {}): Exchange => ({
  name,
  type,
  arguments: args,
});
const bind = (
  source: string,
  routing_key: string,
  args: Record<string, unknown> = {},
  destination = 'app',
): Binding => ({
  source,
  destination,
  destination_type: destination.startsWith('ex:') ? 'exchange' : 'queue',
  routing_key,
  arguments: args,
});

describe('planBindings', () => {
  const exchanges = [
    ex('', 'direct'),
    ex('amq.rabbitmq.trace', 'topic'),
    ex('orders', 'topic', { 'alternate-exchange': 'unrouted' }),
    ex('unrouted', 'fanout'),
    ex('pay', 'direct'),
    ex('refunds', 'headers'),
    ex('shards', 'x-consistent-hash'),
    ex('lucky', 'x-random'),
    ex('ex:audit', 'topic'),
  ];
  const bindings = [
    bind('orders', 'orders.*'),
    bind('orders', 'orders.*', {}, 'other-app'),
    bind('orders', 'audit.#', {}, 'ex:audit'),
    bind('unrouted', 'ignored-by-fanout'),
    bind('pay', 'pay'),
    bind('refunds', '', { 'x-match': 'all', kind: 'refund' }),
    bind('shards', '10'),
    bind('orders', 'mine', {}, 'amq.gen-tap'),
    bind('ex:audit', 'audit.created', {}, 'audit-log'),
  ];

  it('copies the keys and arguments application queues use, once each, following alternate exchanges and exchange-to-exchange bindings', () => {
    const plan = planBindings(exchanges, bindings, [], ['/.*/'], false, 'amq.gen-tap');
    expect(plan.bindings).toEqual([
      { exchange: 'orders', routingKey: 'orders.*', arguments: {} },
      { exchange: 'unrouted', routingKey: '', arguments: {} },
      { exchange: 'pay', routingKey: 'pay', arguments: {} },
      { exchange: 'refunds', routingKey: '', arguments: { 'x-match': 'all', kind: 'refund' } },
      // Not audit.# on orders: a message routed there reaches an application only if ex:audit routes it.
      { exchange: 'ex:audit', routingKey: 'audit.created', arguments: {} },
    ]);
  });

  it('never binds the default exchange, the firehose, hash or random exchanges, and says why', () => {
    const plan = planBindings(exchanges, bindings, [], ['/.*/'], true, 'amq.gen-tap');
    const bound = new Set(plan.bindings.map((b) => b.exchange));
    for (const name of ['', 'amq.rabbitmq.trace', 'shards', 'lucky']) expect(bound.has(name)).toBe(false);
    expect(plan.skipped.map((s) => s.exchange)).toEqual(['shards', 'lucky']);
  });

  it('binds everything in wildcard mode, except direct exchanges, which have no wildcard', () => {
    const plan = planBindings(exchanges, bindings, [], ['orders', 'pay', 'refunds'], true, 'amq.gen-tap');
    expect(plan.bindings).toEqual([
      { exchange: 'orders', routingKey: '#', arguments: {} },
      { exchange: 'unrouted', routingKey: '', arguments: {} },
      { exchange: 'pay', routingKey: 'pay', arguments: {} },
      { exchange: 'refunds', routingKey: '', arguments: {} },
      { exchange: 'ex:audit', routingKey: '#', arguments: {} },
    ]);
  });

  it('taps the dead-letter exchange of a queue bound to a tapped exchange (argument or policy)', () => {
    const all = [ex('jobs', 'direct'), ex('dlx', 'fanout'), ex('dlx-by-policy', 'fanout'), ex('other', 'fanout')];
    const plan = planBindings(
      all,
      [
        bind('jobs', 'run', {}, 'work'),
        bind('jobs', 'slow', {}, 'slow-work'),
        bind('dlx', '', {}, 'dlq'),
        bind('dlx-by-policy', '', {}, 'dlq2'),
      ],
      [
        { name: 'work', arguments: { 'x-dead-letter-exchange': 'dlx' } },
        { name: 'slow-work', effective_policy_definition: { 'dead-letter-exchange': 'dlx-by-policy' } },
      ],
      ['jobs'],
      false,
      'amq.gen-tap',
    );
    expect(plan.bindings.map((b) => b.exchange)).toEqual(['jobs', 'jobs', 'dlx', 'dlx-by-policy']);
  });
});

describe('parseAmqpUrl', () => {
  it('keeps the password out of the address and applies guest only without a user', () => {
    expect(parseAmqpUrl('amqp://app:s%40cret@mq.local:5673/prod')).toEqual({
      where: 'mq.local:5673',
      username: 'app',
      password: 's@cret',
      vhost: 'prod',
    });
    expect(parseAmqpUrl('amqp://mq.local')).toMatchObject({ where: 'mq.local:5672', username: 'guest', vhost: '/' });
    expect(parseAmqpUrl('amqp://app@mq.local/').password).toBe('');
  });
});
