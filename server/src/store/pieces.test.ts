import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowEvent } from '@flowscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { testPipeline } from '../ingest/pipeline.testkit.js';
import { openDatabase } from './connection.js';
import { EventStore } from './eventStore.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const open = (writer: 'inline' | 'thread' = 'inline') => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-pieces-'));
  dirs.push(dir);
  return EventStore.open({ dir, retentionMs: 3_600_000, maxBytes: 1024 ** 3, writer });
};

let offset = 0;
/** `count` orders on the `orders` channel, as a shop writes them, each with its own ids and amounts. */
async function placeOrders(store: EventStore, prefix: string, count: number, noteBytes = 0): Promise<FlowEvent[]> {
  const p = testPipeline({ bufferSize: 10, store, maxPayloadBytes: 16 * 1024 });
  const out: FlowEvent[] = [];
  for (let i = 0; i < count; i++) {
    const n = offset++;
    const body = {
      orderId: `${prefix}-${i}`,
      customer: `C-${(n * 7919) % 1000}`,
      total: (n * 31) % 977,
      lines: n % 5,
      ...(noteBytes > 0 ? { note: `${prefix}${i} `.repeat(noteBytes / 8).slice(0, noteBytes) } : {}),
    };
    out.push(
      await p.accept({
        channel: 'orders',
        partition: 0,
        offset: String(n),
        timestamp: 1_700_000_000_000 + n,
        headers: { 'message-id': `${prefix}m${i}`, 'event-type': 'order.placed' },
        value: JSON.stringify(body),
      }),
    );
  }
  return out;
}

/** The file as another connection sees it: each block's compressed bytes per event, and its dictionary. */
function blocksOf(store: EventStore) {
  store.flush();
  const db = openDatabase(store.options.dir, { readonly: true });
  try {
    const blocks = db
      .prepare(
        'SELECT b.n, b.dict, length(d.data) AS bytes FROM blocks b JOIN block_data d ON d.id = b.id ORDER BY b.id',
      )
      .all() as { n: number; dict: number | null; bytes: number }[];
    const dictionaries = db.prepare('SELECT id FROM dictionaries ORDER BY id').pluck().all() as number[];
    return { blocks, dictionaries };
  } finally {
    db.close();
  }
}

describe('blocks in pieces against a channel dictionary', () => {
  it("compresses a busy channel's later blocks against its own lines, smaller, and reads every event back", async () => {
    const store = open();
    const written = await placeOrders(store, 'A', 200);
    const { blocks, dictionaries } = blocksOf(store);
    // The first full block makes the channel's dictionary; the blocks after it use it.
    expect(dictionaries).toHaveLength(1);
    expect(blocks.map((b) => [b.n, b.dict])).toEqual([
      [64, null],
      [64, dictionaries[0]],
      [64, dictionaries[0]],
      [8, dictionaries[0]],
    ]);
    const [first, second] = blocks as [(typeof blocks)[number], (typeof blocks)[number]];
    expect(second.bytes).toBeLessThan(first.bytes * 0.8);
    await store.close();
    const again = EventStore.open(store.options);
    expect(again.recent(1000)).toEqual([...written].reverse());
    for (const i of [0, 63, 64, 100, 199]) expect(again.closure(`A-${i}`, 10)).toEqual([written[i]]);
    await again.close();
  });

  it("keeps no event's own ids or values in a dictionary, only field names and values many events share", async () => {
    const store = open();
    await placeOrders(store, 'P', 100);
    store.flush();
    const db = openDatabase(store.options.dir, { readonly: true });
    const dictionary = (db.prepare('SELECT data FROM dictionaries').pluck().get() as Buffer).toString();
    db.close();
    // A dictionary outlives the events it was made from (it goes with the last block using it).
    for (const own of ['P-63', 'Pm63', 'kafka/local/orders/', 'C-']) expect(dictionary).not.toContain(own);
    for (const shape of ['"orderId', '"customer', '"message-id"', '"event-type"', '"order.placed"'])
      expect(dictionary).toContain(shape);
    await store.close();
  });

  it('deletes a dictionary with the last block that used it, and never gives its id to a new one', async () => {
    for (const writer of ['inline', 'thread'] as const) {
      let store = open(writer);
      const before = await placeOrders(store, 'B', 150);
      store.flush();
      // Read through the dictionary: the reading connection keeps it.
      expect(store.closure('B-140', 10)).toEqual([before[140]]);
      const used = blocksOf(store).dictionaries;
      expect(used).toHaveLength(1);
      expect(await store.applyRetention(Date.now() + 10 * 3_600_000)).toBe(150);
      expect(blocksOf(store)).toEqual({ blocks: [], dictionaries: [] });
      // New lines on the same channel: a new dictionary, under a new id; the reader does not take
      // the one it kept for the old id.
      const after = await placeOrders(store, 'D', 150);
      expect(blocksOf(store).dictionaries).toEqual([(used[0] as number) + 1]);
      expect(store.closure('D-140', 10)).toEqual([after[140]]);
      expect(store.recent(1000)).toEqual([...after].reverse());
      // Nor after a reopen, when no dictionary is left (another process may be reading the file).
      expect(await store.applyRetention(Date.now() + 10 * 3_600_000)).toBe(150);
      await store.close();
      store = EventStore.open(store.options);
      await placeOrders(store, 'E', 100);
      expect(blocksOf(store).dictionaries).toEqual([(used[0] as number) + 2]);
      await store.close();
    }
  });

  it('inflates a piece again when the ring lookups inflate into has come round over it', async () => {
    const store = open();
    // About 18 MB of lines: more than twice round the 8 MB ring, about 30 events to a block.
    const written = await placeOrders(store, 'R', 2000, 8000);
    store.flush();
    const [first, second] = written as [FlowEvent, FlowEvent];
    expect(first.payload.truncated).toBe(false);
    expect(store.eventAt(first.id, first.seq)).toEqual(first);
    // Every event past the first piece (16 lines): the ring goes round.
    for (const [i, e] of written.entries()) {
      if (i < 16) continue;
      expect(store.eventAt(e.id, e.seq)).toEqual(e);
      // The first block stays cached (read again, from its parsed events) while the ring goes round.
      if (i % 10 === 0) expect(store.eventAt(first.id, first.seq)).toEqual(first);
    }
    // The second event is in the first piece too, not parsed yet: its bytes in the ring were
    // written over twice since the piece was inflated.
    expect(store.eventAt(second.id, second.seq)).toEqual(second);
    await store.close();
  });

  it('says a piece that cannot be inflated is damaged, and reads the other blocks on', async () => {
    const store = open();
    const written = await placeOrders(store, 'X', 200);
    store.flush();
    const db = openDatabase(store.options.dir);
    // The second block's compressed bytes reversed (its head left as it was).
    const id = db.prepare('SELECT id FROM blocks ORDER BY id LIMIT 1 OFFSET 1').pluck().get() as number;
    const data = db.prepare('SELECT data FROM block_data WHERE id = ?').pluck().get(id) as Buffer;
    db.prepare('UPDATE block_data SET data = ? WHERE id = ?').run(Buffer.from(data).reverse(), id);
    db.close();
    const [, , third] = written.slice(64) as [FlowEvent, FlowEvent, FlowEvent];
    expect(() => store.eventAt(third.id, third.seq)).toThrow(/could not be inflated .*the store file may be damaged/);
    for (const i of [0, 63, 128, 199]) {
      const e = written[i] as FlowEvent;
      expect(store.eventAt(e.id, e.seq)).toEqual(e);
    }
    await store.close();
  });
});
