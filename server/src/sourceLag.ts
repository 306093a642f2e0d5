import type { ChannelLag, SourceLag } from '@flowscope/shared';
import type { LagReading } from './sources/contract.js';

/** Seconds behind past which a tap that falls further behind at every reading says it cannot keep up. */
const BEHIND_SECONDS = 10;
/** How many readings in a row must each be further behind than the one before. */
const RISING_READINGS = 3;

/** A source's last lag reading and the totals of the few before it (for the trend). */
export type LagHistory = {
  readonly reading: readonly LagReading[];
  readonly at: number;
  /** Records behind at each recent reading, oldest first; at most `RISING_READINGS`. */
  readonly totals: readonly number[];
};

/** Adds a reading taken at `at` to the history. */
export function addLagReading(prev: LagHistory | undefined, reading: readonly LagReading[], at: number): LagHistory {
  const total = reading.reduce((sum, r) => sum + r.records, 0);
  return { reading, at, totals: [...(prev?.totals ?? []), total].slice(-RISING_READINGS) };
}

/** Seconds from the last record read to `now`, to a tenth; 0 when caught up. */
function secondsBehind(r: LagReading, now: number): number | undefined {
  if (r.records === 0) return 0;
  if (r.lastTimestamp === undefined) return undefined;
  return Math.max(0, Math.round((now - r.lastTimestamp) / 100) / 10);
}

/**
 * The lag a status shows at `now`: records as last counted, seconds aged to `now` (a tap that
 * stopped reading grows older by the second, not only at its next reading).
 */
export function lagStatus(sourceId: string, history: LagHistory, now: number): SourceLag {
  const channels: ChannelLag[] = history.reading.map((r) => {
    const seconds = secondsBehind(r, now);
    return {
      channel: r.channel,
      ...(r.partition !== undefined ? { partition: r.partition } : {}),
      records: r.records,
      ...(seconds !== undefined ? { seconds } : {}),
    };
  });
  const records = channels.reduce((sum, c) => sum + c.records, 0);
  const known = channels.flatMap((c) => (c.seconds !== undefined ? [c.seconds] : []));
  const seconds = known.length > 0 ? Math.max(...known) : undefined;
  const notice = fallingBehind(history, seconds)
    ? `${sourceId} is ${records.toLocaleString('en-US')} records (${Math.round(seconds ?? 0)} s) behind the end of its log and further behind at each reading: Flowscope cannot keep up with this traffic. It keeps reading in order and skips nothing; it catches up when the traffic slows.`
    : undefined;
  return {
    records,
    ...(seconds !== undefined ? { seconds } : {}),
    channels,
    measuredAt: history.at,
    ...(notice ? { notice } : {}),
  };
}

/** Far behind, and more records behind at each of the last readings than at the one before. */
function fallingBehind(history: LagHistory, seconds: number | undefined): boolean {
  const t = history.totals;
  if (seconds === undefined || seconds <= BEHIND_SECONDS || t.length < RISING_READINGS) return false;
  return t.every((total, i) => i === 0 || total > (t[i - 1] ?? Infinity));
}
