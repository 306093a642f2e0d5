import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  catalog,
  correlate,
  createCorrelator,
  getFlow,
  recentFlows,
  searchFlows,
  correlatorStats,
  tick,
} from './correlator.js';
import { eventsOf } from './engine.js';
import { hashString } from './stringIndex.js';
import { flowGroups, harness, makeEvent } from './harness.testkit.js';

describe('joining events into flows', () => {
  it('puts events that share a key value in one flow, and keeps unrelated ones apart', () => {
    harness()
      .ingest(
        ['a', { keys: { orderId: 'A-1' } }],
        ['b', { keys: { orderId: 'A-1' } }],
        ['c', { keys: { orderId: 'A-2' } }],
      )
      .expectFlows([['a', 'b'], ['c']]);
  });

  it('merges two flows when an event carries both of their keys', () => {
    harness()
      .ingest(['a', { keys: { orderId: 'A-1' } }], ['p', { keys: { paymentId: 'P-1' } }])
      .expectFlows([['a'], ['p']])
      .ingest(['bridge', { keys: { orderId: 'A-1', paymentId: 'P-1' } }])
      .expectFlows([['a', 'bridge', 'p']]);
  });

  it('follows causation links even without shared keys, also when the cause arrives late', () => {
    harness()
      .ingest(['effect', { causedBy: 'cause', at: 200 }])
      .ingest(['cause', { at: 100 }])
      .expectFlows([['cause', 'effect']])
      .expectFlow('effect', (f) => {
        expect(f.events.map((e) => e.id)).toEqual(['ev-cause', 'ev-effect']);
        expect(f.hops).toEqual([{ from: 'ev-cause', to: 'ev-effect', latencyMs: 100, inferred: false }]);
      });
  });

  it('records a repeated event id as a duplicate delivery, not as a second event', () => {
    const h = harness().ingest(['a', { keys: { orderId: 'A-1' } }], ['a', { keys: { orderId: 'A-1' } }]);
    h.expectFlows([['a']]).expectFlow('a', (f) => {
      expect(f.eventCount).toBe(1);
      expect(f.anomalies.map((x) => x.kind)).toEqual(['duplicate']);
    });
  });

  it('flags the same message id redelivered under a new event id', () => {
    harness()
      .ingest(['a', { keys: { orderId: 'A-1' } }], ['a2', { keys: { orderId: 'A-1' }, messageId: 'msg-a' }])
      .expectFlow('a', (f) => expect(f.anomalyKinds).toContain('duplicate'));
  });

  it('finds flows by any correlation value, by flow id and by event id', () => {
    const c = createCorrelator();
    correlate(c, makeEvent('x1', { keys: { orderId: 'A-9', correlationId: 'corr-9' } }));
    correlate(c, makeEvent('x2', { keys: { traceId: 'trace-9', orderId: 'A-9' }, at: 2000 }));
    for (const q of ['A-9', 'corr-9', 'trace-9', 'ev-x2', 'msg-x1']) {
      expect(searchFlows(c, q, 3000).map((f) => f.id)).toEqual(['ev-x1']);
    }
    expect(searchFlows(c, 'nothing', 3000)).toEqual([]);
  });
});

describe('flow details', () => {
  it('orders steps by causation, then time, and measures hops with the service in between', () => {
    harness()
      .ingest(
        ['placed', { type: 'order.placed', producer: 'order-service', keys: { orderId: 'A-1' }, at: 1000 }],
        // Clock skew: the reservation is stamped before the order it reacts to.
        [
          'reserved',
          {
            type: 'inventory.reserved',
            channel: 'inventory',
            producer: 'inventory-service',
            causedBy: 'placed',
            at: 990,
          },
        ],
        [
          'paid',
          {
            type: 'payment.authorized',
            channel: 'payments',
            producer: 'payment-service',
            keys: { orderId: 'A-1' },
            at: 1300,
          },
        ],
      )
      .expectFlow('placed', (f) => {
        expect(f.kind).toBe('order.placed');
        expect(f.events.map((e) => e.type)).toEqual(['order.placed', 'inventory.reserved', 'payment.authorized']);
        expect(f.hops[0]).toEqual({
          from: 'ev-placed',
          to: 'ev-reserved',
          latencyMs: -10,
          service: 'inventory-service',
          inferred: false,
        });
        expect(f.hops[1]).toMatchObject({ from: 'ev-reserved', to: 'ev-paid', latencyMs: 310, inferred: true });
        expect(f.anomalies).toContainEqual(expect.objectContaining({ kind: 'out-of-order', eventId: 'ev-reserved' }));
      });
  });

  it('marks dead-lettered and failure events, and fails the flow', () => {
    harness()
      .ingest(
        ['placed', { type: 'order.placed', keys: { orderId: 'A-1' } }],
        [
          'failed',
          {
            type: 'payment.failed',
            channel: 'payments.dlq',
            keys: { orderId: 'A-1' },
            at: 1500,
            headers: { 'x-death-reason': 'max-retries' },
          },
        ],
      )
      .expectFlow('placed', (f) => {
        expect(f.status).toBe('failed');
        expect(f.anomalyKinds).toEqual(['dead-lettered', 'failure']);
      });
  });
});

