import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import type { Annotation, EventOrigin, FlowEvent, Gap } from '@flowscope/shared';
import { logger } from '../log.js';
import { BlockWriter, type RetentionOptions } from './blockWriter.js';
import { LineBatchBuilder, linkValues } from './blocks.js';
import { BlockCache } from './blockCache.js';
import { Dictionaries, readBlock, type DecodedBlock } from './decodedBlock.js';
import { connect, Statements } from './connection.js';
import { describeOpenError, StoreOpenError } from './errors.js';
import { migrateFromSchema1 } from './migrate.js';
import {
  addedColumns,
  addedIndexesSql,
  BLOCK_ID_STRIDE,
  hash32,
  LINK_LEVELS,
  SCHEMA_VERSION,
  schemaSql,
} from './schema.js';
import { nextOffsets } from './resume.js';
import { SeqMarks } from './seqMarks.js';
import { WriterThread, type WriteFailure } from './writerThread.js';

export type { WriteFailure } from './writerThread.js';

export type StoreOptions = RetentionOptions & {
  readonly dir: string;
  /**
   * `thread`: blocks are compressed and written on a worker thread (the running server), reads
   * stay on this one. `inline` (default): written on this thread (offline export, benches).
   */
  readonly writer?: 'thread' | 'inline';
  /** Told when writing fails (disk full, directory made read-only) and when it works again. */
  readonly onWriteFailure?: (failure: WriteFailure | undefined) => void;
  /**
   * Events appended and not yet taken by the writer beyond which ingest waits for it (`backlogged`,
   * `writable`): memory stays bounded and ingest, then the sources, slow to the writer's pace.
   */
  readonly maxBacklog?: number;
};

/** The default `maxBacklog`: about a second of a fast stream. */
const MAX_BACKLOG = 20_000;
/** How often a waiting ingest looks whether the writer caught up. */
const BACKLOG_POLL_MS = 5;

/**
 * Events handed to the writer at the latest when this many are queued. Their lines are made as
 * they are appended (in ingest's slices); posting 1,000 lines of 1 KiB takes about 4 ms.
 */
const SEND_ROWS = 1000;
/** Decoded blocks kept for reads (paging and flow walks touch the same blocks again). */
const CACHED_BLOCKS = 64;

/** The link rows of the hashes in `v`, from every level. */
const LINK_ROWS_OF_V = LINK_LEVELS.map((level) => `SELECT hash, seg, mask FROM ${level} WHERE hash IN v`).join(
  ' UNION ALL ',
);

/** What picks a block and keys the cache of decoded ones (retention's rewrite changes first_seq and n). */
type BlockRef = { id: number; first_seq: number; n: number; raw_bytes: number };
type BlockRow = BlockRef & { last_seq: number };

const log = logger('store');

/**
 * Events on disk (SQLite, WAL) so history, flows and the map survive a restart: in compressed
 * blocks of one channel, found through small index rows (ADR 0021). `append` queues; the writer
 * (a worker thread in the server) compresses and writes; reads run here. `flush` makes everything
 * appended readable, so a query right after an event sees it.
 */
export class EventStore {
  /** Events queued for the inline writer. */
  private queue: FlowEvent[] = [];
  /** For each queued event, whether its payload hash is its value's (see `append`). */
  private valueHashed: (boolean | undefined)[] = [];
  /** Lines queued for the writer thread, made as events are appended. */
  private lines = new LineBatchBuilder();
  private readonly s: Statements;
  private readonly inline?: BlockWriter;
  private readonly thread?: WriterThread;
  private readonly cache = new BlockCache(CACHED_BLOCKS);
  private readonly dictionaries: Dictionaries;
  private failure: WriteFailure | undefined;
  /** The newest seq appended in this run (0 before the first). */
  private lastAppended = 0;
  private readonly seqs: SeqMarks;

