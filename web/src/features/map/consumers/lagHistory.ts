import type { Consumer } from '@flowscope/shared';

export type LagSummary = Readonly<{ current: number; min: number; max: number; readings: number; spanMs: number }>;

/** Now, lowest and highest lag over the history; null before the first reading. */
export function summarizeLag(history: Consumer['history']): LagSummary | null {
  const last = history.at(-1);
  const first = history[0];
  if (!last || !first) return null;
  let min = last.lag;
  let max = last.lag;
  for (const { lag } of history) {
    if (lag < min) min = lag;
    if (lag > max) max = lag;
  }
  return { current: last.lag, min, max, readings: history.length, spanMs: last.at - first.at };
}

/**
 * SVG polyline points for the lag history in a `width` × `height` box (y grows downward, so a
 * higher lag is drawn higher). Spaced by time; a flat history is drawn along the bottom when it
 * is zero and across the middle otherwise. Empty below two readings: one point is no line.
 */
export function sparklinePoints(history: Consumer['history'], width: number, height: number, pad = 2): string {
  const summary = summarizeLag(history);
  const first = history[0];
  if (!summary || !first || history.length < 2) return '';
  const { min, max, spanMs } = summary;
  const w = width - 2 * pad;
  const h = height - 2 * pad;
  const r = (n: number) => Math.round(n * 10) / 10;
  return history
    .map(({ at, lag }, i) => {
      const t = spanMs > 0 ? (at - first.at) / spanMs : i / (history.length - 1);
      const v = max > min ? (lag - min) / (max - min) : max > 0 ? 0.5 : 0;
      return `${r(pad + t * w)},${r(pad + (1 - v) * h)}`;
    })
    .join(' ');
}
