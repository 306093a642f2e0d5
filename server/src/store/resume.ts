import type { EventOrigin, FlowEvent } from '@flowscope/shared';
import type { Statements } from './connection.js';

/** A block row, enough to decode it. */
type Row = { id: number; first_seq: number; last_seq: number; n: number; raw_bytes: number };

/** How many of a channel's newest blocks are read for its partitions' last offsets. */
const NEWEST_BLOCKS = 16;

/**
 * For each channel of `source`, each partition's next offset: one past the newest event stored
 * from it, found in the channel's newest blocks (a partition without an event there is left to the
 * source's start position). What a source resumes at so that a restart, clean or after `kill -9`,
 * reads what it had not stored yet, once.
 */
export function nextOffsets(
  s: Statements,
  source: EventOrigin,
  decode: (row: Row) => readonly FlowEvent[],
): Map<string, Map<number, string>> {
  const key = JSON.stringify({ broker: source.broker, cluster: source.cluster });
  const out = new Map<string, Map<number, string>>();
  const channels = s.value('SELECT DISTINCT channel FROM blocks WHERE source = ?').all(key) as string[];
  const newest = s.get(
    'SELECT id, first_seq, last_seq, n, raw_bytes FROM blocks WHERE source = ? AND channel = ? ORDER BY last_seq DESC LIMIT ?',
  );
  for (const channel of channels) {
    const last = new Map<number, bigint>();
    for (const row of newest.all(key, channel, NEWEST_BLOCKS) as Row[]) {
      for (const e of decode(row)) {
        if (e.partition === undefined || e.offset === undefined) continue;
        const offset = BigInt(e.offset);
        if (offset > (last.get(e.partition) ?? -1n)) last.set(e.partition, offset);
      }
    }
    if (last.size > 0) out.set(channel, new Map([...last].map(([p, o]) => [p, String(o + 1n)])));
  }
  return out;
}
