/** Bump when the schema changes incompatibly; older files are refused with a clear message. */
export const SCHEMA_VERSION = 1;

export const schemaSql = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  id_hash INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_id ON events (id_hash);
-- Correlation values, message ids and causation ids (as 53-bit hashes: integer indexes are several
-- times faster to write than text ones): what a flow is rebuilt from. A hash collision only
-- loads an extra event, which the correlation engine then leaves out of the flow.
CREATE TABLE IF NOT EXISTS links (
  hash INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (hash, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_seq ON links (seq);
CREATE TABLE IF NOT EXISTS gaps (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  channel TEXT,
  reason TEXT NOT NULL,
  from_ms INTEGER,
  until_ms INTEGER,
  detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS annotations (
  target TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Columns added after schema 1 shipped: added in place when an older file is opened. */
export const addedColumns: readonly { table: string; column: string; type: string }[] = [
  { table: 'gaps', column: 'partition_no', type: 'INTEGER' },
  { table: 'gaps', column: 'from_offset', type: 'TEXT' },
  { table: 'gaps', column: 'until_offset', type: 'TEXT' },
];

/** cyrb53: a fast 53-bit string hash (fits SQLite INTEGER and a JS number exactly). */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
