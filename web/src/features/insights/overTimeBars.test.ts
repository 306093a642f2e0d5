import { describe, expect, it } from 'vitest';
import { MAX_BARS, overTimeBars } from './overTimeBars';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 2, 1, 10, 0, 0);
const point = (i: number, p95Ms: number, samples = 5) => ({ minute: T0 + i * MINUTE, p95Ms, samples });

describe('p95 per minute as bars', () => {
  it('draws the newest minute at the right edge, heights relative to the highest p95', () => {
    const bars = overTimeBars([point(0, 50), point(1, 200), point(2, 0)], 120, 20);
    expect(bars).toHaveLength(3);
    const [a, b, c] = bars;
    expect(c?.x).toBeCloseTo(120 - 120 / MAX_BARS);
    expect(a?.x).toBeLessThan(b?.x ?? 0);
    expect(b?.height).toBe(20);
    expect(b?.y).toBe(0);
    expect(a?.height).toBe(5);
    // A minute at 0 ms still shows, as a line.
    expect(c?.height).toBe(1);
    expect(c?.atMs).toBe(T0 + 2 * MINUTE);
  });

  it('keeps only the newest minutes that fit, and nothing for no minutes', () => {
    const many = Array.from({ length: MAX_BARS + 10 }, (_, i) => point(i, i));
    const bars = overTimeBars(many, 90, 10);
    expect(bars).toHaveLength(MAX_BARS);
    expect(bars[0]?.atMs).toBe(T0 + 10 * MINUTE);
    expect(bars[0]?.x).toBeCloseTo(0);
    expect(overTimeBars([], 90, 10)).toEqual([]);
  });
});