describe('templates and the anomalies judged against them', () => {
  const path = ['order.placed', 'payment.authorized', 'order.shipped'];
  function learned() {
    const h = harness({ settleMs: 1000, minTemplateSamples: 3, stuckFactor: 3 });
    for (let i = 0; i < 5; i++) {
      path.forEach((type, step) =>
        h.ingest([`o${i}-${step}`, { type, keys: { orderId: `L-${i}` }, at: 1000 + i * 10 + step * 100 }]),
      );
    }
    return h.tick(10_000);
  }

  it('learns the canonical path with counts and latencies, and calls matching flows completed', () => {
    const h = learned();
    const [template] = [...h.correlator.templates.values()].map((t) => t);
    expect(template?.samples).toBe(5);
    h.ingest(
      ...path.map((type, step): [string, { type: string; keys: Record<string, string>; at: number }] => [
        `n-${step}`,
        { type, keys: { orderId: 'N' }, at: 20_000 + step * 100 },
      ]),
    );
    h.expectFlow('n-0', (f) => {
      expect(f.status).toBe('completed');
      expect(f.expected?.map((s) => s.step)).toEqual(path.map((t) => `${t}@orders`));
      expect(f.anomalies).toEqual([]);
    });
  });

  it('counts settled, failed and anomalous flows per kind, and names a typical and the slowest example', () => {
    const h = harness({ settleMs: 1000, minTemplateSamples: 3, stuckFactor: 3 });
    // Five orders that take 100, 200, 300, 400 and 900 ms from placed to shipped.
    [100, 200, 300, 400, 900].forEach((took, i) => {
      h.ingest([`d${i}-0`, { type: 'order.placed', keys: { orderId: `D-${i}` }, at: 1000 + i }]);
      h.ingest([`d${i}-1`, { type: 'order.shipped', keys: { orderId: `D-${i}` }, at: 1000 + i + took }]);
    });
    // The same kind, but it failed: counted, not learned from.
    h.ingest(
      ['f-0', { type: 'order.placed', keys: { orderId: 'F' }, at: 1500 }],
      ['f-1', { type: 'payment.failed', keys: { orderId: 'F' }, at: 1550 }],
    ).tick(10_000);
    const [placed, ...others] = catalog(h.correlator);
    expect(placed).toMatchObject({
      kind: 'order.placed',
      samples: 5,
      settled: 6,
      failed: 1,
      anomalous: 1,
      p50DurationMs: 300,
      typicalFlowId: 'ev-d2-0',
      slowestFlowId: 'ev-d4-0',
    });
    expect(others).toEqual([]);
  });

  it('shows a missing step once the flow settles, and a stuck flow when it stops early', () => {
    const h = learned()
      .ingest(
        ['m-0', { type: 'order.placed', keys: { orderId: 'M' }, at: 20_000 }],
        ['m-2', { type: 'order.shipped', keys: { orderId: 'M' }, at: 20_200 }],
      )
      .tick(25_000);
    h.expectFlow('m-0', (f) =>
      expect(f.anomalies).toContainEqual(
        expect.objectContaining({ kind: 'missing-step', step: 'payment.authorized@orders' }),
      ),
    );
    h.ingest(['s-0', { type: 'order.placed', keys: { orderId: 'S' }, at: 30_000 }]).tick(40_000);
    h.expectFlow('s-0', (f) => {
      expect(f.status).toBe('stuck');
      expect(f.anomalyKinds).toContain('stuck');
    });
  });

  it('flags a step the kind never shows and steps in the wrong order', () => {
    learned()
      .ingest(
        ['u-0', { type: 'order.placed', keys: { orderId: 'U' }, at: 20_000 }],
        ['u-1', { type: 'order.shipped', keys: { orderId: 'U' }, at: 20_100 }],
        ['u-2', { type: 'payment.authorized', keys: { orderId: 'U' }, at: 20_200 }],
        ['u-3', { type: 'fraud.reviewed', keys: { orderId: 'U' }, at: 20_300 }],
      )
      .expectFlow('u-0', (f) => {
        expect(f.anomalies).toContainEqual(
          expect.objectContaining({ kind: 'out-of-order', step: 'payment.authorized@orders' }),
        );
        expect(f.anomalies).toContainEqual(
          expect.objectContaining({ kind: 'unexpected-step', step: 'fraud.reviewed@orders' }),
        );
      });
  });
});

