import type { MessageKey, Payload } from '@flowscope/shared';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds: `14:03:07.042`. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `0.4/s`, `12/s`, `1.2k/s`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  if (perSecond >= 10) return `${Math.round(perSecond)}/s`;
  return `${perSecond.toFixed(1)}/s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `just now`, `12 s ago`, `3 min ago`, `2 h ago`, `in 5 s` (clock skew). */
export function formatRelative(ms: number, now: number): string {
  const diff = Math.round((now - ms) / 1000);
  const abs = Math.abs(diff);
  const span =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.floor(abs / 60)} min`
        : abs < 86400
          ? `${Math.floor(abs / 3600)} h`
          : `${Math.floor(abs / 86400)} d`;
  if (abs < 2) return 'just now';
  return diff >= 0 ? `${span} ago` : `in ${span}`;
}

const PREVIEW_CHARS = 240;

/** One line of text that stands for the payload in a list. */
export function payloadPreview(payload: Payload): string {
  switch (payload.encoding) {
    case 'empty':
      return '(empty)';
    case 'binary':
      return `binary · ${formatBytes(payload.size)}`;
    default: {
      const oneLine = payload.value
        .slice(0, PREVIEW_CHARS * 2)
        .replace(/\s+/g, ' ')
        .trim();
      return oneLine.length > PREVIEW_CHARS ? `${oneLine.slice(0, PREVIEW_CHARS)}…` : oneLine;
    }
  }
}

export function formatKey(key: MessageKey | undefined): string {
  if (!key) return '';
  return key.encoding === 'hex' ? `0x${key.value}` : key.value;
}

const trimZeros = (s: string) => s.replace(/\.?0+$/, '');

/** A span of time for people: `0 ms`, `85 ms`, `1.22 s`, `12.5 s`, `3 min 4 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10_000) return `${sign}${trimZeros((abs / 1000).toFixed(2))} s`;
  if (abs < 60_000) return `${sign}${trimZeros((abs / 1000).toFixed(1))} s`;
  const totalS = Math.round(abs / 1000);
  if (totalS < 3600) {
    const s = totalS % 60;
    return `${sign}${Math.floor(totalS / 60)} min${s ? ` ${s} s` : ''}`;
  }
  const totalMin = Math.round(abs / 60_000);
  const min = totalMin % 60;
  return `${sign}${Math.floor(totalMin / 60)} h${min ? ` ${min} min` : ''}`;
}

/** Time after a reference point: `+85 ms`, `+1.2 s`; negative (clock skew) as `−3 ms`. */
export function formatLatency(ms: number): string {
  return ms < 0 ? formatDuration(ms) : `+${formatDuration(ms)}`;
}
