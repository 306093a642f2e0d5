import { describe, expect, it } from 'vitest';
import type { StreamInfo } from './entries.js';
import { StreamLag } from './lag.js';

const info = (entriesAdded: number, length = entriesAdded): StreamInfo => ({ entriesAdded, length, lastId: '0-0' });

describe('Redis stream lag', () => {
  it('is entries ever added minus those at or before the last id read, with that id as the time read', () => {
    const lag = new StreamLag();
    lag.info('orders', info(500), 0);
    lag.info('payments', info(20), 20);
    const positions = new Map([
      ['orders', '0-0'],
      ['payments', '1700000000000-4'],
    ]);
    const known = new Map([
      ['orders', 0],
      ['payments', 20],
    ]);
    expect(lag.reading(['orders', 'payments'], positions, known)).toEqual([
      { channel: 'orders', records: 500 },
      { channel: 'payments', records: 0, lastTimestamp: 1_700_000_000_000 },
    ]);
  });

  it('follows XREAD between XINFO readings: a short page reaches the end, a full one may not', () => {
    const lag = new StreamLag();
    lag.info('orders', info(3000), 0);
    lag.read('orders', 1000, false);
    expect(lag.reading(['orders'], new Map(), new Map([['orders', 1000]]))[0]?.records).toBe(2000);
    lag.read('orders', 3500, true);
    expect(lag.reading(['orders'], new Map(), new Map([['orders', 3500]]))[0]?.records).toBe(0);
  });

  it('has no lag for a stream whose server does not count entries added (before Redis 7), or not yet read', () => {
    const lag = new StreamLag();
    lag.info('old', info(0, 12), 0);
    lag.read('unseen', 5, true);
    expect(lag.reading(['old', 'unseen'], new Map(), new Map())).toEqual([]);
    lag.info('empty', info(0, 0), 0);
    expect(lag.reading(['empty'], new Map(), new Map())).toEqual([{ channel: 'empty', records: 0 }]);
  });
});
