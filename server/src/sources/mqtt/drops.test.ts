import { describe, expect, it } from 'vitest';
import { DropWatch } from './drops.js';

const count = (n: number | string) => Buffer.from(String(n));

describe("the broker's count of dropped publishes", () => {
  it('is a gap from the reading before to this one when it grows, with how many were dropped', () => {
    const watch = new DropWatch('127.0.0.1:1883', ['orders/#']);
    expect(watch.reading(count(100_639), 1_000)).toBeUndefined(); // the baseline
    expect(watch.reading(count(100_639), 11_000)).toBeUndefined();
    const gap = watch.reading(count(101_889), 21_000);
    expect(gap).toMatchObject({ reason: 'slow-client', from: 11_000, until: 21_000 });
    expect(gap?.detail).toContain('dropped 1,250 messages');
    expect(gap?.detail).toContain('orders/#');
  });

  it('starts again after a reset (a new connection) or a broker restart, and ignores what is not a count', () => {
    const watch = new DropWatch('b:1883', ['#']);
    watch.reading(count(50), 0);
    watch.reset();
    expect(watch.reading(count(80), 10)).toBeUndefined(); // a new baseline, not 30 dropped
    expect(watch.reading(count(3), 20)).toBeUndefined(); // the broker restarted: its count began anew
    expect(watch.reading(count('n/a'), 30)).toBeUndefined();
    expect(watch.reading(count(4), 40)?.detail).toContain('dropped 1 message ');
  });
});
