/**
 * Bump when the schema changes. An older file is migrated on open (`migrate.ts`); a newer one is
 * refused with a clear message.
 */
export const SCHEMA_VERSION = 6;

/**
 * Schema 6 is schema 5 with two more levels of link rows between `links_recent` and `links`
 * (`links_1`, `links_2`; see LINK_LEVELS): rows move down a level in bulk when a level is full,
 * so a merge no longer rewrites an index that grows with the store (ADR 0021 §17). A Flowscope of
 * schema 5 would not read them. A schema-5 file opens as it is: its rows are in the first and last
 * levels, the new ones start empty.
 *
 * Schema 5 stores a block as pieces of 16 lines, each compressed alone against its channel's
 * dictionary (`dictionaries`), behind a head in `block_data.head` that says where each piece ends
 * and holds the block's own index (ADR 0021 §15). Blocks of schemas 2 to 4 (`head` null) are read
 * as they are. A Flowscope of schema 4 would not read the pieces.
 *
 * Schema 4 is schema 3 with `links_recent`: new link rows go there, and are merged into `links` in
 * hash order once there are many (ADR 0021 §13). A Flowscope of schema 3 would not read them.
 *
 * Schema 3 is schema 2 whose blocks may end with their own index (ADR 0021 §10): the tables are
 * the same and schema-2 blocks are read as they are, but a Flowscope of schema 2 would take a
 * block's index for an event, so it is told this file is newer.
 *
 * Schema 2 (ADR 0021): events in compressed blocks (one channel, up to BLOCK_EVENTS events in seq
 * order), small index rows beside them. A "segment" is the blocks written together; a block's id
 * is `segment * 32 + index`, and `links` holds one row per value and segment with a bit per block.
 */
export const schemaSql = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- What a query needs to pick blocks, apart from the data (a scan of this table stays small).
CREATE TABLE IF NOT EXISTS blocks (
  id INTEGER PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  n INTEGER NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  min_received INTEGER NOT NULL,
  max_received INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  channel TEXT NOT NULL,
  source TEXT NOT NULL,
  dict INTEGER
);
CREATE INDEX IF NOT EXISTS blocks_last_seq ON blocks (last_seq);
CREATE TABLE IF NOT EXISTS block_data (id INTEGER PRIMARY KEY, data BLOB NOT NULL, head BLOB);
-- Deflate dictionaries, one per busy channel (the end of one of its full blocks); AUTOINCREMENT:
-- an id is never reused, so a reader's cache of them stays true.
CREATE TABLE IF NOT EXISTS dictionaries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  channel TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS dictionaries_channel ON dictionaries (source, channel);
-- Correlation values, message ids, span ids, causation ids and event ids, as 32-bit hashes (4
-- bytes on disk): a collision only decodes an extra block, whose events are then checked by value.
CREATE TABLE IF NOT EXISTS links (
  hash INTEGER NOT NULL,
  seg INTEGER NOT NULL,
  mask INTEGER NOT NULL,
  PRIMARY KEY (hash, seg)
) WITHOUT ROWID;
-- The newest link rows, small enough to stay in the page cache; merged into links_1 in bulk,
-- links_1 into links_2 and links_2 into links as each fills (LINK_LEVELS).
CREATE TABLE IF NOT EXISTS links_recent (
  hash INTEGER NOT NULL,
  seg INTEGER NOT NULL,
  mask INTEGER NOT NULL,
  PRIMARY KEY (hash, seg)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links_1 (
  hash INTEGER NOT NULL,
  seg INTEGER NOT NULL,
  mask INTEGER NOT NULL,
  PRIMARY KEY (hash, seg)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links_2 (
  hash INTEGER NOT NULL,
  seg INTEGER NOT NULL,
  mask INTEGER NOT NULL,
  PRIMARY KEY (hash, seg)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS gaps (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  channel TEXT,
  reason TEXT NOT NULL,
  from_ms INTEGER,
  until_ms INTEGER,
  detail TEXT NOT NULL,
  partition_no INTEGER,
  from_offset TEXT,
  until_offset TEXT
);
CREATE TABLE IF NOT EXISTS annotations (
  target TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Columns added after their table shipped: added in place when an older file is opened. */
export const addedColumns: readonly { table: string; column: string; type: string }[] = [
  { table: 'gaps', column: 'partition_no', type: 'INTEGER' },
  { table: 'gaps', column: 'from_offset', type: 'TEXT' },
  { table: 'gaps', column: 'until_offset', type: 'TEXT' },
  // Schema 5.
  { table: 'blocks', column: 'dict', type: 'INTEGER' },
  { table: 'block_data', column: 'head', type: 'BLOB' },
];

/** Indexes on added columns: made once the columns are there (after `addedColumns`). */
export const addedIndexesSql = `
-- Retention finds the dictionaries no block names any more without a scan of the blocks.
CREATE INDEX IF NOT EXISTS blocks_dict ON blocks (dict) WHERE dict IS NOT NULL;
`;

/**
 * The link index's levels, newest first (ADR 0021 §17). A seal writes its rows into the first; a
 * level that holds more than its bound is merged into the next in hash order and emptied, so a
 * merge rewrites a level at most a fan-out times the size of the one merged into it, never the
 * whole index. A segment's rows are in exactly one level. The last level has no bound.
 */
export const LINK_LEVELS = ['links_recent', 'links_1', 'links_2', 'links'] as const;

/** Blocks per segment: a segment's bit mask stays a 31-bit integer (4 bytes, JS bit operations). */
export const SEGMENT_BLOCKS = 31;
export const BLOCK_ID_STRIDE = 32;

/** cyrb53's first half: a fast 32-bit string hash, signed (SQLite stores it in 4 bytes). */
export function hash32(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  return h1 | 0;
}