  private constructor(
    statements: Statements,
    readonly options: StoreOptions,
  ) {
    this.s = statements;
    this.dictionaries = new Dictionaries(statements);
    this.seqs = new SeqMarks(statements);
    const retention = {
      retentionMs: options.retentionMs,
      maxBytes: options.maxBytes,
      ...(options.mergeLinkRows !== undefined ? { mergeLinkRows: options.mergeLinkRows } : {}),
      ...(options.linkFanOut !== undefined ? { linkFanOut: options.linkFanOut } : {}),
    };
    if (options.writer === 'thread') {
      this.thread = new WriterThread(options.dir, retention, {
        onFailure: (f) => this.failed(f),
        onRecovered: () => this.failed(undefined),
      });
    } else this.inline = new BlockWriter(statements, retention);
  }

  /** Opens (or creates) the store in `options.dir`; throws a StoreOpenError that says what to do. */
  static open(options: StoreOptions): EventStore {
    let db: Db | undefined;
    try {
      mkdirSync(options.dir, { recursive: true });
      db = connect(options.dir);
      // Kept by the store (ADR 0012): no statement is left to the garbage collector.
      const s = new Statements(db);
      const tables = s.value("SELECT name FROM sqlite_master WHERE type = 'table'").all() as string[];
      const version = tables.includes('meta')
        ? (s.value("SELECT value FROM meta WHERE key = 'schema'").get() as string | undefined)
        : undefined;
      if (version !== undefined && Number(version) > SCHEMA_VERSION) {
        throw new StoreOpenError(
          'newer-schema',
          `The data in ${options.dir} was written by a newer Flowscope (schema ${version}).`,
          'Upgrade Flowscope, or use another --data-dir.',
        );
      }
      const fromSchema1 = tables.includes('events');
      if (fromSchema1) {
        const events = s.value('SELECT count(*) FROM events').get() as number;
        log.info(
          { dir: options.dir, events },
          `moving ${events} events in ${options.dir} to compressed blocks (store schema ${SCHEMA_VERSION}); a large store takes a while, once`,
        );
      }
      const started = Date.now();
      const conn = db;
      // One transaction: a migration cut short leaves the schema-1 file as it was.
      const moved = conn.transaction(() => {
        if (fromSchema1) conn.exec('ALTER TABLE events RENAME TO events_v1; ALTER TABLE links RENAME TO links_v1;');
        conn.exec(schemaSql);
        for (const { table, column, type } of addedColumns) {
          const columns = s.value(`SELECT name FROM pragma_table_info('${table}')`).all() as string[];
          if (!columns.includes(column)) conn.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
        }
        conn.exec(addedIndexesSql);
        return fromSchema1 ? migrateFromSchema1(s, options) : undefined;
      })();
      if (moved !== undefined) {
        log.info(
          { dir: options.dir, events: moved, ms: Date.now() - started },
          `moved ${moved} events in ${options.dir} to compressed blocks (store schema ${SCHEMA_VERSION})`,
        );
      }
      const setMeta = s.get('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      setMeta.run('schema', String(SCHEMA_VERSION));
      // A write probe: a read-only file opens fine and fails only at the first insert.
      setMeta.run('opened', String(Date.now()));
      return new EventStore(s, options);
    } catch (err) {
      db?.close();
      throw describeOpenError(err, options.dir);
    }
  }

  /**
   * Queues an event. `valueHashed`: whether its payload's hash is the SHA-256 of its value's UTF-8
   * (normalize knows; then the store keeps no hash), or undefined to have it computed. `head`: its
   * line head, when a source thread made it (`lineHead`, by the same rule).
   */
  append(event: FlowEvent, valueHashed?: boolean, head?: string): void {
    this.lastAppended = event.seq;
    if (this.thread) this.lines.add(event, valueHashed, head);
    else {
      this.queue.push(event);
      this.valueHashed.push(valueHashed);
    }
    if (this.queued >= SEND_ROWS) this.send();
  }

  private get queued(): number {
    return this.thread ? this.lines.size : this.queue.length;
  }

  /**
   * Hands what is queued to the writer without waiting for it (the pipeline's 100 ms tick). Inline,
   * blocks are written when full or a second old; a flush writes the rest.
   */
  send(): void {
    if (this.queued === 0) return;
    if (this.thread) {
      const lines = this.lines;
      this.lines = new LineBatchBuilder();
      return this.thread.send(lines.batch());
    }
    const batch = this.queue;
    const valueHashed = this.valueHashed;
    this.queue = [];
    this.valueHashed = [];
    this.inline?.add(batch, valueHashed);
    this.inline?.maybeSeal();
  }

  /**
   * Whether ingest should wait for the writer before taking more (more than `maxBacklog` events
   * wait for the writer thread to take them). Never while writing fails: ingest then goes on in
   * memory.
   */
  get backlogged(): boolean {
    if (!this.thread || this.failure) return false;
    return this.queued + this.thread.backlog > (this.options.maxBacklog ?? MAX_BACKLOG);
  }

  /** Events appended and not yet taken by the writer thread (its backlog and what is queued here). */
  get backlog(): number {
    return this.queued + (this.thread?.backlog ?? 0);
  }

  /** Resolves once the writer is no longer backlogged; ingest awaits it between slices. */
  async writable(): Promise<void> {
    while (this.backlogged) {
      this.send();
      await new Promise((resolve) => setTimeout(resolve, BACKLOG_POLL_MS));
    }
  }

  /** Everything appended so far is written (or its write has failed and is reported) and readable. */
  flush(): void {
    this.send();
    if (this.thread) this.thread.flush();
    else this.inline?.seal();
  }

  /** Why writing fails now, if it does (reported through `onWriteFailure` as it happens). */
  get writeFailure(): WriteFailure | undefined {
    return this.failure;
  }

  lastSeq(): number {
    return (this.s.value('SELECT max(last_seq) FROM blocks').get() as number | null) ?? 0;
  }

  /** Each channel's partitions' next offsets for `source`, from what is stored (see nextOffsets). */
  nextOffsets(source: EventOrigin): Map<string, Map<number, string>> {
    return nextOffsets(this.s, source, (row) => this.block(row)?.all() ?? []);
  }

  /** Where seq numbering goes on (see SeqMarks). */
  seqHighWater(): number {
    return this.seqs.highWater(this.lastSeq());
  }

  /** The seqs a run that did not stop cleanly may not have written, told once (see SeqMarks). */
  takeUnwrittenSeqs(): { readonly after: number; readonly upTo: number } | undefined {
    return this.seqs.takeUnwritten(this.lastSeq());
  }

  /** Records on disk that seqs up to `upTo` may be given out, before they are (see SeqMarks). */
  reserveSeqs(upTo: number): boolean {
    return this.seqs.reserve(upTo);
  }

  /** Newest first, seq < beforeSeq when given. */
  recent(limit: number, beforeSeq = Number.MAX_SAFE_INTEGER): FlowEvent[] {
    return this.page(beforeSeq, limit);
  }

  /** Newest first below `beforeSeq`, within [since, until) by event time when given. */
  page(
    beforeSeq: number,
    limit: number,
    since = Number.MIN_SAFE_INTEGER,
    until = Number.MAX_SAFE_INTEGER,
  ): FlowEvent[] {
    // Blocks of different channels overlap in seq: take them by last seq, newest first, until no
    // further block can hold an event newer than the limit-th one found.
    const out: FlowEvent[] = [];
    let cursor = Number.MAX_SAFE_INTEGER;
    const rows = this.s.get(
      'SELECT id, first_seq, last_seq, n, raw_bytes FROM blocks WHERE last_seq < ? AND first_seq < ? AND max_ts >= ? AND min_ts < ? ORDER BY last_seq DESC LIMIT 16',
    );
    for (;;) {
      const batch = rows.all(cursor, beforeSeq, since, until) as BlockRow[];
      for (const row of batch) {
        if (out.length >= limit && row.last_seq < (out[limit - 1] as FlowEvent).seq) return out.slice(0, limit);
        for (const e of this.block(row)?.all() ?? [])
          if (e.seq < beforeSeq && e.timestamp >= since && e.timestamp < until) out.push(e);
        out.sort((a, b) => b.seq - a.seq);
        cursor = row.last_seq;
      }
      if (batch.length < 16) return out.slice(0, limit);
    }
  }

  /** The newest `limit` events, oldest first: what a restarted server replays into memory. */
  tail(limit: number): FlowEvent[] {
    return this.recent(limit).reverse();
  }

  get(id: string): FlowEvent | undefined {
    let first: FlowEvent | undefined;
    for (const row of this.blocksHolding(id))
      for (const e of this.block(row)?.holding(id) ?? []) if (e.id === id && (!first || e.seq < first.seq)) first = e;
    return first;
  }

  /** The stored event with this id and seq (an id stored twice, as a duplicate delivery, has two). */
  eventAt(id: string, seq: number): FlowEvent | undefined {
    for (const row of this.blocksHolding(id)) {
      if (seq < row.first_seq) continue;
      for (const e of this.block(row)?.holding(id) ?? []) if (e.seq === seq && e.id === id) return e;
    }
    return undefined;
  }

  /**
   * Every stored event connected to `value` through shared correlation values, message ids and
   * causation ids, up to `maxEvents`: the raw material of a flow, found through the index.
   */
  closure(value: string, maxEvents: number): FlowEvent[] {
    const found = new Map<number, FlowEvent>();
    const seenValues = new Set<string>([value]);
    // Breadth first: the values events found so far link to are looked up together, one
    // statement per step away from `value` (three or four for a flow), not one per value.
    let frontier = [value];
    while (frontier.length > 0 && found.size < maxEvents) {
      const next: string[] = [];
      for (const [row, values] of this.blocksHoldingAny(frontier)) {
        if (found.size >= maxEvents) break;
        const block = this.block(row);
        for (const v of values)
          for (const e of block?.holding(v) ?? []) {
            if (found.has(e.seq) || found.size >= maxEvents) continue;
            found.set(e.seq, e);
            for (const n of linkValues(e)) {
              if (!seenValues.has(n)) {
                seenValues.add(n);
                next.push(n);
              }
            }
          }
      }
      frontier = next;
    }
    return [...found.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Deletes events past retention, then the oldest while over the size cap. Resolves with how many went. */
  applyRetention(now: number): Promise<number> {
    this.send();
    if (this.thread) return this.thread.applyRetention(now);
    try {
      return Promise.resolve((this.inline as BlockWriter).applyRetention(now));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Records a place where continuity was lost; returns it with its id. */
  addGap(gap: Omit<Gap, 'id'>): Gap {
    const id = Number(
      this.s
        .get(
          'INSERT INTO gaps (at, source, channel, reason, from_ms, until_ms, detail, partition_no, from_offset, until_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
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
    const rows = this.s.get('SELECT * FROM gaps ORDER BY id DESC LIMIT ?').all(limit) as Row[];
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
    return (this.s.get('SELECT * FROM annotations ORDER BY target').all() as Row[]).map((r) => ({
      target: r.target,
      title: r.title,
      description: r.description,
      updatedAt: r.updated_at,
    }));
  }

  putAnnotation(a: Annotation): void {
    this.s
      .get('INSERT OR REPLACE INTO annotations (target, title, description, updated_at) VALUES (?, ?, ?, ?)')
      .run(a.target, a.title, a.description, a.updatedAt);
  }

  deleteAnnotation(target: string): boolean {
    return this.s.get('DELETE FROM annotations WHERE target = ?').run(target).changes > 0;
  }

  /** Event times of the oldest and newest stored events (broker time), if any is stored. */
  timeRange(): { oldest: number; newest: number } | undefined {
    const row = this.s.get('SELECT min(min_ts) AS oldest, max(max_ts) AS newest FROM blocks').get() as
      { oldest: number | null; newest: number | null } | undefined;
    return row && row.oldest !== null && row.newest !== null ? { oldest: row.oldest, newest: row.newest } : undefined;
  }

  /** Arrival time of the newest stored event, if any. */
  lastReceivedAt(): number | undefined {
    return (
      (this.s.value('SELECT max_received FROM blocks ORDER BY last_seq DESC LIMIT 1').get() as number | undefined) ??
      undefined
    );
  }

  /** Bytes in use (pages not on the free list). */
  sizeBytes(): number {
    return this.s.usedBytes();
  }

  count(): number {
    return this.s.value('SELECT coalesce(sum(n), 0) FROM blocks').get() as number;
  }

  /** Writes everything appended (the writer thread drains before it ends), then closes. */
  async close(): Promise<void> {
    this.send();
    if (this.thread) await this.thread.close();
    else this.inline?.seal();
    // Everything appended is written: the next run goes on right after the last seq given out.
    if (!this.failure) this.seqs.stoppedCleanly(Math.max(this.lastAppended, this.lastSeq()));
    this.s.db.close();
  }

  private failed(failure: WriteFailure | undefined) {
    this.failure = failure;
    this.options.onWriteFailure?.(failure);
  }

  /** Blocks whose link rows name this value's hash (a collision only adds a block to check). */
  private blocksHolding(value: string): BlockRef[] {
    return this.blocksHoldingAny([value]).map(([row]) => row);
  }

  /**
   * Blocks whose link rows name any of these values' hashes, each with the values it may hold: one
   * statement, the link rows (of every level) joined to the block rows their bits name.
   */
  private blocksHoldingAny(values: readonly string[]): [BlockRef, string[]][] {
    const byHash = new Map<number, string[]>();
    for (const v of values) {
      const h = hash32(v);
      const same = byHash.get(h);
      if (same) same.push(v);
      else byHash.set(h, [v]);
    }
    const rows = this.s
      .get(
        `WITH v (hash) AS (SELECT value FROM json_each(?))
         SELECT l.hash, b.id, b.first_seq, b.n, b.raw_bytes
         FROM (${LINK_ROWS_OF_V}) l
         JOIN blocks b ON b.id BETWEEN l.seg * ${BLOCK_ID_STRIDE} AND l.seg * ${BLOCK_ID_STRIDE} + ${BLOCK_ID_STRIDE - 1}
         WHERE (l.mask >> (b.id - l.seg * ${BLOCK_ID_STRIDE})) & 1`,
      )
      .all(JSON.stringify([...byHash.keys()])) as (BlockRef & { hash: number })[];
    const blocks = new Map<number, [BlockRef, string[]]>();
    for (const { hash, ...row } of rows) {
      const at = blocks.get(row.id);
      const matched = byHash.get(hash) ?? [];
      if (at) at[1].push(...matched);
      else blocks.set(row.id, [row, [...matched]]);
    }
    return [...blocks.values()];
  }

  /**
   * The block, decoded (or from the cache); undefined when retention deleted it after the query
   * that named it (the writer thread commits between two of this connection's statements).
   */
  private block(row: BlockRef): DecodedBlock | undefined {
    let block = this.cache.get(row.id, row.first_seq, row.n);
    if (block) return block;
    // Channel and source only for the blocks decoded: a lookup's rows are numbers (fewer strings
    // made per lookup, less for the collector).
    block = readBlock(this.s, this.dictionaries, row.id, row.raw_bytes);
    if (!block) return undefined;
    this.cache.set(row.id, row.first_seq, row.n, block);
    return block;
  }
}
