import { logger } from '../log.js';
import type { Statements } from './connection.js';

const log = logger('store');

/**
 * Seq numbers across runs, in the store's `meta` table. A run reserves seqs on disk before it gives
 * them out (`seq_reserved`), so a run killed before it wrote its newest events does not hand their
 * seqs out again, and retention emptying the store does not restart numbering at 1. `seq_clean` says
 * how the last run that reserved stopped: `0` while it runs, `1` once a clean close wrote every
 * event, `told` once a start has reported what an unclean stop may have lost.
 */
export class SeqMarks {
  /** Whether this run reserved seqs (only a run that ingests marks how it stopped). */
  private reserving = false;

  constructor(private readonly s: Statements) {}

  /** Where numbering goes on: after the newest stored seq, or the last reservation past it. */
  highWater(lastStored: number): number {
    return Math.max(lastStored, Number(this.get('seq_reserved') ?? 0));
  }

  /**
   * The seqs a run that did not stop cleanly gave out but may not have written (after the newest
   * stored one, up to its reservation), once: the next start does not report them again.
   * Undefined when the last run stopped cleanly, reserved nothing, or did not reserve at all (a
   * Flowscope from before reservations).
   */
  takeUnwritten(lastStored: number): { readonly after: number; readonly upTo: number } | undefined {
    if (this.get('seq_clean') !== '0') return undefined;
    const upTo = Number(this.get('seq_reserved') ?? 0);
    this.set('seq_clean', 'told');
    return upTo > lastStored ? { after: lastStored, upTo } : undefined;
  }

  /** Records that seqs up to `upTo` may be given out; false when the write failed (ingest goes on). */
  reserve(upTo: number): boolean {
    try {
      this.s.db.transaction(() => {
        this.set('seq_reserved', String(upTo));
        if (!this.reserving) this.set('seq_clean', '0');
      })();
      this.reserving = true;
      return true;
    } catch (err) {
      log.warn({ err }, 'could not reserve seq numbers in the store; they are reserved again shortly');
      return false;
    }
  }

  /** Every event appended was written: the next run goes on right after `lastSeq`. */
  stoppedCleanly(lastSeq: number): void {
    if (!this.reserving) return;
    try {
      this.s.db.transaction(() => {
        this.set('seq_reserved', String(lastSeq));
        this.set('seq_clean', '1');
      })();
    } catch (err) {
      log.warn({ err }, 'could not mark the store as stopped cleanly');
    }
  }

  private get(key: string): string | undefined {
    return this.s.value('SELECT value FROM meta WHERE key = ?').get(key) as string | undefined;
  }

  private set(key: string, value: string): void {
    this.s.get('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }
}
