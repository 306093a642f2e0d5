import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correlatorStats } from '@flowscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawRecord } from '../sources/contract.js';
import { EventStore } from '../store/eventStore.js';
import { testPipeline } from './pipeline.testkit.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let offset = 0;
const record = (body: object, headers: Record<string, string> = {}): RawRecord => ({
  channel: 'orders',
  partition: 0,
  offset: String(offset++),
  timestamp: 1_700_000_000_000 + offset,
  headers,
  value: JSON.stringify(body),
});

describe('a live flow shown whole, with a store', () => {
  it.each(['inline', 'thread'] as const)(
    'reads back the events that left the buffer from the store, as received (%s writer)',
    async (writer) => {
      const dir = mkdtempSync(join(tmpdir(), 'flowscope-readback-'));
      dirs.push(dir);
      const store = EventStore.open({ dir, retentionMs: 3_600_000, maxBytes: 1024 ** 3, writer });
      // The engine retains far more events than the buffer holds: it keeps only what joining needs.
      const p = testPipeline({ bufferSize: 10, store, correlation: { maxEvents: 1000 } });
      expect(p.observers.correlator.engine.facts.events).toBeUndefined();
      const placed = await p.accept(record({ orderId: 'A-1', total: 42.5 }, { 'message-id': 'm-1', tenant: 'acme' }));
      for (let i = 0; i < 50; i++) await p.accept(record({ orderId: `B-${i}` }));
      const paid = await p.accept(record({ orderId: 'A-1', paid: true }, { 'causation-id': 'm-1' }));
      expect(p.queries.after(0).events.map((e) => e.id)).not.toContain(placed.id);

      const flow = p.queries.flow(placed.id);
      expect(flow?.events).toEqual([placed, paid]);
      expect(flow?.events[0]?.payload.value).toBe('{"orderId":"A-1","total":42.5}');
      await store.close();
    },
  );

  it('gives back buffered events as they were taken in: text, binary, truncated, empty and keyed payloads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-readback-'));
    dirs.push(dir);
    const store = EventStore.open({ dir, retentionMs: 3_600_000, maxBytes: 1024 ** 3, writer: 'inline' });
    const p = testPipeline({ bufferSize: 100, store, maxPayloadBytes: 64 });
    const raw = (value: string | Buffer | null, extra: Partial<RawRecord> = {}): RawRecord => ({
      ...record({}),
      value,
      ...extra,
    });
    const taken = [
      await p.accept(raw('{"orderId":"A-1","note":"caf\u00e9 \u2603"}', { headers: { 'message-id': 'm-1' } })),
      await p.accept(raw(Buffer.from([0, 255, 1, 2]))),
      await p.accept(raw(JSON.stringify({ orderId: 'A-2', blob: 'y'.repeat(200) }))),
      await p.accept(raw(null)),
      await p.accept(raw('plain text, not JSON', { key: Buffer.from('k-1') })),
    ];
    expect(taken.map((e) => e.payload.encoding)).toEqual(['json', 'binary', 'json', 'empty', 'text']);
    expect(taken[2]?.payload.truncated).toBe(true);
    expect(p.queries.after(0).events).toEqual(taken);
    for (const e of taken) expect(p.queries.event(e.id)).toEqual(e);
    expect(p.queries.events({ limit: 10 }).events).toEqual([...taken].reverse());
    await store.close();
  });

  it('keeps flows of large events correlated far beyond the buffer, within the memory budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-readback-'));
    dirs.push(dir);
    const store = EventStore.open({ dir, retentionMs: 3_600_000, maxBytes: 1024 ** 3, writer: 'inline' });
    const p = testPipeline({ bufferSize: 5000, memoryBytes: 20_000_000, maxPayloadBytes: 64 * 1024, store });
    const blob = 'x'.repeat(50_000);
    const first = await p.accept(record({ orderId: 'A-0', blob }));
    for (let i = 1; i < 1000; i++) await p.accept(record({ orderId: `A-${i % 500}`, blob }));
    p.observers.tick(1_700_000_000_000);
    // Half of 20 MB holds about 190 of these events whole: the buffer keeps those, the newest.
    expect(p.queries.after(0).events.length).toBeLessThan(250);
    // The engine keeps their facts only: every flow stays, and shows its events whole.
    expect(correlatorStats(p.observers.correlator)).toMatchObject({ events: 1000, flows: 500 });
    const flow = p.queries.flow(first.id);
    expect(flow?.events.map((e) => e.payload.value.length)).toEqual([
      first.payload.value.length,
      first.payload.value.length,
    ]);
    expect(flow?.events[0]).toEqual(first);
    await store.close();
  });
});