describe('hot keys (a value shared by many events: a tenant, a customer)', () => {
  // Four orders of two events each, all of one tenant; the tenant turns hot at its fourth event.
  const orders = (tenant: boolean) =>
    [1, 2, 3, 4].flatMap((o) =>
      ['placed', 'paid'].map((step, i) =>
        makeEvent(`${step}${o}`, {
          type: `order.${step}`,
          keys: { orderId: `O-${o}`, ...(tenant ? { tenantId: 'acme' } : {}) },
          at: o * 100 + i,
        }),
      ),
    );

  it('does not join unrelated orders once more events than hotKeyEvents share it', () => {
    const h = harness({ hotKeyEvents: 3 }).ingest(...orders(true));
    h.expectFlows([
      ['placed1', 'paid1'],
      ['placed2', 'paid2'],
      ['placed3', 'paid3'],
      ['placed4', 'paid4'],
    ]);
    expect(correlatorStats(h.correlator)).toMatchObject({ flows: 4, events: 8, hotKeys: 1 });
    // The orders still show the tenant as one of their keys.
    h.expectFlow('paid2', (f) => expect(f.keys).toContainEqual({ name: 'tenantId', value: 'acme' }));
  });

  it('leaves the flows as if the value had never joined them, in any arrival order', () => {
    const without = harness({ hotKeyEvents: 3 }).ingest(...orders(false));
    const events = orders(true);
    for (const arrival of [events, [...events].reverse()]) {
      const h = harness({ hotKeyEvents: 3 }).ingest(...arrival);
      expect(
        flowGroups(h.correlator)
          .map((g) => g.sort())
          .sort(),
      ).toEqual(
        flowGroups(without.correlator)
          .map((g) => g.sort())
          .sort(),
      );
      expect(h.flow('paid1').id).toBe('ev-placed1');
    }
  });

  it('still joins below the limit, and keeps what a split flow had recorded', () => {
    const [a, b, c] = orders(true);
    const h = harness({ hotKeyEvents: 3 }).ingest(a as never, a as never, b as never, c as never);
    // Three events of the tenant: still one flow, holding the duplicate delivery of placed1.
    h.expectFlows([['placed1', 'paid1', 'placed2']]);
    h.ingest(...orders(true).slice(3));
    h.expectFlow('placed1', (f) => expect(f.anomalies.map((x) => x.kind)).toEqual(['duplicate']));
    h.expectFlow('placed2', (f) => expect(f.anomalyCount).toBe(0));
  });

  it('finds the most recent flows carrying a hot value by search', () => {
    const h = harness({ hotKeyEvents: 3 }).ingest(...orders(true));
    expect(searchFlows(h.correlator, 'acme', 1000).map((f) => f.id)).toEqual([
      'ev-placed4',
      'ev-placed3',
      'ev-placed2',
      'ev-placed1',
    ]);
  });
});

