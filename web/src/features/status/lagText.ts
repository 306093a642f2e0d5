import type { SourceLag } from '@flowscope/shared';
import { formatCount, formatDuration } from '../../lib/format';

/** Whole seconds as `8 s`, `3 min 20 s`, `2 h`. */
const behindFor = (seconds: number) => (Math.round(seconds) === 0 ? '0 s' : formatDuration(Math.round(seconds) * 1000));

/** For the status bar: `12,400 behind · 8 s`; undefined when caught up or without a log end. */
export function lagShort(lag: SourceLag | undefined): string | undefined {
  if (!lag || lag.records === 0) return undefined;
  const seconds = lag.seconds === undefined ? '' : ` · ${behindFor(lag.seconds)}`;
  return `${formatCount(lag.records)} behind${seconds}`;
}

/** For the source's panel: `12,400 records (8 s) behind the end of the log`, or `caught up`. */
export function lagLong(lag: SourceLag): string {
  if (lag.records === 0) return 'caught up with the end of the log';
  const seconds = lag.seconds === undefined ? '' : ` (${behindFor(lag.seconds)})`;
  return `${formatCount(lag.records)} record${lag.records === 1 ? '' : 's'}${seconds} behind the end of the log`;
}

/** One partition's or stream's seconds behind, for a table cell. */
export function lagSeconds(seconds: number | undefined): string {
  return seconds === undefined ? 'nothing read yet' : behindFor(seconds);
}
