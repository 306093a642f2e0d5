import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../sources/eventSource.js';
import { Pipeline } from './pipeline.js';

const origin = { broker: 'kafka' as const, cluster: 'local' };
const record = (offset: number, value: string | null = `{"orderId":"A-${offset}"}`): RawRecord => ({
  channel: 'orders',
  partition: 0,
  offset: String(offset),
  timestamp: 1_700_000_000_000 + offset,
  headers: {},
  value,
});

describe('Pipeline', () => {
  it('gives every record a stable id and a strictly increasing seq', () => {
    const p = new Pipeline({ bufferSize: 10, maxPayloadBytes: 1024, now: () => 5 });
    const a = p.accept(record(7), origin);
    const b = p.accept(record(8), origin);
    expect(a.id).toBe('kafka/local/orders/0/7');
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.correlation.keys).toEqual([{ name: 'orderId', value: 'A-7' }]);
  });

  it('replays what a client missed and counts what is no longer buffered', () => {
    const p = new Pipeline({ bufferSize: 3, maxPayloadBytes: 1024 });
    for (let i = 1; i <= 5; i++) p.accept(record(i), origin);
    // Buffer holds seq 3..5; a client that saw seq 1 missed 2..5 and can get only 3..5.
    const { events, skipped } = p.after(1);
    expect(events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(skipped).toBe(1);
    expect(p.after(4)).toMatchObject({ skipped: 0, events: [{ seq: 5 }] });
  });

  it('filters by event time and by predicate, scanning newest first', () => {
    const p = new Pipeline({ bufferSize: 10, maxPayloadBytes: 1024 });
    for (let i = 1; i <= 6; i++) p.accept(record(i), origin);
    const t0 = 1_700_000_000_000;
    expect(p.query({ limit: 10, since: t0 + 2, until: t0 + 5 }).events.map((e) => e.offset)).toEqual(['4', '3', '2']);
    expect(p.query({ limit: 10, filter: (e) => Number(e.offset) % 2 === 0 }).events.map((e) => e.offset)).toEqual([
      '6',
      '4',
      '2',
    ]);
  });

  it('pages newest first with a cursor', () => {
    const p = new Pipeline({ bufferSize: 10, maxPayloadBytes: 1024 });
    for (let i = 1; i <= 5; i++) p.accept(record(i), origin);
    expect(p.query({ limit: 2 })).toMatchObject({ events: [{ seq: 5 }, { seq: 4 }], nextCursor: 4 });
    expect(p.query({ limit: 2, before: 4 }).events.map((e) => e.seq)).toEqual([3, 2]);
    // The last page has no cursor.
    expect(p.query({ limit: 10, before: 3 })).toEqual({
      events: [expect.objectContaining({ seq: 2 }), expect.objectContaining({ seq: 1 })],
    });
  });

  it('accepts an empty message and keeps it', () => {
    const p = new Pipeline({ bufferSize: 10, maxPayloadBytes: 1024 });
    expect(p.accept(record(1, null), origin).payload.encoding).toBe('empty');
    expect(p.query({ limit: 10 }).events).toHaveLength(1);
  });
});
