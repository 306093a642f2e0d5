import type { KindWindow } from '@flowscope/shared';

type OverTimePoint = KindWindow['overTime'][number];

export type Bar = Readonly<{
  x: number;
  y: number;
  width: number;
  height: number;
  /** Start of the minute, epoch ms (as the server sends `minute`). */
  atMs: number;
  p95Ms: number;
  samples: number;
}>;

/** At most this many minutes are drawn: the newest. */
export const MAX_BARS = 30;
const GAP = 1;

/**
 * Bars for a kind's p95 per minute in a `width`×`height` box: one slot per minute of the newest
 * `MAX_BARS`, right-aligned so the newest minute is at the right edge; heights relative to the
 * highest p95 shown; a minute at 0 still shows as a 1-pixel bar.
 */
export function overTimeBars(points: readonly OverTimePoint[], width: number, height: number): Bar[] {
  const shown = points.slice(-MAX_BARS);
  if (shown.length === 0) return [];
  const max = Math.max(1, ...shown.map((p) => p.p95Ms));
  const slot = width / MAX_BARS;
  const start = width - slot * shown.length;
  return shown.map((p, i) => {
    const h = Math.max(1, Math.round((Math.max(0, p.p95Ms) / max) * height));
    return {
      x: start + i * slot,
      y: height - h,
      width: Math.max(1, slot - GAP),
      height: h,
      atMs: p.minute,
      p95Ms: p.p95Ms,
      samples: p.samples,
    };
  });
}
