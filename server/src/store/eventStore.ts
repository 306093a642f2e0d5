import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { causeRefs, type Annotation, type FlowEvent, type Gap } from '@flowscope/shared';
import { describeOpenError, StoreOpenError } from './errors.js';
import { addedColumns, hash53, SCHEMA_VERSION, schemaSql } from './schema.js';

export type StoreOptions = {
  readonly dir: string;
  /** Events older than this (by arrival) are deleted. */
  readonly retentionMs: number;
  /** The database is kept under this many bytes by deleting the oldest events. */
  readonly maxBytes: number;
};

const FLUSH_ROWS = 5000;

/**
 * Events on disk (SQLite, WAL) so history, flows and the map survive a restart. Writes are
 * queued by `append` and written in one transaction per flush, off the live path. Rows keep the
 * pipeline's seq; every correlation value, message id and causation id is indexed in `links`,
 * from which any flow can be rebuilt.
 */
export class EventStore {
  private queue: FlowEvent[] = [];
  private readonly insertEvent: Statement;
  private readonly insertLink: Statement;
  private readonly seqsByLink: Statement;
  private readonly bodyBySeq: Statement;
  private readonly writeBatch: (events: FlowEvent[]) => void;
  /**
   * Every statement is prepared once and kept while the store is open: cheaper per request, and
   * no statement is left to the garbage collector mid-run (better-sqlite3 12 built on Node ≥ 24.19
   * headers aborts when one is collected; see ADR 0012).
   */
  private readonly statements = new Map<string, Statement>();

