import {
  correlate,
  createCorrelator,
  epochMs,
  tickCorrelator,
  type BreakpointHit,
  type FlowEvent,
  type Seq,
} from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { Breakpoints } from './breakpoints.js';

/** A correlator that has learned the shop's order path, and breakpoints watching it. */
function setup() {
  const correlator = createCorrelator({ settleMs: 1000, minTemplateSamples: 3, stuckFactor: 3 });
  const breakpoints = new Breakpoints(() => correlator);
  const hits: BreakpointHit[] = [];
  breakpoints.onHit((hit) => hits.push(hit));
  let seq = 0;
  const event = (name: string, type: string, orderId: string, at: number, channel = 'orders'): FlowEvent => ({
    id: `ev-${name}`,
    seq: ++seq as Seq,
    source: { broker: 'demo', cluster: 't' },
    channel,
    timestamp: epochMs(at),
    receivedAt: epochMs(at),
    headers: {},
    type,
    correlation: { keys: [{ name: 'orderId', value: orderId }], messageId: `m-${name}` },
    payload: { encoding: 'json', value: `{"orderId":"${orderId}"}`, size: 20, truncated: false, sha256: '' },
  });
  const feed = (e: FlowEvent) => breakpoints.observe(e, correlate(correlator, e), JSON.parse(e.payload.value));
  const path = ['order.placed', 'payment.authorized', 'order.shipped'];
  for (let i = 0; i < 5; i++)
    path.forEach((type, step) => feed(event(`o${i}-${step}`, type, `L-${i}`, 1000 + i * 10 + step * 100)));
  tickCorrelator(correlator, 10_000);
  return { breakpoints, hits, event, feed };
}

describe('breakpoints', () => {
  it('fire on an event that matches, not while disabled, and count their hits', () => {
    const { breakpoints, hits, event, feed } = setup();
    const set = breakpoints.add({ expression: 'type == "payment.failed" && payload.orderId == "F"' }, 0);
    if (!set.ok) throw new Error(set.message);
    feed(event('f-0', 'order.placed', 'F', 20_000));
    feed(event('f-1', 'payment.failed', 'F', 20_100));
    expect(hits).toEqual([
      expect.objectContaining({ breakpointId: set.breakpoint.id, eventId: 'ev-f-1', flowId: 'ev-f-0', seq: 17 }),
    ]);
    breakpoints.update(set.breakpoint.id, { enabled: false });
    feed(event('f-2', 'payment.failed', 'F', 20_200));
    expect(hits).toHaveLength(1);
    expect(breakpoints.list()[0]).toMatchObject({ hits: 1, enabled: false, lastHit: { eventId: 'ev-f-1' } });
  });

  it('fire once when a flow fails, once when it gets stuck, and on each new anomaly', () => {
    const { breakpoints, hits, event, feed } = setup();
    const ids = (['failed', 'stuck', 'anomaly'] as const).map((condition) => {
      const set = breakpoints.add({ condition }, 0);
      if (!set.ok) throw new Error(set.message);
      return set.breakpoint.id;
    });
    const fired = (id: string | undefined) => hits.filter((h) => h.breakpointId === id);

    feed(event('x-0', 'order.placed', 'X', 20_000));
    feed(event('x-1', 'payment.failed', 'X', 20_100, 'payments.dlq'));
    // Within the same second the order is cancelled: the view still stops at the failure.
    feed(event('x-1b', 'order.cancelled', 'X', 20_150));
    breakpoints.checkFlows(20_200);
    expect(fired(ids[0])).toEqual([expect.objectContaining({ eventId: 'ev-x-1', flowId: 'ev-x-0' })]);
    expect(fired(ids[0])[0]?.reason).toMatch(/flow failed$/);
    // Still failed when its next event comes: not a second failure.
    feed(event('x-2', 'order.cancelled', 'X', 20_250));
    breakpoints.checkFlows(20_300);
    expect(fired(ids[0])).toHaveLength(1);

    // An order that stops after its first step: stuck once it has been idle three times as long
    // as the kind's slowest flow, found without any new event of its own.
    feed(event('s-0', 'order.placed', 'S', 30_000));
    breakpoints.checkFlows(30_100);
    expect(fired(ids[1])).toEqual([]);
    const anomaliesBefore = fired(ids[2]).length;
    breakpoints.checkFlows(40_000);
    expect(fired(ids[1])).toEqual([expect.objectContaining({ eventId: 'ev-s-0', flowId: 'ev-s-0' })]);
    expect(fired(ids[1])[0]?.reason).toMatch(/stuck \(no progress for 10 s\)/);
    expect(fired(ids[2]).length).toBeGreaterThan(anomaliesBefore);
    expect(fired(ids[2]).at(-1)?.reason).toMatch(/anomaly \(.*stuck/);
    breakpoints.checkFlows(41_000);
    expect(fired(ids[1])).toHaveLength(1);
  });

  it('watch the flows there when a condition is set: one failed before does not fire again, an open one gets stuck', () => {
    const { breakpoints, hits, event, feed } = setup();
    feed(event('p-0', 'order.placed', 'P', 20_000));
    feed(event('p-1', 'payment.failed', 'P', 20_100));
    feed(event('q-0', 'order.placed', 'Q', 20_000));
    const ids = (['failed', 'stuck'] as const).map((condition) => {
      const set = breakpoints.add({ condition }, 20_200);
      if (!set.ok) throw new Error(set.message);
      return set.breakpoint.id;
    });
    feed(event('p-2', 'payment.failed', 'P', 20_300)); // still failed: not news
    breakpoints.checkFlows(20_400);
    expect(hits.filter((h) => h.breakpointId === ids[0])).toEqual([]);
    breakpoints.checkFlows(40_000);
    expect(hits.filter((h) => h.breakpointId === ids[1])).toEqual([expect.objectContaining({ flowId: 'ev-q-0' })]);
  });

  it('refuse a filter that does not compile, and give up on one too costly for an event rather than hold ingest', () => {
    const { breakpoints, hits, event, feed } = setup();
    expect(breakpoints.add({ expression: 'type ==' }, 0)).toMatchObject({ ok: false, error: 'bad-expression' });
    const list = `[${Array.from({ length: 60 }, (_, i) => i).join(',')}]`;
    const costly = breakpoints.add({ expression: `${list}.exists(a, ${list}.exists(b, ${list}.exists(c, false)))` }, 0);
    expect(costly.ok).toBe(true);
    const started = performance.now();
    feed(event('c-0', 'order.placed', 'C', 20_000));
    expect(performance.now() - started).toBeLessThan(500);
    expect(hits).toEqual([]);
  });
});
