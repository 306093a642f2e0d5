import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../model/flowEvent.js';
import {
  correlate,
  correlatorStats,
  createCorrelator,
  flowIdOf,
  getFlow,
  type CorrelatorOptions,
} from './correlator.js';
import { eventsOf } from './engine.js';
import { makeEvent } from './harness.testkit.js';

/**
 * Events whose ids look as sources make them (`<broker>/<cluster>/<channel>/<tail>`, which the
 * engine keeps without the prefix its step knows) or not, with message ids equal to the id, to its
 * tail, to the end of its tail, or their own; span and causation ids, sometimes empty.
 */
const eventsArb = fc
  .array(
    fc.record({
      channel: fc.constantFrom('orders', 'payments', 'a/b'),
      prefixed: fc.boolean(),
      tail: fc.constantFrom('t1', 't2', 'x-1', '0/17', ''),
      message: fc.constantFrom('none', 'id', 'tail', 'end', 'own', 'empty'),
      span: fc.option(fc.constantFrom('s1', 's2', '')),
      cause: fc.option(fc.nat(12)),
      key: fc.option(fc.constantFrom('A', 'B', 'C')),
      more: fc.subarray(['x', 'y', 'z']),
      type: fc.option(fc.constantFrom('order.placed', 'payment.failed')),
      at: fc.nat(50),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((specs) =>
    specs.map((s, i): FlowEvent => {
      const e = makeEvent(`n${i}`, {
        channel: s.channel,
        at: s.at,
        ...(s.type ? { type: s.type } : {}),
        ...(s.channel === 'a/b' ? { headers: { 'x-death': 'once' } } : {}),
      });
      const tail = `${s.tail}${i % 7}`;
      const id = s.prefixed ? `demo/test/${s.channel}/${tail}` : `${s.channel}:${tail}`;
      const messageId = {
        none: undefined,
        id,
        tail,
        end: tail.slice(1),
        own: `m-${i % 5}`,
        empty: '',
      }[s.message];
      const keys = [
        ...(s.key ? [{ name: 'orderId', value: s.key }] : []),
        ...s.more.map((v) => ({ name: v, value: v })),
      ];
      return {
        ...e,
        id,
        correlation: {
          keys,
          ...(messageId !== undefined ? { messageId } : {}),
          ...(s.span !== null ? { spanId: s.span } : {}),
          ...(s.cause !== null
            ? { causationId: s.cause % 3 === 0 ? `m-${s.cause % 5}` : `demo/test/orders/t1${s.cause % 7}` }
            : {}),
        },
      };
    }),
  );

/** Flows as `[flow id, its events' ids]`, and the Flow of each event, from a fresh correlator. */
function run(events: readonly FlowEvent[], o: Partial<CorrelatorOptions>) {
  const c = createCorrelator({ hotKeyEvents: 3, ...o });
  for (const e of events) correlate(c, e);
  const flows = events.map((e) => getFlow(c, e.id, 100));
  return { c, flows, stats: correlatorStats(c) };
}

describe('what the engine keeps of an event', () => {
  it('gives back every id, key and step of each retained event as it came in', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const { c } = run(events, { resolveEvents: (facts) => facts.map(() => undefined) });
        const byId = new Map(events.map((e) => [e.id, e]));
        for (const flow of c.engine.flows.values()) {
          for (const f of eventsOf(c.engine, flow)) {
            const e = byId.get(f.id) as FlowEvent;
            // A repeated id is a duplicate delivery: the first event with it is the one retained.
            const first = events.find((x) => x.id === f.id) as FlowEvent;
            expect(f).toMatchObject({ seq: first.seq, timestamp: first.timestamp, channel: e.channel });
            expect(f.type).toBe(first.type);
            expect(f.deadLettered).toBe(first.channel === 'a/b');
            const { traceId: _t, ...correlation } = first.correlation;
            expect(f.correlation).toEqual(correlation);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("names each flow by its first event by time, then by id, whatever the ids' prefixes", () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const { c } = run(events, { resolveEvents: (facts) => facts.map(() => undefined) });
        for (const flow of c.engine.flows.values()) {
          const ids = eventsOf(c.engine, flow).map((f) => [f.timestamp, f.id] as const);
          const first = [...ids].sort(([ta, a], [tb, b]) => ta - tb || (a < b ? -1 : a > b ? 1 : 0))[0];
          expect(flowIdOf(c, ids[0]?.[1] ?? '')).toBe(first?.[1]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('joins, judges and shows flows the same whether it keeps events whole or reads them back', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const kept = run(events, {});
        const bySeq = new Map(events.map((e) => [e.seq, e]));
        const read = run(events, { resolveEvents: (facts) => facts.map((f) => bySeq.get(f.seq)) });
        expect(read.stats).toEqual(kept.stats);
        expect(read.flows).toEqual(kept.flows);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every fact as its columns grow past their first size', () => {
    const c = createCorrelator({ maxEvents: 10_000, resolveEvents: (facts) => facts.map(() => undefined) });
    const events = Array.from({ length: 5000 }, (_, i) => ({
      ...makeEvent(`g${i}`, {
        keys: { orderId: `G-${i % 1000}` },
        at: 1000 + i,
        ...(i >= 1000 ? { causedBy: `g${i - 1000}` } : {}),
      }),
      id: `demo/test/orders/g${i}`,
    }));
    for (const e of events) correlate(c, e);
    expect(correlatorStats(c)).toMatchObject({ events: 5000, flows: 1000 });
    const flow = getFlow(c, events[4999]?.id ?? '', 10_000);
    expect(flow?.events.map((e) => [e.id, e.seq, e.timestamp, e.correlation.causationId])).toEqual(
      [999, 1999, 2999, 3999, 4999].map((i) => {
        const e = events[i] as FlowEvent;
        return [e.id, e.seq, e.timestamp, e.correlation.causationId];
      }),
    );
  });

  it('keeps steps apart whatever their names hold (separators, a missing producer beside a strange one)', () => {
    const c = createCorrelator({ resolveEvents: (facts) => facts.map(() => undefined) });
    const at = (n: number, cluster: string, channel: string, producer?: string): FlowEvent => ({
      ...makeEvent(`s${n}`, {
        channel,
        type: 'order.placed',
        keys: { orderId: `S-${n}` },
        ...(producer ? { producer } : {}),
      }),
      source: { broker: 'kafka', cluster },
    });
    const events = [
      at(1, 'c', 'orders', '\u0001'),
      at(2, 'c', 'orders'),
      at(3, 'a\u0000b', 'x'),
      at(4, 'a', 'b\u0000x'),
    ];
    for (const e of events) correlate(c, e);
    for (const e of events) {
      const shown = getFlow(c, e.id, 2000)?.events[0];
      expect([shown?.source, shown?.channel, shown?.producer]).toEqual([e.source, e.channel, e.producer]);
    }
  });

  it('takes an event carrying a field named like a fact (deadLettered) as an event', () => {
    const c = createCorrelator();
    const e = { ...makeEvent('d', { channel: 'orders.dlq', keys: { orderId: 'D-1' } }), deadLettered: false };
    correlate(c, e);
    const flow = getFlow(c, e.id, 2000);
    expect(flow?.anomalyKinds).toContain('dead-lettered');
    expect(flow?.events[0]).toBe(e);
  });

  it('shows an event it can no longer read back from what it knows, its payload marked unavailable', () => {
    const e = { ...makeEvent('gone', { type: 'order.placed', keys: { orderId: 'A-1' } }), id: 'demo/test/orders/g1' };
    const c = createCorrelator({ resolveEvents: (facts) => facts.map(() => undefined) });
    correlate(c, e);
    const shown = getFlow(c, e.id, 2000)?.events[0];
    expect(shown).toMatchObject({ id: e.id, seq: e.seq, channel: 'orders', type: 'order.placed', source: e.source });
    expect(shown?.correlation.keys).toEqual([{ name: 'orderId', value: 'A-1' }]);
    expect(shown?.payload).toMatchObject({ encoding: 'empty', truncated: true });
    expect(shown?.payload.note).toMatch(/no longer stored/);
  });
});
