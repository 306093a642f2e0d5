/** Bump when the schema changes incompatibly; older files are refused with a clear message. */
export const SCHEMA_VERSION = 1;

export const schemaSql = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_id ON events (id);
-- Correlation values, message ids and causation ids: what a flow is rebuilt from.
CREATE TABLE IF NOT EXISTS links (
  value TEXT NOT NULL,
  kind INTEGER NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS links_value ON links (value);
CREATE INDEX IF NOT EXISTS links_seq ON links (seq);
CREATE TABLE IF NOT EXISTS gaps (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  channel TEXT,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
);
`;

/** What a `links` row says about its event. */
export const LinkKind = { key: 0, messageId: 1, causedBy: 2 } as const;
