import type { LagReading } from '../contract.js';
import type { Watermarks } from './startPosition.js';

const tpKey = (topic: string, partition: number) => `${topic}\0${partition}`;

/**
 * The tap's own lag per partition: the high watermark (the end of the log, from each fetch and
 * each topic refresh) minus the next offset Flowscope will read. Pure bookkeeping, no requests.
 */
export class PartitionLag {
  /** `topic\0partition` → the highest high watermark seen. */
  private readonly highs = new Map<string, bigint>();
  /** `topic\0partition` → broker timestamp (ms) of the last record read. */
  private readonly lastRead = new Map<string, number>();
  private lastSent = -Infinity;

  /** Ends of the logs as the admin API read them at a topic refresh. */
  marks(topic: string, marks: Watermarks): void {
    // Set, not raised: a topic deleted and made again starts its log over.
    for (const [partition, { high }] of marks) this.highs.set(tpKey(topic, partition), BigInt(high));
  }

  /** A fetched batch: its partition's high watermark and the timestamp of the last record passed on. */
  batch(topic: string, partition: number, highWatermark: string, lastTimestamp: number | undefined): void {
    const tp = tpKey(topic, partition);
    this.high(tp, highWatermark);
    if (lastTimestamp !== undefined) this.lastRead.set(tp, lastTimestamp);
  }

  /** Whether a reading is due after a batch (at most one a second: batches can come by the hundred). */
  due(now: number, everyMs = 1000): boolean {
    if (now - this.lastSent < everyMs) return false;
    this.lastSent = now;
    return true;
  }

  /**
   * Every partition of `topics` that has a position (`positions`: `topic\0partition` → next
   * offset to read), in topic and partition order.
   */
  reading(positions: ReadonlyMap<string, string>, topics: readonly string[]): LagReading[] {
    const wanted = new Set(topics);
    const rows: LagReading[] = [];
    for (const [tp, next] of positions) {
      const [topic = '', p = '0'] = tp.split('\0');
      if (!wanted.has(topic)) continue;
      const high = this.highs.get(tp);
      const behind = high === undefined || high <= BigInt(next) ? 0n : high - BigInt(next);
      const last = this.lastRead.get(tp);
      rows.push({
        channel: topic,
        partition: Number(p),
        records: Number(behind),
        ...(last !== undefined ? { lastTimestamp: last } : {}),
      });
    }
    return rows.sort((a, b) => a.channel.localeCompare(b.channel) || (a.partition ?? 0) - (b.partition ?? 0));
  }

  private high(tp: string, value: string) {
    const v = BigInt(value);
    const prev = this.highs.get(tp);
    if (prev === undefined || v > prev) this.highs.set(tp, v);
  }
}