  private constructor(
    private readonly db: Db,
    readonly options: StoreOptions,
  ) {
    this.insertEvent = db.prepare(
      'INSERT OR REPLACE INTO events (seq, id, id_hash, ts, received_at, bytes, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertLink = db.prepare('INSERT OR IGNORE INTO links (hash, seq) VALUES (?, ?)');
    // Prepared once: flow lookups from history run these many times per request.
    this.seqsByLink = db.prepare('SELECT seq FROM links WHERE hash = ?').pluck();
    this.bodyBySeq = db.prepare('SELECT body FROM events WHERE seq = ?').pluck();
    this.writeBatch = db.transaction((events: FlowEvent[]) => {
      for (const e of events) {
        const body = JSON.stringify(e);
        this.insertEvent.run(e.seq, e.id, hash53(e.id), e.timestamp, e.receivedAt, body.length, body);
        for (const value of linkValues(e)) this.insertLink.run(hash53(value), e.seq);
      }
    });
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** Opens (or creates) the store in `options.dir`; throws a StoreOpenError that says what to do. */
  static open(options: StoreOptions): EventStore {
    let db: Db | undefined;
    try {
      mkdirSync(options.dir, { recursive: true });
      // A better_sqlite3.node other than the installed one: CI loads a build for a second Node this way.
      const nativeBinding = process.env.FLOWSCOPE_SQLITE_BINDING || undefined;
      db = new Database(join(options.dir, 'flowscope.db'), nativeBinding ? { nativeBinding } : {});
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -65536'); // 64 MiB: keeps the hot index pages in memory at millions of rows
      db.pragma('wal_autocheckpoint = 10000'); // checkpoint every ~40 MiB, not after every batch
      db.exec(schemaSql);
      for (const { table, column, type } of addedColumns) {
        const columns = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
        if (!columns.includes(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
      }
      const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as string | undefined;
      if (version === undefined)
        db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      else if (Number(version) > SCHEMA_VERSION) {
        throw new StoreOpenError(
          'newer-schema',
          `The data in ${options.dir} was written by a newer Flowscope (schema ${version}).`,
          'Upgrade Flowscope, or use another --data-dir.',
        );
      }
      // A write probe: a read-only file opens fine and fails only at the first insert.
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('opened', ?)").run(String(Date.now()));
      return new EventStore(db, options);
    } catch (err) {
      db?.close();
      throw describeOpenError(err, options.dir);
    }
  }

  append(event: FlowEvent): void {
    this.queue.push(event);
    if (this.queue.length >= FLUSH_ROWS) this.flush();
  }

  /** Writes everything queued in one transaction. */
  flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writeBatch(batch);
  }

  get pending(): number {
    return this.queue.length;
  }

  lastSeq(): number {
    return (this.stmt('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
  }

  /** Newest first, seq < beforeSeq when given. */
  recent(limit: number, beforeSeq = Number.MAX_SAFE_INTEGER): FlowEvent[] {
    return this.parse(
      this.stmt('SELECT body FROM events WHERE seq < ? ORDER BY seq DESC LIMIT ?').pluck().all(beforeSeq, limit),
    );
  }

  /** Newest first below `beforeSeq`, within [since, until) by event time when given. */
  page(
    beforeSeq: number,
    limit: number,
    since = Number.MIN_SAFE_INTEGER,
    until = Number.MAX_SAFE_INTEGER,
  ): FlowEvent[] {
    return this.parse(
      this.stmt('SELECT body FROM events WHERE seq < ? AND ts >= ? AND ts < ? ORDER BY seq DESC LIMIT ?')
        .pluck()
        .all(beforeSeq, since, until, limit),
    );
  }

  /** The newest `limit` events, oldest first: what a restarted server replays into memory. */
  tail(limit: number): FlowEvent[] {
    return this.recent(limit).reverse();
  }

  get(id: string): FlowEvent | undefined {
    const body = this.stmt('SELECT body FROM events WHERE id_hash = ? AND id = ? ORDER BY seq LIMIT 1')
      .pluck()
      .get(hash53(id), id) as string | undefined;
    return body ? (JSON.parse(body) as FlowEvent) : undefined;
  }

  /**
   * Every stored event connected to `value` through shared correlation values, message ids and
   * causation ids, up to `maxEvents`: the raw material of a flow, found through the index.
   */
  closure(value: string, maxEvents: number): FlowEvent[] {
    const found = new Map<number, FlowEvent>();
    const seenValues = new Set<string>([value]);
    const frontier = [value];
    while (frontier.length > 0 && found.size < maxEvents) {
      const v = frontier.pop() as string;
      for (const seq of this.seqsByLink.all(hash53(v)) as number[]) {
        if (found.has(seq) || found.size >= maxEvents) continue;
        const body = this.bodyBySeq.get(seq) as string | undefined;
        if (!body) continue;
        const e = JSON.parse(body) as FlowEvent;
        found.set(seq, e);
        for (const n of linkValues(e)) {
          if (!seenValues.has(n)) {
            seenValues.add(n);
            frontier.push(n);
          }
        }
      }
    }
    return [...found.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Deletes events past retention, then the oldest while over the size cap. Returns how many went. */
  applyRetention(now: number): number {
    this.flush();
    let deleted = 0;
    const cutoff = now - this.options.retentionMs;
    const firstKept = this.stmt('SELECT seq FROM events WHERE received_at >= ? ORDER BY seq LIMIT 1').pluck();
    const keepFrom = (firstKept.get(cutoff) as number | undefined) ?? this.lastSeq() + 1;
    deleted += this.deleteBefore(keepFrom);
    while (this.sizeBytes() > this.options.maxBytes) {
      const count = (this.stmt('SELECT count(*) FROM events').pluck().get() as number) ?? 0;
      if (count === 0) break;
      const cut = this.stmt('SELECT seq FROM events ORDER BY seq LIMIT 1 OFFSET ?')
        .pluck()
        .get(Math.max(1, Math.floor(count / 20))) as number | undefined;
      const n = this.deleteBefore(cut ?? this.lastSeq() + 1);
      deleted += n;
      if (n === 0) break;
    }
    return deleted;
  }

  private deleteBefore(seq: number): number {
    const tx = this.db.transaction(() => {
      this.stmt('DELETE FROM links WHERE seq < ?').run(seq);
      return this.stmt('DELETE FROM events WHERE seq < ?').run(seq).changes;
    });
    return tx();
  }

  /** Records a place where continuity was lost; returns it with its id. */
  addGap(gap: Omit<Gap, 'id'>): Gap {
    const id = Number(
      this.stmt(
        'INSERT INTO gaps (at, source, channel, reason, from_ms, until_ms, detail, partition_no, from_offset, until_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        gap.at,
        gap.source,
        gap.channel ?? null,
        gap.reason,
        gap.from ?? null,
        gap.until ?? null,
        gap.detail,
        gap.partition ?? null,
        gap.fromOffset ?? null,
        gap.untilOffset ?? null,
      ).lastInsertRowid,
    );
    return { id, ...gap };
  }

  /** Newest first. */
  gaps(limit: number): Gap[] {
    type Row = {
      id: number;
      at: number;
      source: string;
      channel: string | null;
      reason: Gap['reason'];
      from_ms: number | null;
      until_ms: number | null;
      detail: string;
      partition_no: number | null;
      from_offset: string | null;
      until_offset: string | null;
    };
    const rows = this.stmt('SELECT * FROM gaps ORDER BY id DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      source: r.source,
      reason: r.reason,
      detail: r.detail,
      ...(r.channel !== null ? { channel: r.channel } : {}),
      ...(r.from_ms !== null ? { from: r.from_ms } : {}),
      ...(r.until_ms !== null ? { until: r.until_ms } : {}),
      ...(r.partition_no !== null ? { partition: r.partition_no } : {}),
      ...(r.from_offset !== null ? { fromOffset: r.from_offset } : {}),
      ...(r.until_offset !== null ? { untilOffset: r.until_offset } : {}),
    }));
  }

  annotations(): Annotation[] {
    type Row = { target: string; title: string; description: string; updated_at: number };
    return (this.stmt('SELECT * FROM annotations ORDER BY target').all() as Row[]).map((r) => ({
      target: r.target,
      title: r.title,
      description: r.description,
      updatedAt: r.updated_at,
    }));
  }

  putAnnotation(a: Annotation): void {
    this.stmt('INSERT OR REPLACE INTO annotations (target, title, description, updated_at) VALUES (?, ?, ?, ?)').run(
      a.target,
      a.title,
      a.description,
      a.updatedAt,
    );
  }

  deleteAnnotation(target: string): boolean {
    return this.stmt('DELETE FROM annotations WHERE target = ?').run(target).changes > 0;
  }

  /** Arrival time of the newest stored event, if any. */
  lastReceivedAt(): number | undefined {
    return (
      (this.stmt('SELECT received_at FROM events ORDER BY seq DESC LIMIT 1').pluck().get() as number | undefined) ??
      undefined
    );
  }

  /** Bytes in use (pages not on the free list). */
  sizeBytes(): number {
    const pageSize = this.stmt('PRAGMA page_size').pluck().get() as number;
    const pages = this.stmt('PRAGMA page_count').pluck().get() as number;
    const free = this.stmt('PRAGMA freelist_count').pluck().get() as number;
    return (pages - free) * pageSize;
  }

  count(): number {
    return this.stmt('SELECT count(*) FROM events').pluck().get() as number;
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private parse(rows: unknown[]): FlowEvent[] {
    return (rows as string[]).map((b) => JSON.parse(b) as FlowEvent);
  }
}

/** The values another event can be connected to this one by: its ids, its cause, its key values. */
function linkValues(e: FlowEvent): Set<string> {
  // Every id a cause can be named by (span ids too), so a rebuilt flow has the live flow's links.
  const values = new Set<string>(causeRefs(e));
  if (e.correlation.causationId) values.add(e.correlation.causationId);
  for (const k of e.correlation.keys) values.add(k.value);
  return values;
}
