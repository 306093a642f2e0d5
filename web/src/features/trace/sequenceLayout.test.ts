import { describe, expect, it } from 'vitest';
import { layoutSequence } from './sequenceLayout';
import { deadLetteredOrder, happyOrder, makeFlow } from './trace.fixtures';

describe('layoutSequence', () => {
  it('has one participant per producing service, left to right in order of appearance', () => {
    const l = layoutSequence(happyOrder());
    expect(l.participants.map((p) => p.label)).toEqual([
      'order-service',
      'inventory-service',
      'payment-service',
      'shipping-service',
      'notification-service',
    ]);
    const xs = l.participants.map((p) => p.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(l.width).toBeGreaterThan(xs.at(-1) ?? 0);
  });

  it('draws an arrow from the producer of the cause to the producer of the effect, one row per event', () => {
    const flow = happyOrder();
    const l = layoutSequence(flow);
    const x = (name: string) => l.participants.find((p) => p.id === name)?.x;
    const confirmed = l.arrows[3];
    expect(confirmed).toMatchObject({
      kind: 'message',
      label: 'order.confirmed',
      channel: 'orders',
      fromX: x('payment-service'),
      toX: x('order-service'),
      latency: '+80 ms',
      offset: '+400 ms',
    });
    expect(l.arrows.map((a) => a.eventId)).toEqual(flow.events.map((e) => e.id));
    l.arrows.slice(1).forEach((a, i) => expect(a.y).toBeGreaterThan(l.arrows[i]?.y ?? Infinity));
    expect(l.arrows.every((a) => a.y > l.lifelineTop && a.y < l.lifelineBottom)).toBe(true);
    expect(l.arrows.at(-1)?.inferred).toBe(true);
  });

  it('shows the first event as its producer publishing into the channel', () => {
    const l = layoutSequence(happyOrder());
    const first = l.arrows[0];
    expect(first?.kind).toBe('publish');
    expect(first?.fromX).toBe(l.participants[0]?.x);
    expect(first?.pillX).toBeGreaterThan(first?.fromX ?? Infinity);
    expect(first?.latency).toBeUndefined();
  });

  it('loops back when a service reacts to its own event, and highlights failures and dead letters', () => {
    const l = layoutSequence(deadLetteredOrder());
    expect(l.arrows.map((a) => a.kind)).toEqual(['publish', 'message', 'message', 'self', 'self', 'message']);
    expect(l.arrows.map((a) => a.severity)).toEqual([null, null, 'failure', 'failure', 'dead-letter', 'failure']);
    expect(l.arrows[4]).toMatchObject({ channel: 'payments.dlq', latency: '+1 ms' });
  });

  it('names events without a producer as such', () => {
    const l = layoutSequence(makeFlow([{ type: 'ping', channel: 'misc', at: 0 }]));
    expect(l.participants.map((p) => p.label)).toEqual(['(unknown producer)']);
  });
});
