import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { join } from 'node:path';

/**
 * Opens the store's database file as it is (no settings): also what tests use to look at or
 * prepare a file. A better_sqlite3.node other than the installed one is loaded when
 * FLOWSCOPE_SQLITE_BINDING names it (CI loads a build for a second Node this way).
 */
export function openDatabase(dir: string, options: Database.Options = {}): Db {
  const nativeBinding = process.env.FLOWSCOPE_SQLITE_BINDING || undefined;
  return new Database(join(dir, 'flowscope.db'), { ...options, ...(nativeBinding ? { nativeBinding } : {}) });
}

/** A connection to the store's database file, with the settings every connection uses. */
export function connect(dir: string): Db {
  const db = openDatabase(dir);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // The writer thread and the main thread's few writes (gaps, annotations) take turns.
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -32768'); // 32 MiB: keeps the hot index pages in memory at millions of events
  db.pragma('wal_autocheckpoint = 10000'); // checkpoint every ~40 MiB, not after every batch
  return db;
}

/**
 * Statements prepared once and kept while the connection is open: cheaper per call, and none is
 * left to the garbage collector mid-run (better-sqlite3 12 built on Node >= 24.19 headers aborts
 * when one is collected; see ADR 0012).
 */
export class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Db) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) this.cache.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** A one-value query (`.pluck()` applied). */
  value(sql: string): Statement {
    const key = `pluck:${sql}`;
    let statement = this.cache.get(key);
    if (!statement) this.cache.set(key, (statement = this.db.prepare(sql).pluck()));
    return statement;
  }

  /** Bytes in use (pages not on the free list). */
  usedBytes(): number {
    const pageSize = this.value('PRAGMA page_size').get() as number;
    const pages = this.value('PRAGMA page_count').get() as number;
    const free = this.value('PRAGMA freelist_count').get() as number;
    return (pages - free) * pageSize;
  }
}
