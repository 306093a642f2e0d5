import { describe, expect, it } from 'vitest';
import { PartitionLag } from './lag.js';

const marks = (highs: Record<number, string>) =>
  new Map(Object.entries(highs).map(([p, high]) => [Number(p), { low: '0', high }]));

describe('Kafka partition lag', () => {
  it('is the high watermark minus the next offset to read, per partition of the topics read', () => {
    const lag = new PartitionLag();
    lag.marks('orders', marks({ 0: '1000', 1: '40' }));
    lag.marks('old', marks({ 0: '9' }));
    const positions = new Map([
      ['orders\u00001', '40'],
      ['orders\u00000', '600'],
      ['old\u00000', '0'],
    ]);
    expect(lag.reading(positions, ['orders'])).toEqual([
      { channel: 'orders', partition: 0, records: 400 },
      { channel: 'orders', partition: 1, records: 0 },
    ]);
  });

  it('takes the newer end of the log from each fetch and the last record read from it', () => {
    const lag = new PartitionLag();
    lag.marks('orders', marks({ 0: '100' }));
    lag.batch('orders', 0, '250', 1_700_000_000_000);
    lag.batch('orders', 0, '240', undefined);
    expect(lag.reading(new Map([['orders\u00000', '200']]), ['orders'])).toEqual([
      { channel: 'orders', partition: 0, records: 50, lastTimestamp: 1_700_000_000_000 },
    ]);
  });

  it('is never negative, and follows a log that starts over', () => {
    const lag = new PartitionLag();
    lag.marks('orders', marks({ 0: '100' }));
    expect(lag.reading(new Map([['orders\u00000', '120']]), ['orders'])[0]?.records).toBe(0);
    lag.marks('orders', marks({ 0: '10' }));
    expect(lag.reading(new Map([['orders\u00000', '4']]), ['orders'])[0]?.records).toBe(6);
  });

  it('is due at most once a second', () => {
    const lag = new PartitionLag();
    expect(lag.due(5000)).toBe(true);
    expect(lag.due(5500)).toBe(false);
    expect(lag.due(6000)).toBe(true);
  });
});
