import { describe, expect, it } from 'vitest';
import { consumerAt, type Consumer } from './consumer.js';

const group = (channels: string[]): Consumer => ({
  source: 'kafka:prod',
  broker: 'kafka',
  cluster: 'prod',
  kind: 'consumer-group',
  id: 'billing',
  service: 'billing',
  state: 'Stable',
  members: [],
  channels: channels.map((channel) => ({ channel, lag: 5, rate: 12 })),
  lag: 5 * channels.length,
  history: [
    { at: 1_000, lag: 0 },
    { at: 11_000, lag: 40 },
    { at: 21_000, lag: 7 },
  ],
  updatedAt: 21_000,
});

describe('consumerAt', () => {
  it('is the consumer as its last reading before the moment had it', () => {
    const then = consumerAt(group(['orders']), 15_000);
    expect(then).toMatchObject({ lag: 40, updatedAt: 11_000, channels: [{ channel: 'orders', lag: 40 }] });
    expect(then?.history).toEqual([
      { at: 1_000, lag: 0 },
      { at: 11_000, lag: 40 },
    ]);
  });

  it('does not share a total out over several channels, and knows nothing before its first reading', () => {
    expect(consumerAt(group(['orders', 'payments']), 25_000)?.channels.map((c) => c.lag)).toEqual([null, null]);
    expect(consumerAt(group(['orders']), 500)).toBeUndefined();
  });
});
