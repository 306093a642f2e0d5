import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFlow } from '@flowscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawRecord } from '../sources/contract.js';
import { testPipeline } from '../ingest/pipeline.testkit.js';
import { openDatabase } from './connection.js';
import { EventStore, type WriteFailure } from './eventStore.js';
import { StoreOpenError } from './errors.js';
import { compileMasks } from '../ingest/mask.js';
import { writeSchema1 } from './schema1.testkit.js';
import { rewriteAsSchema } from './olderBlocks.testkit.js';
import { hash32, LINK_LEVELS } from './schema.js';
import { normalizeRecord } from '../ingest/normalize.js';
import { encodeEvents } from '../ingest/encodedEvents.js';

const origin = { broker: 'kafka' as const, cluster: 'local' };

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
const open = (
  dir: string,
  o: Partial<{
    retentionMs: number;
    maxBytes: number;
    writer: 'thread' | 'inline';
    onWriteFailure: (f: WriteFailure | undefined) => void;
    mergeLinkRows: number;
    linkFanOut: number;
  }> = {},
) => EventStore.open({ dir, retentionMs: 3_600_000, maxBytes: 1024 ** 3, ...o });

/** Events of `orders` orders of three steps each (placed, paid, shipped), through the real pipeline. */
async function orders(store: EventStore, count: number, prefix = 'O', p = testPipeline({ bufferSize: 10, store })) {
  const events = [];
  for (let i = 0; i < count; i++) {
    events.push(await p.accept(record({ orderId: `${prefix}-${i}` }, { 'message-id': `${prefix}m${i}` }, 'orders')));
    events.push(
      await p.accept(
        record(
          { paymentId: `${prefix}P-${i}` },
          { 'message-id': `${prefix}p${i}`, 'causation-id': `${prefix}m${i}` },
          'payments',
        ),
      ),
    );
    events.push(await p.accept(record({ paymentId: `${prefix}P-${i}`, shipped: true }, {}, 'shipments')));
  }
  return events;
}

