import { compileFilter, correlatorStats, createFilterInput } from '@flowscope/shared';
import { describe, expect, it, vi } from 'vitest';
import type { RawRecord } from '../sources/contract.js';
import { testPipeline as pipeline } from './pipeline.testkit.js';

const record = (offset: number, value: string | null = `{"orderId":"A-${offset}"}`): RawRecord => ({
  channel: 'orders',
  partition: 0,
  offset: String(offset),
  timestamp: 1_700_000_000_000 + offset,
  headers: {},
  value,
});

const from = { sourceId: 'kafka:local', origin: { broker: 'kafka' as const, cluster: 'local' } };

/** The latest seq at every turn of the event loop: what an HTTP request meanwhile would see. */
function watchLoop(p: { queries: { latestSeq: number } }): { seqs: number[]; stop(): void } {
  const seqs: number[] = [];
  let serving = true;
  const serve = () => {
    seqs.push(p.queries.latestSeq);
    if (serving) setImmediate(serve);
  };
  setImmediate(serve);
  return { seqs, stop: () => (serving = false) };
}

describe('Pipeline', () => {
  it('gives every record a stable id and a strictly increasing seq', async () => {
    const p = pipeline({ bufferSize: 10, now: () => 5 });
    const a = await p.accept(record(7));
    const b = await p.accept(record(8));
    expect(a.id).toBe('kafka/local/orders/0/7');
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.correlation.keys).toEqual([{ name: 'orderId', value: 'A-7' }]);
  });

  it('replays what a client missed and counts what is no longer buffered', async () => {
    const p = pipeline({ bufferSize: 3 });
    for (let i = 1; i <= 5; i++) await p.accept(record(i));
    // Buffer holds seq 3..5; a client that saw seq 1 missed 2..5 and can get only 3..5.
    const { events, skipped } = p.queries.after(1);
    expect(events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(skipped).toBe(1);
    expect(p.queries.after(4)).toMatchObject({ skipped: 0, events: [{ seq: 5 }] });
  });

  it('filters by event time and by predicate, scanning newest first', async () => {
    const p = pipeline({ bufferSize: 10 });
    for (let i = 1; i <= 6; i++) await p.accept(record(i));
    const t0 = 1_700_000_000_000;
    expect(p.queries.events({ limit: 10, since: t0 + 2, until: t0 + 5 }).events.map((e) => e.offset)).toEqual([
      '4',
      '3',
      '2',
    ]);
    expect(
      p.queries.events({ limit: 10, filter: (e) => Number(e.offset) % 2 === 0 }).events.map((e) => e.offset),
    ).toEqual(['6', '4', '2']);
  });

  it('pages newest first with a cursor', async () => {
    const p = pipeline({ bufferSize: 10 });
    for (let i = 1; i <= 5; i++) await p.accept(record(i));
    expect(p.queries.events({ limit: 2 })).toMatchObject({ events: [{ seq: 5 }, { seq: 4 }], nextCursor: 4 });
    expect(p.queries.events({ limit: 2, before: 4 }).events.map((e) => e.seq)).toEqual([3, 2]);
    // The last page has no cursor.
    expect(p.queries.events({ limit: 10, before: 3 })).toEqual({
      events: [expect.objectContaining({ seq: 2 }), expect.objectContaining({ seq: 1 })],
    });
  });

  it('accepts an empty message and keeps it', async () => {
    const p = pipeline({ bufferSize: 10 });
    expect((await p.accept(record(1, null))).payload.encoding).toBe('empty');
    expect(p.queries.events({ limit: 10 }).events).toHaveLength(1);
  });

  it('parses each JSON payload once: the catalog and the live filters reuse the value ingest parsed', async () => {
    const p = pipeline({ bufferSize: 5000 });
    const handed: unknown[] = [];
    p.ingest.onEvent((_e, _flow, json) => handed.push(json));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      // More than the catalog's full sampling, so its schema inference sees every one of these.
      for (let i = 1; i <= 1500; i++) await p.accept(record(i));
      const payloadParses = parse.mock.calls.filter(([text]) => String(text).startsWith('{"orderId"')).length;
      expect(payloadParses).toBe(1500);
      expect(handed[0]).toEqual({ orderId: 'A-1' });
      // What a live subscription does with the handed value: no further parse.
      parse.mockClear();
      const filter = compileFilter('payload.orderId == "A-1500"');
      if (!filter.ok) throw new Error(filter.error.message);
      const last = p.queries.events({ limit: 1 }).events[0];
      if (!last) throw new Error('no event');
      expect(filter.filter.test(createFilterInput(last, handed.at(-1)))).toBe(true);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    // The catalog learned the payload's schema from the handed values.
    const types = [...p.observers.channels.types.values()];
    expect(types[0]?.count).toBe(1500);
    expect(types[0]?.example).toBe('{"orderId":"A-1"}');
  });

  it('takes a large batch in slices, serving the event loop in between, and keeps every event in order', async () => {
    // sliceMs 0: a slice is 64 records, whatever the machine's speed.
    const p = pipeline({ bufferSize: 2000, sliceMs: 0 });
    const seenBetween = watchLoop(p);
    const batch = Array.from({ length: 1000 }, (_, i) => record(i + 1));
    const accepted = await p.ingest.records(from, batch);
    seenBetween.stop();
    expect(accepted.map((e) => e.offset)).toEqual(batch.map((r) => r.offset));
    expect(accepted.map((e) => e.seq)).toEqual(batch.map((_, i) => i + 1));
    // The loop ran while the batch was worked through: it saw it part-way, more each time.
    const partWay = seenBetween.seqs.filter((seq) => seq > 0 && seq < 1000);
    expect(partWay.length).toBeGreaterThanOrEqual(10);
    expect(partWay).toEqual([...partWay].sort((a, b) => a - b));
    // A batch handed over meanwhile waits its turn: seq order is arrival order.
    const [a, b] = await Promise.all([
      p.ingest.records(from, batch.slice(0, 300)),
      p.ingest.records(from, [record(5000)]),
    ]);
    expect(a.at(-1)?.seq).toBe(1300);
    expect(b[0]?.seq).toBe(1301);
  });

  it('serves the event loop between batches that wait their turn, not only inside a large one', async () => {
    // A source thread reads ahead: many batches wait at once. sliceMs 0: a slice is 64 records.
    const p = pipeline({ bufferSize: 2000, sliceMs: 0 });
    const seenBetween = watchLoop(p);
    // A large batch first (so the rest wait), then twenty batches of 50, each shorter than a slice.
    const waiting = [
      p.ingest.records(
        from,
        Array.from({ length: 300 }, (_, i) => record(i + 1)),
      ),
    ];
    for (let b = 0; b < 20; b++)
      waiting.push(
        p.ingest.records(
          from,
          Array.from({ length: 50 }, (_, i) => record(1000 + b * 50 + i)),
        ),
      );
    const batches = await Promise.all(waiting);
    seenBetween.stop();
    expect(batches.flat().map((e) => e.seq)).toEqual(Array.from({ length: 1300 }, (_, i) => i + 1));
    // The loop saw the small batches being taken: run back to back in one turn, it saw none of them.
    const amongSmall = new Set(seenBetween.seqs.filter((seq) => seq > 300 && seq < 1300));
    expect(amongSmall.size).toBeGreaterThanOrEqual(10);
  });

  it('keeps the in-memory window within the memory budget: large events shorten it, small ones do not', async () => {
    const big = (i: number) => record(i, JSON.stringify({ orderId: `A-${i}`, blob: 'x'.repeat(50_000) }));
    const budgeted = pipeline({ bufferSize: 5000, memoryBytes: 20_000_000, maxPayloadBytes: 64 * 1024 });
    for (let i = 1; i <= 1000; i++) await budgeted.accept(big(i));
    const { events, skipped } = budgeted.queries.after(0);
    // Half of 20 MB for the buffer at about 51 KB an event: some 190 of them, the newest.
    expect(events.length).toBeGreaterThan(150);
    expect(events.length).toBeLessThan(250);
    expect(skipped).toBe(1000 - events.length);
    expect(events.at(-1)?.seq).toBe(1000);
    // The flows being correlated keep about as many once time passes (least recently active go).
    budgeted.observers.tick(1_700_000_000_000);
    const retained = correlatorStats(budgeted.observers.correlator).events;
    expect(retained).toBeGreaterThan(150);
    expect(retained).toBeLessThan(250);
    // The same events without a budget: all 1,000 stay (the buffer holds 5,000).
    const unbounded = pipeline({ bufferSize: 5000, maxPayloadBytes: 64 * 1024 });
    for (let i = 1; i <= 1000; i++) await unbounded.accept(big(i));
    expect(unbounded.queries.after(0).events).toHaveLength(1000);
    // Small events under the same budget fill the buffer's count.
    const small = pipeline({ bufferSize: 5000, memoryBytes: 20_000_000 });
    for (let i = 1; i <= 3000; i++) await small.accept(record(i));
    expect(small.queries.after(0).events).toHaveLength(3000);
  });
});
