import { describe, expect, it } from 'vitest';
import { addLagReading, lagStatus, type LagHistory } from './sourceLag.js';
import type { LagReading } from './sources/contract.js';

const T0 = 1_700_000_000_000;

/** Readings one second apart, each `behind` records behind on one partition, last read `age` ms before. */
function history(totals: readonly number[], age = 30_000): LagHistory {
  let h: LagHistory | undefined;
  totals.forEach((records, i) => {
    const at = T0 + i * 1000;
    h = addLagReading(h, [{ channel: 'orders', partition: 0, records, lastTimestamp: at - age }], at);
  });
  if (!h) throw new Error('no readings');
  return h;
}

describe('lag of a source', () => {
  it('sums records over partitions and takes the oldest last read as seconds behind', () => {
    const reading: LagReading[] = [
      { channel: 'orders', partition: 0, records: 400, lastTimestamp: T0 - 8_000 },
      { channel: 'orders', partition: 1, records: 0, lastTimestamp: T0 - 60_000 },
      { channel: 'payments', partition: 0, records: 12_000, lastTimestamp: T0 - 2_500 },
    ];
    const lag = lagStatus('kafka:local', addLagReading(undefined, reading, T0), T0);
    expect(lag).toEqual({
      records: 12_400,
      seconds: 8,
      measuredAt: T0,
      channels: [
        { channel: 'orders', partition: 0, records: 400, seconds: 8 },
        { channel: 'orders', partition: 1, records: 0, seconds: 0 },
        { channel: 'payments', partition: 0, records: 12_000, seconds: 2.5 },
      ],
    });
  });

  it('ages the seconds to the time asked, and leaves them out where nothing was read yet', () => {
    const h = addLagReading(
      undefined,
      [
        { channel: 'orders', partition: 0, records: 5, lastTimestamp: T0 - 1000 },
        { channel: 'orders', partition: 1, records: 7 },
      ],
      T0,
    );
    const lag = lagStatus('kafka:local', h, T0 + 4000);
    expect(lag.seconds).toBe(5);
    expect(lag.channels[1]).toEqual({ channel: 'orders', partition: 1, records: 7 });
    expect(lagStatus('kafka:local', addLagReading(undefined, [{ channel: 's', records: 3 }], T0), T0).seconds).toBe(
      undefined,
    );
  });

  it('says it cannot keep up when far behind and further behind at three readings in a row', () => {
    const lag = lagStatus('kafka:local', history([1000, 2000, 3000]), T0 + 2000);
    expect(lag.notice).toMatch(/kafka:local is 3,000 records \(30 s\) behind/);
    expect(lag.notice).toMatch(/keeps reading in order and skips nothing/);
  });

  it('says nothing while catching up, when only a little behind, or before three readings', () => {
    expect(lagStatus('k', history([3000, 2000, 1000]), T0 + 2000).notice).toBeUndefined();
    expect(lagStatus('k', history([1000, 2000, 2000]), T0 + 2000).notice).toBeUndefined();
    expect(lagStatus('k', history([1000, 2000, 3000], 5_000), T0 + 2000).notice).toBeUndefined();
    expect(lagStatus('k', history([1000, 2000]), T0 + 1000).notice).toBeUndefined();
    expect(lagStatus('k', history([0, 0, 0, 1000, 2000, 3000]), T0 + 5000).notice).toBeDefined();
  });
});
