import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { NatsSource } from '../src/sources/nats/natsSource.js';
import { eventually, recordingSink } from './helpers.js';
import { natsApp, NATS_URL, unique } from './natsBroker.js';

const run = unique();
let app: Awaited<ReturnType<typeof natsApp>>;

beforeAll(async () => {
  app = await natsApp();
});
afterAll(async () => {
  await app.close();
});

describe("Flowscope's own lag on NATS", () => {
  it('counts the messages of a JetStream stream after the last one read, 0 once caught up', async () => {
    const stream = `FLOWSCOPE_LAG_${run}`;
    await app.stream(stream, [`lag-${run}.>`]);
    for (let i = 0; i < 300; i += 1) await app.js.publish(`lag-${run}.orders`, JSON.stringify({ orderId: `O-${i}` }));
    const { sink, records, lags } = recordingSink();
    const source = new NatsSource(
      {
        cluster: 'lag',
        url: NATS_URL,
        subjects: [],
        streams: [stream],
        from: { kind: 'earliest' },
        streamRefreshMs: 500,
      },
      rootLogger,
    );
    await source.start(sink);
    try {
      // The first reading follows the stream's placing, before its reader has fetched anything.
      const first = await eventually(() => lags[0], 20_000, 'a first lag reading');
      expect(first).toEqual([{ channel: stream, records: 300 }]);
      await eventually(() => (records.length >= 300 ? true : undefined), 20_000, 'every message');
      const last = await eventually(
        () => {
          const latest = lags.at(-1)?.[0];
          return latest?.records === 0 ? latest : undefined;
        },
        20_000,
        'a reading caught up',
      );
      expect(last.lastTimestamp).toBe(records.at(-1)?.timestamp);
    } finally {
      await source.stop();
    }
  });

  it('has no lag for core subjects, which have no end of log', async () => {
    const { sink, states, records, lags } = recordingSink();
    const source = new NatsSource(
      { cluster: 'core', url: NATS_URL, subjects: [`core-${run}.>`], streams: [], from: { kind: 'latest' } },
      rootLogger,
    );
    await source.start(sink);
    try {
      await eventually(() => (states.includes('connected') ? true : undefined), 20_000, 'connected');
      await app.nc.publish(`core-${run}.x`, 'hello');
      await app.nc.flush();
      await eventually(() => (records.length > 0 ? true : undefined), 20_000, 'the core message');
      expect(lags).toEqual([]);
    } finally {
      await source.stop();
    }
  });
});
