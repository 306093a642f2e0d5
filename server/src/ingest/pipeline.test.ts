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

  it('pages newest first with a cursor', () => {
    const p = new Pipeline({ bufferSize: 10, maxPayloadBytes: 1024 });
    for (let i = 1; i <= 5; i++) p.accept(record(i), origin);
    expect(p.recent(2).map((e) => e.seq)).toEqual([5, 4]);
    expect(p.recent(2, 4).map((e) => e.seq)).toEqual([3, 2]);
  });

  it('accepts an empty message and keeps it', () => {
    const p = new Pipeline({ bufferSize: 10, maxPayloadBytes: 1024 });
    expect(p.accept(record(1, null), origin).payload.encoding).toBe('empty');
    expect(p.recent(10)).toHaveLength(1);
  });
});
