import type { FlowEvent } from '@flowscope/shared';
import { BlockWriter, type RetentionOptions } from './blockWriter.js';
import type { Statements } from './connection.js';

const CHUNK = 10_000;

/**
 * Schema 1 kept one row per event (`events_v1` here, renamed by the caller) and one link row per
 * value and event (`links_v1`). Every event moves into blocks, in seq order, in the caller's
 * transaction: a crash midway leaves the schema-1 file as it was. Returns how many moved.
 */
export function migrateFromSchema1(s: Statements, retention: RetentionOptions): number {
  const writer = new BlockWriter(s, retention);
  const read = s.get('SELECT seq, body FROM events_v1 WHERE seq > ? ORDER BY seq LIMIT ?');
  let after = 0;
  let moved = 0;
  for (;;) {
    const rows = read.all(after, CHUNK) as { seq: number; body: string }[];
    if (rows.length === 0) break;
    // The row's seq is the event's (schema 1 wrote both from the same value).
    writer.add(rows.map((r) => ({ ...(JSON.parse(r.body) as FlowEvent), seq: r.seq }) as FlowEvent));
    after = (rows[rows.length - 1] as { seq: number }).seq;
    moved += rows.length;
    if (writer.pending >= 5 * CHUNK) writer.seal();
  }
  writer.seal();
  s.db.exec('DROP TABLE events_v1; DROP TABLE links_v1;');
  return moved;
}