describe('bounded memory', () => {
  it('evicts flows past retention and shows it in stats', () => {
    const h = harness({ retentionMs: 1000 })
      .ingest(['old', { keys: { orderId: 'O' }, at: 0 }], ['new', { keys: { orderId: 'N' }, at: 5000 }])
      .tick(5500);
    h.expectFlows([['new']]);
    expect(correlatorStats(h.correlator)).toMatchObject({ flows: 1, events: 1, evictedFlows: 1, evictedEvents: 1 });
    expect(getFlow(h.correlator, 'ev-old', 5500)).toBeUndefined();
    expect(searchFlows(h.correlator, 'O', 5500)).toEqual([]);
  });

  it('forgets evicted events that waited for a cause, and joins the rest when it arrives', () => {
    harness({ retentionMs: 1000 })
      .ingest(
        ['w1', { causedBy: 'root', at: 0 }],
        ['w2', { causedBy: 'root', at: 10 }],
        ['w3', { causedBy: 'root', at: 5000 }],
        ['w4', { causedBy: 'root', at: 5100 }],
      )
      .tick(5500)
      .expectFlows([['w3'], ['w4']])
      .ingest(['root', { at: 5600 }])
      .expectFlows([['root', 'w3', 'w4']]);
  });

  it('evicts the least recently active flows beyond the event cap', () => {
    const h = harness({ maxEvents: 2 })
      .ingest(
        ['a', { keys: { k: '1' }, at: 1 }],
        ['b', { keys: { k: '2' }, at: 2 }],
        ['c', { keys: { k: '3' }, at: 3 }],
      )
      .tick(4);
    h.expectFlows([['b'], ['c']]);
  });

  it('keeps to the event cap between ticks too, a few percent over at most, evicting the least recently active', () => {
    const c = createCorrelator({ maxEvents: 2000 });
    let most = 0;
    for (let i = 0; i < 20_000; i++) {
      correlate(c, makeEvent(`t${i}`, { keys: { orderId: `T-${Math.floor(i / 4)}` }, at: 1000 + i }));
      most = Math.max(most, c.engine.stats.events);
    }
    // No tick ran: a fast stream between two ticks no longer piles up for the tick to evict at once.
    // Trimmed as soon as it is more than 64 events (or 1/32) over.
    expect(most).toBeLessThanOrEqual(2000 + 64 + 1);
    expect(c.engine.stats.events).toBeGreaterThanOrEqual(1900);
    const kept = flowGroups(c).flat();
    expect(kept).toContain('ev-t19999');
    expect(kept).not.toContain('ev-t17000');
  });
});

