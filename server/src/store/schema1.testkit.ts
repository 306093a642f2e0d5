import { openDatabase } from './connection.js';
import type { Annotation, FlowEvent, Gap } from '@flowscope/shared';

/** The SQL schema 1 shipped with (before ADR 0021), to build data directories of that version. */
const schema1Sql = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  id_hash INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_id ON events (id_hash);
CREATE TABLE links (hash INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (hash, seq)) WITHOUT ROWID;
CREATE INDEX links_seq ON links (seq);
CREATE TABLE gaps (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, source TEXT NOT NULL, channel TEXT, reason TEXT NOT NULL,
  from_ms INTEGER, until_ms INTEGER, detail TEXT NOT NULL
);
CREATE TABLE annotations (
  target TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, updated_at INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('schema', '1');
`;

/** Writes a data directory as Flowscope with store schema 1 left it. */
export function writeSchema1(
  dir: string,
  content: { events: readonly FlowEvent[]; gaps: readonly Omit<Gap, 'id'>[]; annotations: readonly Annotation[] },
): void {
  const db = openDatabase(dir);
  db.pragma('journal_mode = WAL');
  db.exec(schema1Sql);
  const event = db.prepare(
    'INSERT INTO events (seq, id, id_hash, ts, received_at, bytes, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const link = db.prepare('INSERT OR IGNORE INTO links (hash, seq) VALUES (?, ?)');
  const gap = db.prepare(
    'INSERT INTO gaps (at, source, channel, reason, from_ms, until_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const note = db.prepare('INSERT INTO annotations (target, title, description, updated_at) VALUES (?, ?, ?, ?)');
  for (const e of content.events) {
    const body = JSON.stringify(e);
    event.run(e.seq, e.id, e.seq, e.timestamp, e.receivedAt, body.length, body);
    for (const k of e.correlation.keys) link.run(k.value.length, e.seq);
  }
  for (const g of content.gaps)
    gap.run(g.at, g.source, g.channel ?? null, g.reason, g.from ?? null, g.until ?? null, g.detail);
  for (const a of content.annotations) note.run(a.target, a.title, a.description, a.updatedAt);
  db.close();
}
