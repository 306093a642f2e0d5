import { describe, expect, it } from 'vitest';
import { correlate, createCorrelator, tick } from '../correlation/correlator.js';
import { makeEvent, type EventSpec } from '../correlation/harness.testkit.js';
import type { FlowEvent } from '../model/flowEvent.js';
import { createInsights, learnSettledFlow, observeInsights } from './observe.js';
import { insightsReport } from './report.js';
import { namingOf, payloadKindOf } from './semantics.js';

/** The insights of these events, as the server learns them: each event, then each flow as it settles. */
const report = (events: readonly FlowEvent[]) => {
  const state = createInsights();
  const c = createCorrelator({ onSettle: (ordered, flow) => learnSettledFlow(state, ordered, flow) });
  for (const e of events) {
    observeInsights(state, e);
    correlate(c, e);
  }
  tick(c, 1e12);
  return insightsReport({ state, templates: c.templates, channels: [], now: 0 });
};

const json = (name: string, spec: EventSpec, body: unknown): FlowEvent => {
  const value = JSON.stringify(body);
  return {
    ...makeEvent(name, spec),
    payload: { encoding: 'json', value, size: value.length, truncated: false, sha256: '' },
  };
};

describe('architecture insights from traffic', () => {
  it('tells a consumer that reacts to each copy of a message from one that reacts once', () => {
    const k = { keys: { orderId: 'A-1' } };
    const events = [
      makeEvent('a', { ...k, channel: 'orders' }),
      makeEvent('mail1', { ...k, channel: 'mails', producer: 'mailer', type: 'mail.sent', causedBy: 'a' }),
      // Two effects per message, both made before the copy arrived: one reaction.
      makeEvent('bill1', { ...k, channel: 'bills', producer: 'billing', type: 'billed', causedBy: 'a' }),
      makeEvent('bill2', { ...k, channel: 'bills', producer: 'billing', type: 'billed', causedBy: 'a' }),
      makeEvent('a-again', { ...k, channel: 'orders', messageId: 'msg-a' }),
      makeEvent('mail2', { ...k, channel: 'mails', producer: 'mailer', type: 'mail.sent', causedBy: 'a' }),
      makeEvent('ship', { ...k, channel: 'shipments', producer: 'shipping', type: 'shipped', causedBy: 'a' }),
    ];
    const r = report(events);
    expect(r.idempotency.map((c) => [c.service, c.channel, c.verdict, c.duplicates, c.reactedTwice])).toEqual([
      ['mailer', 'orders', 'not-idempotent', 1, 1],
      ['billing', 'orders', 'idempotent', 1, 0],
      ['shipping', 'orders', 'idempotent', 1, 0],
    ]);
    expect(r.idempotency[0]?.evidence).toEqual(['ev-a']);
    expect(r.findings.map((f) => f.title)).toEqual(['mailer is not idempotent on orders']);
  });

  it('judges a record read again by when the engine saw it again', () => {
    const k = { keys: { orderId: 'A-2' } };
    const r = report([
      makeEvent('b', { ...k }),
      makeEvent('m1', { ...k, producer: 'mailer', type: 'mail.sent', causedBy: 'b' }),
      { ...makeEvent('b', { ...k }) },
      makeEvent('m2', { ...k, producer: 'mailer', type: 'mail.sent', causedBy: 'b' }),
    ]);
    expect(r.idempotency).toMatchObject([{ service: 'mailer', verdict: 'not-idempotent', reactedTwice: 1 }]);
  });

  it('tallies every duplicated message across many flows, the one reacted to twice first', () => {
    const events: FlowEvent[] = [];
    for (let i = 0; i < 2_100; i++) {
      const k = { keys: { orderId: `O-${i}` } };
      events.push(makeEvent(`m${i}`, k));
      // Each message is redelivered after its mail; the first one's copy is mailed again.
      events.push(makeEvent(`r${i}`, { ...k, producer: 'mailer', type: 'mail.sent', causedBy: `m${i}` }));
      events.push(makeEvent(`m${i}-again`, { ...k, messageId: `msg-m${i}` }));
      if (i === 0) events.push(makeEvent(`r${i}b`, { ...k, producer: 'mailer', type: 'mail.sent', causedBy: `m${i}` }));
    }
    const [mailer] = report(events).idempotency;
    expect(mailer).toMatchObject({ duplicates: 2_100, reactedTwice: 1, verdict: 'not-idempotent' });
    expect(mailer?.evidence[0]).toBe('ev-m0');
  });

  it('judges order by a declared version, a sequence header, or else the timestamps, per partition', () => {
    const order = (name: string, version: number, partition: number) => ({
      ...json(name, { channel: 'orders', keys: { orderId: 'A-1' } }, { orderId: 'A-1', version }),
      partition,
    });
    const r = report([
      order('v1', 1, 0),
      order('v3', 3, 0),
      order('v2', 2, 0),
      makeEvent('s2', { channel: 'stock', keys: { sku: 'X' }, headers: { 'X-Sequence': '2' } }),
      makeEvent('s1', { channel: 'stock', keys: { sku: 'X' }, headers: { 'X-Sequence': '1' } }),
      // A nested `version` (of a line) is no position of the entity; a constant one declares nothing.
      json('n1', { channel: 'carts', keys: { cartId: 'C' } }, { cartId: 'C', lines: [{ version: 7 }] }),
      json('n2', { channel: 'carts', keys: { cartId: 'C' } }, { cartId: 'C', lines: [{ version: 2 }] }),
      makeEvent('t1', { channel: 'mails', keys: { orderId: 'A-1' }, at: 5000 }),
      makeEvent('t2', { channel: 'mails', keys: { orderId: 'A-1' }, at: 6000 }),
    ]);
    expect(r.ordering.map((o) => [o.channel, o.partition, o.basis, o.checked, o.reordered])).toEqual([
      ['orders', 0, 'version', 2, 1],
      ['stock', undefined, 'x-sequence', 1, 1],
      ['carts', undefined, 'timestamp', 1, 0],
      ['mails', undefined, 'timestamp', 1, 0],
    ]);
    expect(r.ordering[0]?.examples).toEqual([{ eventId: 'ev-v2', entity: 'A-1', value: 2, after: 3 }]);
    expect(r.findings.filter((f) => f.kind === 'reordering').map((f) => f.title)).toEqual([
      'orders partition 0 reorders events (by version)',
      'stock reorders events (by x-sequence)',
    ]);
  });

  it('reports dead letters by source, sender and reason, and counts the redriven', () => {
    const dlq = (name: string, reason: string) =>
      makeEvent(name, {
        keys: { paymentId: `P-${name}` },
        channel: 'payments.dlq',
        producer: 'payments',
        headers: { 'x-original-channel': 'payments', 'x-death-reason': reason },
      });
    const r = report([
      dlq('d1', 'timeout'),
      dlq('d2', 'timeout'),
      dlq('d3', 'bad card'),
      // An operator puts d1 back on its channel: the same message id elsewhere.
      makeEvent('d1-back', { keys: { paymentId: 'P-d1' }, channel: 'payments', messageId: 'msg-d1' }),
    ]);
    expect(r.deadLetters).toEqual([
      {
        channel: 'payments.dlq',
        count: 3,
        sources: [{ channel: 'payments', producer: 'payments', count: 3, eventId: 'ev-d1' }],
        reasons: [
          { reason: 'timeout', count: 2 },
          { reason: 'bad card', count: 1 },
        ],
        redriven: 1,
      },
    ]);
  });

  it('reads a name as a fact or a command, and a payload as a notification or state', () => {
    expect(['order.placed', 'UserCreated', 'notification.sent', 'OrderPaidEvent'].map(namingOf)).toEqual([
      'fact',
      'fact',
      'fact',
      'fact',
    ]);
    expect(['ProcessOrder', 'order.create', 'send-email', 'ShipOrderCommand'].map(namingOf)).toEqual([
      'command',
      'command',
      'command',
      'command',
    ]);
    expect(namingOf('inventory.out-of-stock')).toBe('unclear');
    const schema = (properties: Record<string, unknown>) => ({ properties });
    expect(payloadKindOf(schema({ orderId: {}, customerId: {}, type: {} }))).toBe('notification');
    expect(payloadKindOf(schema({ orderId: {}, total: {} }))).toBe('state');
    expect(payloadKindOf(schema({ specversion: {}, data: schema({ orderId: {} }) }))).toBe('notification');
    expect(payloadKindOf(undefined)).toBe('unknown');
  });
});