describe('properties', () => {
  // Events over a small key space, some caused by earlier ones: lots of merging.
  const eventsArb = fc
    .array(
      fc.record({ keys: fc.subarray(['o1', 'o2', 'o3', 'p1', 'p2', 't1']), cause: fc.nat(30), at: fc.nat(10_000) }),
      { minLength: 1, maxLength: 30 },
    )
    .map((specs) =>
      specs.map((s, i) =>
        makeEvent(`e${i}`, {
          keys: Object.fromEntries(
            s.keys.map((k) => [k[0] === 'o' ? 'orderId' : k[0] === 'p' ? 'paymentId' : 'traceId', k]),
          ),
          ...(s.cause < i ? { causedBy: `e${s.cause}` } : {}),
          at: s.at,
        }),
      ),
    );

  const partition = (events: ReturnType<typeof makeEvent>[], hotKeyEvents?: number) => {
    const c = createCorrelator(hotKeyEvents === undefined ? {} : { hotKeyEvents });
    for (const e of events) correlate(c, e);
    return {
      c,
      groups: flowGroups(c)
        .map((ids) => [...ids].sort().join(','))
        .sort(),
    };
  };

  /** A Fisher–Yates shuffle driven by fast-check's stream, so a failure shrinks and replays. */
  const shuffle = <T>(items: readonly T[], rnd: Iterator<number>): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = (rnd.next().value as number) % (i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };

  it('gives the same flows for the same events in any arrival order', () => {
    fc.assert(
      fc.property(eventsArb, fc.infiniteStream(fc.nat()), (events, rnd) => {
        const shuffled = shuffle(events, rnd);
        const a = partition(events);
        const b = partition(shuffled);
        expect(b.groups).toEqual(a.groups);
        // Same flow ids and step order, too.
        for (const e of events) {
          const fa = getFlow(a.c, e.id, 99_999);
          const fb = getFlow(b.c, e.id, 99_999);
          expect(fb?.id).toBe(fa?.id);
          expect(fb?.events.map((x) => x.id)).toEqual(fa?.events.map((x) => x.id));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same flows in any arrival order when some values turn hot', () => {
    fc.assert(
      fc.property(eventsArb, fc.infiniteStream(fc.nat()), (events, rnd) => {
        const shuffled = shuffle(events, rnd);
        expect(partition(shuffled, 4).groups).toEqual(partition(events, 4).groups);
      }),
      { numRuns: 150 },
    );
  });

  it('joins by whichever id a cause is named by (event, message or span id), in any arrival order, and then keeps nothing', () => {
    // Event i: its message id is its event id or its own; some carry a span id; a cause names
    // one of the ids of an earlier event, or an id no event carries.
    const spec = fc.record({
      ownMessageId: fc.boolean(),
      span: fc.boolean(),
      cause: fc.option(fc.record({ of: fc.nat(20), by: fc.constantFrom('id', 'messageId', 'spanId', 'unknown') })),
    });
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 20 }), fc.infiniteStream(fc.nat()), (specs, rnd) => {
        const ids = specs.map((s, i) => ({
          id: `ev-${i}`,
          messageId: s.ownMessageId ? `msg-${i}` : `ev-${i}`,
          ...(s.span ? { spanId: `span-${i}` } : {}),
        }));
        const parent = specs.map((_, i) => i);
        const root = (i: number): number => (parent[i] === i ? i : root(parent[i] as number));
        const events = specs.map((s, i) => {
          const cause = s.cause && s.cause.of < i ? s.cause : undefined;
          const named = cause && (cause.by === 'unknown' ? `gone-${cause.of}` : ids[cause.of]?.[cause.by]);
          if (cause && named && cause.by !== 'unknown') parent[root(i)] = root(cause.of);
          const e = makeEvent(String(i), { at: 1000 + i });
          const { id, ...refs } = ids[i] as (typeof ids)[number];
          return { ...e, id, correlation: { keys: [], ...refs, ...(named ? { causationId: named } : {}) } };
        });
        const expected = [...new Set(specs.map((_, i) => root(i)))]
          .map((r) =>
            events
              .filter((_, i) => root(i) === r)
              .map((e) => e.id)
              .sort()
              .join(','),
          )
          .sort();
        const c = createCorrelator({ retentionMs: 1000 });
        for (const e of shuffle(events, rnd)) correlate(c, e);
        expect(
          flowGroups(c)
            .map((g) => [...g].sort().join(','))
            .sort(),
        ).toEqual(expected);
        tick(c, 1_000_000);
        expect([c.engine.refs.size, c.engine.waitLists.filter(Boolean).length]).toEqual([0, 0]);
      }),
      { numRuns: 300 },
    );
  });

  it('wakes the events waiting for an event whose key turns hot as it arrives, and no others', () => {
    // D waits for X and C for E (by its event id); E's arrival turns T hot, which rebuilds the flows of T.
    const h = harness({ hotKeyEvents: 2, retentionMs: 1000 });
    const c = h.correlator;
    const t = { keys: { tenantId: 'T' } };
    correlate(c, makeEvent('D', { ...t, causedBy: 'X' }));
    const waitsForE = makeEvent('C', t);
    correlate(c, { ...waitsForE, correlation: { ...waitsForE.correlation, causationId: 'ev-E' } });
    correlate(c, makeEvent('E', t));
    expect(
      flowGroups(c)
        .map((g) => [...g].sort().join(','))
        .sort(),
    ).toEqual(['ev-C,ev-E', 'ev-D']);
    correlate(c, makeEvent('X'));
    expect(
      flowGroups(c)
        .map((g) => [...g].sort().join(','))
        .sort(),
    ).toEqual(['ev-C,ev-E', 'ev-D,ev-X']);
    tick(c, 1_000_000);
    expect([c.engine.refs.size, c.engine.waitLists.filter(Boolean).length]).toEqual([0, 0]);
  });

  it('keeps an event id and a message id apart when their hashes collide', () => {
    const seed = 1;
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const id = `id-${i}`;
      const other = seen.get(hashString(id, seed));
      if (other !== undefined) pair = [other, id];
      else seen.set(hashString(id, seed), id);
    }
    const [k1, k2] = pair;
    const c = createCorrelator({ hashSeed: seed });
    const a = { ...makeEvent('a'), id: k1, correlation: { keys: [], messageId: k2 } };
    correlate(c, a);
    correlate(c, { ...makeEvent('c'), id: k2, correlation: { keys: [], messageId: 'msg-c' } });
    // A's id is still known: its redelivery is a duplicate, and an event naming it as its cause joins it.
    correlate(c, a);
    expect(correlatorStats(c)).toMatchObject({ events: 2, duplicates: 1 });
    correlate(c, { ...makeEvent('d'), correlation: { keys: [], messageId: 'msg-d', causationId: k1 } });
    expect(getFlow(c, 'ev-d', 2000)?.events.map((e) => e.id)).toEqual([k1, 'ev-d']);
  });

  it('never puts an event in two flows, and loses none', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const { c } = partition(events);
        const all = flowGroups(c).flat();
        expect(all.length).toBe(new Set(all).size);
        expect(new Set(all)).toEqual(new Set(events.map((e) => e.id)));
      }),
    );
  });

  it('keeps nothing of evicted flows, also after hot values split them', () => {
    fc.assert(
      fc.property(eventsArb, fc.nat(10_000), (events, cut) => {
        const h = harness({ hotKeyEvents: 3, retentionMs: 1000 }).ingest(...events);
        const engine = h.correlator.engine;
        const sizes = flowGroups(h.correlator).map((g) => g.length);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(correlatorStats(h.correlator).events);
        // Evict the flows idle at `cut`, then everything: each step leaves consistent indexes.
        h.tick(cut + 1000);
        const kept = flowGroups(h.correlator).flat();
        for (const id of kept) expect(getFlow(h.correlator, id, cut)?.events.map((e) => e.id)).toContain(id);
        h.tick(1_000_000);
        expect(correlatorStats(h.correlator)).toMatchObject({ events: 0, flows: 0 });
        expect([engine.refs.size, engine.keys.size, engine.waitLists.filter(Boolean).length]).toEqual([0, 0, 0]);
        expect(engine.facts.text.filter((e) => e !== undefined)).toEqual([]);
        expect([engine.steps.byKey.size, engine.steps.list.filter(Boolean).length]).toEqual([0, 0]);
      }),
      { numRuns: 150 },
    );
  });

  it('lists the most recently active flows newest first, ties in the order they began', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 40 }), fc.nat(12), (times, limit) => {
        const c = createCorrelator();
        times.forEach((at, i) => correlate(c, makeEvent(`r${i}`, { keys: { orderId: `R-${i}` }, at })));
        const expected = times
          .map((at, i) => ({ at, id: `ev-r${i}` }))
          .sort((a, b) => b.at - a.at)
          .slice(0, limit)
          .map((x) => x.id);
        expect(recentFlows(c, limit, 100).map((f) => f.id)).toEqual(expected);
      }),
    );
  });

  it('evicts beyond the event cap exactly the least recently active flows, ties oldest first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ order: fc.nat(15), at: fc.nat(20) }), { maxLength: 60 }),
        fc.nat(60),
        (specs, maxEvents) => {
          const c = createCorrelator({ maxEvents, retentionMs: 1e9 });
          specs.forEach((x, i) => correlate(c, makeEvent(`q${i}`, { keys: { orderId: `Q-${x.order}` }, at: x.at })));
          // What a stable sort of every flow by last activity gives.
          let events = c.engine.stats.events;
          const expected = new Set(flowGroups(c).map((g) => g.join()));
          const byAge = [...c.engine.flows.values()].sort((a, b) => a.lastTs - b.lastTs);
          for (const f of byAge) {
            if (events <= maxEvents) break;
            events -= f.size;
            expected.delete(
              eventsOf(c.engine, f)
                .map((e) => e.id)
                .join(),
            );
          }
          tick(c, 100);
          expect(new Set(flowGroups(c).map((g) => g.join()))).toEqual(expected);
        },
      ),
    );
  });

  it('merges associatively: joining (A+B)+C equals A+(B+C)', () => {
    fc.assert(
      fc.property(eventsArb, eventsArb, eventsArb, (a, b, cc) => {
        // Rename so the three batches are distinct events sharing the key space.
        const tag = (xs: ReturnType<typeof makeEvent>[], t: string) =>
          xs.map((e) => ({
            ...e,
            id: `${t}${e.id}`,
            correlation: {
              ...e.correlation,
              messageId: `${t}${e.correlation.messageId}`,
              ...(e.correlation.causationId ? { causationId: `${t}${e.correlation.causationId}` } : {}),
            },
          }));
        const [A, B, C] = [tag(a, 'a'), tag(b, 'b'), tag(cc, 'c')];
        expect(partition([...A, ...B, ...C]).groups).toEqual(partition([...B, ...C, ...A]).groups);
        expect(partition([...C, ...A, ...B]).groups).toEqual(partition([...A, ...B, ...C]).groups);
      }),
      { numRuns: 100 },
    );
  });
});
