import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFlow } from '@flowscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawRecord } from '../sources/contract.js';
import { testPipeline } from '../ingest/pipeline.testkit.js';
import { EventStore } from './eventStore.js';
import { StoreOpenError } from './errors.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'flowscope-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let offset = 0;
const record = (body: object, headers: Record<string, string> = {}, channel = 'orders'): RawRecord => ({
  channel,
  partition: 0,
  offset: String(offset++),
  timestamp: 1_700_000_000_000 + offset,
  headers,
  value: JSON.stringify(body),
});
const open = (dir: string, o: Partial<{ retentionMs: number; maxBytes: number }> = {}) =>
  EventStore.open({ dir, retentionMs: o.retentionMs ?? 3_600_000, maxBytes: o.maxBytes ?? 1024 ** 3 });

describe('EventStore', () => {
  it('keeps events across a reopen, newest first, and finds one by id', async () => {
    const dir = tempDir();
    const store = open(dir);
    const p = testPipeline({ bufferSize: 10, store });
    const a = await p.accept(record({ orderId: 'A-1' }));
    await p.accept(record({ orderId: 'A-2' }));
    store.close();

    const again = open(dir);
    expect(again.recent(10).map((e) => e.payload.value)).toEqual(['{"orderId":"A-2"}', '{"orderId":"A-1"}']);
    expect(again.get(a.id)).toEqual(a);
    expect(again.lastSeq()).toBe(2);
    again.close();
  });

  it('rebuilds a flow from history through shared values and causation ids', async () => {
    const store = open(tempDir());
    const p = testPipeline({ bufferSize: 10, store });
    await p.accept(record({ orderId: 'A-1' }, { 'message-id': 'm1' }));
    await p.accept(record({ paymentId: 'P-1' }, { 'message-id': 'm2', 'causation-id': 'm1' }));
    await p.accept(record({ paymentId: 'P-1', refund: true }));
    await p.accept(record({ orderId: 'B-7' }));
    store.flush();
    expect(store.closure('A-1', 100).map((e) => e.payload.value)).toEqual([
      '{"orderId":"A-1"}',
      '{"paymentId":"P-1"}',
      '{"paymentId":"P-1","refund":true}',
    ]);
    expect(store.closure('nothing', 100)).toEqual([]);
    store.close();
  });

  it('rebuilds from history the same flow the live engine has, also when the cause is named by its span id', async () => {
    const store = open(tempDir());
    const p = testPipeline({ bufferSize: 10, store, now: () => 1_700_000_100_000 });
    // The payment names the order's span as its cause, and shares no key with it.
    const order = await p.accept(
      record({ orderId: 'S-1' }, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    );
    await p.accept(record({ paymentId: 'SP-1' }, { 'causation-id': '00f067aa0ba902b7' }));
    store.flush();
    const live = p.queries.flow(order.id);
    expect(live?.events).toHaveLength(2);
    const rebuilt = getFlow(p.queries.fromHistory('S-1'), order.id, 1_700_000_100_000);
    expect(rebuilt?.events.map((e) => e.id)).toEqual(live?.events.map((e) => e.id));
    expect(rebuilt?.hops).toEqual(live?.hops);
    store.close();
  });

  it('deletes events past retention, and the oldest beyond the size cap', async () => {
    const store = open(tempDir(), { retentionMs: 1000 });
    let now = 10_000;
    const p = testPipeline({ bufferSize: 10, store, now: () => now });
    await p.accept(record({ orderId: 'old' }));
    now = 20_000;
    await p.accept(record({ orderId: 'new' }));
    expect(store.applyRetention(20_500)).toBe(1);
    expect(store.recent(10).map((e) => e.payload.value)).toEqual(['{"orderId":"new"}']);
    expect(store.closure('old', 10)).toEqual([]);
    store.close();

    const small = open(tempDir(), { maxBytes: 1024 * 1024 });
    const big = testPipeline({ bufferSize: 10, maxPayloadBytes: 64 * 1024, store: small });
    for (let i = 0; i < 300; i++) await big.accept(record({ orderId: `S-${i}`, blob: 'x'.repeat(8000) }));
    small.applyRetention(Date.now());
    expect(small.sizeBytes()).toBeLessThanOrEqual(1024 * 1024);
    expect(small.count()).toBeGreaterThan(0);
    // The newest survive.
    expect(small.recent(1)[0]?.payload.value).toContain('S-299');
    small.close();
  });

  it('refuses a damaged database with a message that says what to do', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'flowscope.db'), 'this is not sqlite '.repeat(100));
    expect(() => open(dir)).toThrow(StoreOpenError);
    try {
      open(dir);
    } catch (err) {
      expect((err as StoreOpenError).reason).toBe('corrupt');
      expect((err as StoreOpenError).message).toContain(dir);
      expect((err as StoreOpenError).hint).toMatch(/--data-dir/);
    }
  });

  it('refuses a data directory it cannot create', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    expect(() => open(join(file, 'data'))).toThrow(/Cannot (write to|open) the data directory/);
  });
});