describe('EventStore', () => {
  it('keeps events across a reopen, newest first, and finds one by id', async () => {
    const dir = tempDir();
    const store = open(dir);
    const p = testPipeline({ bufferSize: 10, store });
    const a = await p.accept(record({ orderId: 'A-1' }));
    await p.accept(record({ orderId: 'A-2' }));
    await store.close();

    const again = open(dir);
    expect(again.recent(10).map((e) => e.payload.value)).toEqual(['{"orderId":"A-2"}', '{"orderId":"A-1"}']);
    expect(again.get(a.id)).toEqual(a);
    expect(again.lastSeq()).toBe(2);
    await again.close();
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
    await store.close();
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
    await store.close();
  });

  it('deletes events past retention, and the oldest beyond the size cap', async () => {
    const store = open(tempDir(), { retentionMs: 1000 });
    let now = 10_000;
    const p = testPipeline({ bufferSize: 10, store, now: () => now });
    await p.accept(record({ orderId: 'old' }));
    now = 20_000;
    await p.accept(record({ orderId: 'new' }));
    expect(await store.applyRetention(20_500)).toBe(1);
    expect(store.recent(10).map((e) => e.payload.value)).toEqual(['{"orderId":"new"}']);
    expect(store.closure('old', 10)).toEqual([]);
    await store.close();

    const small = open(tempDir(), { maxBytes: 1024 * 1024 });
    const big = testPipeline({ bufferSize: 10, maxPayloadBytes: 64 * 1024, store: small });
    for (let i = 0; i < 300; i++) await big.accept(record({ orderId: `S-${i}`, blob: 'x'.repeat(8000) }));
    await small.applyRetention(Date.now());
    expect(small.sizeBytes()).toBeLessThanOrEqual(1024 * 1024);
    expect(small.count()).toBeGreaterThan(0);
    // The newest survive.
    expect(small.recent(1)[0]?.payload.value).toContain('S-299');
    await small.close();
  });

  /** Link rows, in any level, of segments before the oldest block left (retention's leftovers). */
  const rowsOfDeletedSegments = (dir: string) => {
    const db = openDatabase(dir);
    const first = Math.floor(Number(db.prepare('SELECT min(id) FROM blocks').pluck().get()) / 32);
    return LINK_LEVELS.reduce(
      (n, t) => n + Number(db.prepare(`SELECT count(*) FROM ${t} WHERE seg < ?`).pluck().get(first)),
      0,
    );
  };

  /** Link rows in each level, newest level first. */
  const levelRows = (dir: string) =>
    LINK_LEVELS.map((t) => Number(openDatabase(dir).prepare(`SELECT count(*) FROM ${t}`).pluck().get()));

  // A batch of 4 orders seals 28 link rows. At 70 they are merged into the next level after the
  // third batch (the fourth's stay recent); at 1,000 they all stay recent; at 28 with levels of
  // twice the one before, they go down a level with each batch and all reach the last level.
  it.each([
    { mergeLinkRows: 70, linkFanOut: 16, written: [28, 84, 0, 0], kept: [28, 28, 0, 0] },
    { mergeLinkRows: 1000, linkFanOut: 16, written: [112, 0, 0, 0], kept: [56, 0, 0, 0] },
    { mergeLinkRows: 28, linkFanOut: 2, written: [0, 0, 0, 112], kept: [0, 0, 0, 56] },
  ])(
    'finds flows whose link rows are recent or merged, after retention and a reopen too (merge at $mergeLinkRows, fan-out $linkFanOut)',
    async ({ mergeLinkRows, linkFanOut, written, kept }) => {
      const dir = tempDir();
      const store = open(dir, { retentionMs: 60_000, mergeLinkRows, linkFanOut });
      const rows = () => levelRows(dir);
      const prefixes = ['A', 'B', 'C', 'D'];
      const batches: Awaited<ReturnType<typeof orders>>[] = [];
      const p = testPipeline({ bufferSize: 10, store });
      for (const prefix of prefixes) {
        batches.push(await orders(store, 4, prefix, p));
        store.flush(); // a seal per batch
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(rows()).toEqual(written);
      const flowOf = (s: EventStore, prefix: string, i: number) => s.closure(`${prefix}-${i}`, 100).map((e) => e.id);
      const expected = (b: number, i: number) => batches[b]?.slice(i * 3, i * 3 + 3).map((e) => e.id);
      for (const [b, prefix] of prefixes.entries())
        for (let i = 0; i < 4; i++) expect(flowOf(store, prefix, i)).toEqual(expected(b, i));
      await store.close();

      const again = open(dir, { retentionMs: 60_000, mergeLinkRows, linkFanOut });
      // Retention of everything received before batch C: A and B go, with their link rows.
      expect(await again.applyRetention(Number(batches[2]?.[0]?.receivedAt) + 60_000)).toBe(24);
      for (const [b, prefix] of prefixes.entries())
        for (let i = 0; i < 4; i++) expect(flowOf(again, prefix, i)).toEqual(b < 2 ? [] : expected(b, i));
      expect(rows()).toEqual(kept);
      await again.close();
    },
  );

  it('moves link rows down one level as each fills, the levels kept across a reopen, and finds flows in each level', async () => {
    const dir = tempDir();
    // Bounds of 28, 56 and 112 rows; each batch of four orders seals 28.
    const options = { retentionMs: 60_000, mergeLinkRows: 28, linkFanOut: 2 };
    let store = open(dir, options);
    let p = testPipeline({ bufferSize: 10, store });
    const batches: Awaited<ReturnType<typeof orders>>[] = [];
    const levels: number[][] = [];
    const flowOf = (prefix: string, i: number) => store.closure(`${prefix}-${i}`, 100).map((e) => e.id);
    for (const prefix of ['A', 'B', 'C', 'D', 'E']) {
      if (prefix === 'D') {
        // The levels' sizes as the merges left them: D fills the first two and all goes to the last.
        await store.close();
        store = open(dir, options);
        p = testPipeline({ bufferSize: 10, store });
        p.ingest.restore(); // seq goes on after the stored ones, as the server's start does
      }
      batches.push(await orders(store, 4, prefix, p));
      store.flush();
      await new Promise((resolve) => setTimeout(resolve, 5)); // batches received apart
      levels.push(levelRows(dir));
      for (const [b, batch] of batches.entries())
        for (let i = 0; i < 4; i++)
          expect(flowOf('ABCDE'[b] as string, i)).toEqual(batch.slice(i * 3, i * 3 + 3).map((e) => e.id));
    }
    expect(levels).toEqual([
      [0, 28, 0, 0],
      [0, 0, 56, 0],
      [0, 28, 56, 0],
      [0, 0, 0, 112],
      [0, 28, 0, 112],
    ]);
    // Retention of A and B, whose rows are in the last level: they go from there, and only them.
    expect(await store.applyRetention(Number(batches[2]?.[0]?.receivedAt) + 60_000)).toBe(24);
    expect(levelRows(dir)).toEqual([0, 28, 0, 56]);
    expect(rowsOfDeletedSegments(dir)).toBe(0);
    for (const [b, batch] of batches.entries())
      for (let i = 0; i < 4; i++)
        expect(flowOf('ABCDE'[b] as string, i)).toEqual(b < 2 ? [] : batch.slice(i * 3, i * 3 + 3).map((e) => e.id));
    // Retention of everything, a reopen, new events, and retention of those: new segments are not
    // numbered below the levels' runs, so their rows are found where they are, and all go.
    await store.applyRetention(Date.now() + 3_600_000);
    expect(store.count()).toBe(0);
    await store.close();
    store = open(dir, options);
    p = testPipeline({ bufferSize: 10, store });
    p.ingest.restore();
    const f = await orders(store, 4, 'F', p);
    store.flush();
    for (let i = 0; i < 4; i++) expect(flowOf('F', i)).toEqual(f.slice(i * 3, i * 3 + 3).map((e) => e.id));
    await store.applyRetention(Date.now() + 3_600_000);
    expect(levelRows(dir)).toEqual([0, 0, 0, 0]);
    expect(store.writeFailure).toBeUndefined();
    await store.close();
  });

  it('numbers on after a clean stop without a jump, and never from 1 again when retention emptied the store', async () => {
    const dir = tempDir();
    let store = open(dir, { retentionMs: 60_000 });
    let p = testPipeline({ bufferSize: 10, store });
    const first = await orders(store, 2, 'A', p);
    await store.close();
    store = open(dir, { retentionMs: 60_000 });
    expect(store.takeUnwrittenSeqs()).toBeUndefined();
    p = testPipeline({ bufferSize: 10, store });
    p.ingest.restore();
    const second = await orders(store, 1, 'B', p);
    expect(second[0]?.seq).toBe((first.at(-1)?.seq ?? 0) + 1);
    // Retention of everything: the next run still goes on after the last seq it gave out.
    await store.applyRetention(Date.now() + 3_600_000);
    expect(store.count()).toBe(0);
    await store.close();
    store = open(dir, { retentionMs: 60_000 });
    p = testPipeline({ bufferSize: 10, store });
    p.ingest.restore();
    const third = await orders(store, 1, 'C', p);
    expect(third[0]?.seq).toBe((second.at(-1)?.seq ?? 0) + 1);
    await store.close();
  });

  it('goes on past its reservation after a run that stopped without closing, and tells that range once', async () => {
    const dir = tempDir();
    const store = open(dir);
    const p = testPipeline({ bufferSize: 10, store });
    const written = await orders(store, 2, 'A', p);
    store.flush();
    // Accepted, never written: the process is gone before its next seal (nothing closes the store).
    const lost = await orders(store, 1, 'B', p);
    const after = written.at(-1)?.seq ?? 0;
    const reopened = open(dir);
    // The first block reserved: seqs 1 to 100,000.
    expect(reopened.takeUnwrittenSeqs()).toEqual({ after, upTo: 100_000 });
    expect(reopened.takeUnwrittenSeqs()).toBeUndefined();
    const next = testPipeline({ bufferSize: 10, store: reopened });
    next.ingest.restore();
    const more = await orders(reopened, 1, 'C', next);
    expect(more[0]?.seq).toBeGreaterThan(lost.at(-1)?.seq ?? Infinity);
    await reopened.close();
  });

  it('writes payloads nested 100,000 levels deep, on the writer thread, and goes on writing', async () => {
    // The channel's dictionary was made by walking each line's JSON: a deep one overflowed the
    // writer thread's stack, the thread died, and nothing was stored from then on.
    const dir = tempDir();
    const store = open(dir, { writer: 'thread' });
    const p = testPipeline({ bufferSize: 10, store, maxPayloadBytes: 1 << 20 });
    const deep = ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)];
    for (const value of deep) await p.accept({ ...record({}), value });
    await p.accept(record({ orderId: 'after' }));
    store.flush();
    expect(store.writeFailure).toBeUndefined();
    expect(store.count()).toBe(3);
    expect(store.recent(3).map((e) => e.payload.size)).toEqual([19, 60_001, 200_000]);
    await store.close();
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

  it('pages history newest first across channels, by seq and by event time', async () => {
    const store = open(tempDir());
    const events = await orders(store, 200);
    store.flush();
    const seqs = events.map((e) => e.seq).reverse();
    expect(store.recent(5).map((e) => e.seq)).toEqual(seqs.slice(0, 5));
    expect(store.recent(300, 400).map((e) => e.seq)).toEqual(seqs.filter((s) => s < 400).slice(0, 300));
    const mid = events[300] as (typeof events)[number];
    const inWindow = events.filter((e) => e.timestamp >= mid.timestamp && e.timestamp < mid.timestamp + 50);
    expect(store.page(Number.MAX_SAFE_INTEGER, 1000, mid.timestamp, mid.timestamp + 50).map((e) => e.id)).toEqual(
      inWindow.map((e) => e.id).reverse(),
    );
    expect(store.tail(3).map((e) => e.seq)).toEqual(seqs.slice(0, 3).reverse());
    expect(store.count()).toBe(600);
    expect(store.get((events[10] as (typeof events)[number]).id)).toEqual(events[10]);
    await store.close();
  });

  it('opens a data directory written by schema 1 with every event, gap and annotation, and rebuilds its flows', async () => {
    const scratch = open(tempDir());
    const events = await orders(scratch, 50, 'V1');
    await scratch.close();
    const dir = tempDir();
    const gap = { at: 5, source: 'kafka:local', reason: 'not-running' as const, detail: 'Flowscope was stopped' };
    const note = { target: 'kind:order.placed', title: 'Order', description: 'placed by the shop', updatedAt: 7 };
    writeSchema1(dir, { events, gaps: [gap], annotations: [note] });

    const store = open(dir);
    expect(store.count()).toBe(150);
    expect(store.lastSeq()).toBe(150);
    expect(store.recent(150)).toEqual([...events].reverse());
    expect(store.closure('V1-7', 100).map((e) => e.id)).toEqual(events.slice(21, 24).map((e) => e.id));
    expect(store.gaps(10)).toEqual([{ id: 1, ...gap }]);
    expect(store.annotations()).toEqual([note]);
    await store.close();
    // Migrated once: a second open finds schema 2.
    const again = open(dir);
    expect(again.count()).toBe(150);
    await again.close();
  });

  it('refuses a data directory written by a newer Flowscope', async () => {
    const dir = tempDir();
    await open(dir).close();
    const db = openDatabase(dir);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    expect(() => open(dir)).toThrow(expect.objectContaining({ reason: 'newer-schema' }));
  });

  it('writes on its own thread: reads see what was appended, and a clean close writes everything', async () => {
    const dir = tempDir();
    const store = open(dir, { writer: 'thread' });
    const first = await orders(store, 10);
    store.flush();
    expect(store.closure('O-3', 100).map((e) => e.id)).toEqual(first.slice(9, 12).map((e) => e.id));
    await orders(store, 100, 'late');
    // No flush: closing drains the writer thread.
    await store.close();
    const again = open(dir);
    expect(again.count()).toBe(330);
    expect(again.closure('late-99', 10)).toHaveLength(3);
    await again.close();
  }, 30_000);

  it('finds a flow by a value outside ASCII, or holding quotes and backslashes, as stored', async () => {
    const store = open(tempDir());
    const p = testPipeline({ bufferSize: 10, store });
    const ids = ['Bestellung-ä€😀', 'q"uote\\back'];
    for (const orderId of ids) {
      await p.accept(record({ orderId }));
      await p.accept(record({ orderId, paid: true }, {}, 'payments'));
    }
    store.flush();
    for (const orderId of ids)
      expect(store.closure(orderId, 10).map((e) => [e.channel, JSON.parse(e.payload.value)])).toEqual([
        ['orders', { orderId }],
        ['payments', { orderId, paid: true }],
      ]);
    await store.close();
  });

  it('answers a lookup whose block retention deleted after the link rows named it, without the gone events', async () => {
    const dir = tempDir();
    const store = open(dir);
    const p = testPipeline({ bufferSize: 10, store });
    const placed = await p.accept(record({ orderId: 'R-1' }));
    const paid = await p.accept(record({ orderId: 'R-1', paid: true }, {}, 'payments'));
    store.flush();
    // As a lookup sees it when the writer thread's retention commits between its two statements:
    // the first (link and block rows) names the payments block, the second finds no data for it.
    const side = openDatabase(dir);
    const gone = side.prepare("SELECT id FROM blocks WHERE channel = 'payments'").pluck().all() as number[];
    expect(gone).toHaveLength(1);
    side.prepare('DELETE FROM block_data WHERE id = ?').run(gone[0]);
    side.close();
    expect(store.closure('R-1', 10).map((e) => e.id)).toEqual([placed.id]);
    expect(store.get(paid.id)).toBeUndefined();
    expect(store.get(placed.id)?.id).toBe(placed.id);
    await store.close();
  });

  it.each([
    [2, 'one stream of lines, no index'],
    [4, 'one stream of lines and their index'],
    [5, 'pieces; link rows in two levels'],
  ] as const)(
    'reads a store of schema %i (blocks of %s), adds blocks in pieces beside them, and retention takes its link rows',
    async (schema, _blocks) => {
      const dir = tempDir();
      // Merged early, so that rows of the older file are in its last level, `links`; two more
      // orders after a reopen, too few to merge, leave theirs in `links_recent`.
      const store = open(dir, { mergeLinkRows: 50 });
      const written = await orders(store, 30);
      await store.close();
      const reopened = open(dir, { mergeLinkRows: 50 });
      const p0 = testPipeline({ bufferSize: 10, store: reopened });
      p0.ingest.restore();
      written.push(...(await orders(reopened, 2, 'R', p0)));
      await reopened.close();
      rewriteAsSchema(dir, schema);
      expect(openDatabase(dir).prepare('SELECT count(*) FROM links_recent').pluck().get()).toBeGreaterThan(0);
      expect(openDatabase(dir).prepare('SELECT count(*) FROM links').pluck().get()).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 5)); // the new events received after
      // Not merged again: retention below finds the older file's rows where it left them.
      const again = open(dir);
      const p = testPipeline({ bufferSize: 10, store: again });
      p.ingest.restore(); // seq goes on after the stored ones, as the server's start does
      const more = await orders(again, 100, 'N', p);
      for (const i of [0, 17, 29])
        expect(again.closure(`O-${i}`, 10).map((e) => e.id)).toEqual(written.slice(i * 3, i * 3 + 3).map((e) => e.id));
      expect(again.get(written[40]!.id)?.payload).toEqual(written[40]!.payload);
      await again.close();
      const last = open(dir);
      expect(last.closure('N-99', 10).map((e) => e.id)).toEqual(more.slice(297).map((e) => e.id));
      // Every event of both, once.
      expect(
        last
          .recent(1000)
          .map((e) => e.id)
          .sort(),
      ).toEqual([...written, ...more].map((e) => e.id).sort());
      // Retention of the older file's events takes their link rows from the level each is in.
      expect(await last.applyRetention(Number(more[0]?.receivedAt) + 3_600_000)).toBe(written.length);
      expect(rowsOfDeletedSegments(dir)).toBe(0);
      expect(last.closure('O-17', 10)).toEqual([]);
      expect(last.closure('N-99', 10).map((e) => e.id)).toEqual(more.slice(297).map((e) => e.id));
      await last.close();
    },
  );

  it('tells apart two values whose hashes share the bits a block indexes', async () => {
    const low = (v: string) => hash32(v) & 0xffff;
    let twin = 1;
    while (low(`K-${twin}`) !== low('K-0')) twin += 1;
    const store = open(tempDir());
    const p = testPipeline({ bufferSize: 10, store });
    const mine = await p.accept(record({ orderId: 'K-0' }));
    const other = await p.accept(record({ orderId: `K-${twin}` }));
    store.flush();
    expect(store.closure('K-0', 10).map((e) => e.id)).toEqual([mine.id]);
    expect(store.closure(`K-${twin}`, 10).map((e) => e.id)).toEqual([other.id]);
    await store.close();
  });

  it('gives back every payload with its hash, whether the store kept the hash or computes it from the value', async () => {
    const bodies: { value: string | Buffer; channel?: string }[] = [
      { value: JSON.stringify({ orderId: 'H-1' }) },
      // A byte order mark: the shown text drops it, so its hash is not the text's.
      { value: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"orderId":"H-2"}')]) },
      // Over maxPayloadBytes: the value is cut, the hash is of every byte.
      { value: JSON.stringify({ orderId: 'H-3', note: 'x'.repeat(2000) }) },
      { value: Buffer.from([0, 1, 2, 255]) },
      // Masked: the hash is of the masked text.
      { value: JSON.stringify({ orderId: 'H-5', card: '4111 1111 1111 1111' }), channel: 'cards' },
    ];
    for (const writer of ['thread', 'inline'] as const) {
      const dir = tempDir();
      const store = open(dir, { writer });
      const p = testPipeline({
        bufferSize: 10,
        store,
        masks: compileMasks([{ channel: 'cards', target: 'payload', path: 'card' }]),
      });
      const live = [];
      for (const b of bodies) live.push(await p.accept({ ...record({}, {}, b.channel ?? 'orders'), value: b.value }));
      // As a replayed capture gives them: nobody said whether the hash is the value's.
      const replayed = await p.ingest.events([{ ...live[0]!, id: 'replayed-1', seq: undefined } as never]);
      await store.close();
      const again = open(dir);
      const stored = again.recent(10).reverse();
      expect(stored.map((e) => e.payload)).toEqual([...live, ...replayed].map((e) => e.payload));
      expect(stored[2]?.payload.truncated).toBe(true);
      expect(stored[4]?.payload.value).not.toContain('4111');
      await again.close();
    }
    // As a source thread hands them over: each event as its line, made there once, for ingest and
    // the store alike. The events taken and the events stored are those normalize made.
    const dir = tempDir();
    const store = open(dir, { writer: 'thread' });
    const p = testPipeline({ bufferSize: 10, store });
    const masks = compileMasks([{ channel: 'cards', target: 'payload', path: 'card' }]);
    const normalized = bodies.map((b) =>
      normalizeRecord({ ...record({}, {}, b.channel ?? 'orders'), value: b.value }, origin, 1_700_000_000_000, {
        maxPayloadBytes: 1024,
        masks,
      }),
    );
    const events = normalized.map((n) => n.event);
    const { batch } = encodeEvents(events, {
      valueHashed: Uint8Array.from(normalized, (n) => (n.valueHashed ? 1 : 0)),
    });
    // The value's hash is left out of the lines of the JSON, binary and masked payloads only.
    expect(normalized.map((n) => n.valueHashed)).toEqual([true, false, false, false, true]);
    const taken = await p.ingest.encoded(batch);
    expect(taken).toEqual(events.map((e, i) => ({ ...e, seq: i + 1 })));
    await store.close();
    const again = open(dir);
    expect(again.recent(10).reverse()).toEqual(taken);
    await again.close();
  }, 30_000);

  it('makes ingest wait for a writer thread that falls behind, so its backlog stays bounded, and loses nothing', async () => {
    const dir = tempDir();
    const store = EventStore.open({
      dir,
      retentionMs: 3_600_000,
      maxBytes: 1024 ** 3,
      writer: 'thread',
      maxBacklog: 5000,
    });
    // sliceMs 0: ingest looks at the writer every 64 events.
    const p = testPipeline({ bufferSize: 1000, store, sliceMs: 0 });
    const from = { sourceId: 'kafka:local', origin: { broker: 'kafka' as const, cluster: 'local' } };
    let most = 0;
    let sampling = true;
    const sample = () => {
      most = Math.max(most, store.backlog);
      if (sampling) setImmediate(sample);
    };
    setImmediate(sample);
    const batch = Array.from({ length: 30_000 }, (_, i) => record({ orderId: `B-${i % 3000}`, n: i }));
    const accepted = await p.ingest.records(from, batch);
    sampling = false;
    expect(accepted).toHaveLength(30_000);
    // Never more than the bound plus the slice in progress waited for the writer.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(5000 + 64);
    await store.close();
    const again = open(dir);
    expect(again.count()).toBe(30_000);
    await again.close();
  }, 60_000);

  it('reports a writer that cannot write, keeps answering, and writes the events once it can', async () => {
    const dir = tempDir();
    const failures: (WriteFailure | undefined)[] = [];
    const store = open(dir, { writer: 'thread', onWriteFailure: (f) => failures.push(f) });
    // The disk "fills up": every block insert fails, as SQLITE_FULL would.
    const side = openDatabase(dir);
    side.exec("CREATE TRIGGER full BEFORE INSERT ON blocks BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    await orders(store, 5);
    store.flush();
    await expect.poll(() => failures.length, { timeout: 10_000 }).toBe(1);
    expect(failures[0]?.message).toContain('disk is full');
    expect(store.writeFailure?.message).toContain('disk is full');
    expect(store.count()).toBe(0);
    side.exec('DROP TRIGGER full');
    side.close();
    store.flush();
    expect(store.count()).toBe(15);
    await expect.poll(() => failures.length, { timeout: 10_000 }).toBe(2);
    expect(failures[1]).toBeUndefined();
    expect(store.writeFailure).toBeUndefined();
    await store.close();
  }, 30_000);
});
