import type { LagReading } from '../contract.js';
import type { StreamInfo } from './entries.js';

/** The ms part of a stream entry id (`1700000000000-3`). */
const idTime = (id: string) => Number(id.split('-')[0]) || undefined;

/**
 * The tap's own lag per stream: entries ever added (XINFO STREAM `entries-added`) minus those at
 * or before the last id read. Kept between XINFO readings by what each XREAD returns.
 */
export class StreamLag {
  /** Stream → entries ever added, as last known. */
  private readonly ends = new Map<string, number>();
  private lastSent = -Infinity;

  /** An XINFO STREAM reply. Servers before Redis 7 do not say `entries-added`: no lag for them. */
  info(stream: string, info: StreamInfo, known: number): void {
    if (info.entriesAdded === 0 && info.length > 0) return;
    this.ends.set(stream, Math.max(info.entriesAdded, known));
  }

  /** After an XREAD: a stream that returned less than a full page (or nothing) was read to its end. */
  read(stream: string, known: number, atEnd: boolean): void {
    const end = this.ends.get(stream);
    if (end !== undefined) this.ends.set(stream, atEnd ? known : Math.max(end, known));
  }

  /** Whether a reading is due after an XREAD (at most one a second). */
  due(now: number, everyMs = 1000): boolean {
    if (now - this.lastSent < everyMs) return false;
    this.lastSent = now;
    return true;
  }

  /** Each of `streams` with a known end; `known` counts the entries at or before `positions`' id. */
  reading(
    streams: readonly string[],
    positions: ReadonlyMap<string, string>,
    known: ReadonlyMap<string, number>,
  ): LagReading[] {
    return streams.flatMap((stream) => {
      const end = this.ends.get(stream);
      if (end === undefined) return [];
      const last = idTime(positions.get(stream) ?? '0-0');
      return [
        {
          channel: stream,
          records: Math.max(0, end - (known.get(stream) ?? 0)),
          ...(last !== undefined ? { lastTimestamp: last } : {}),
        },
      ];
    });
  }
}
