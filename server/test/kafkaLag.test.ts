import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { KafkaSource } from '../src/sources/kafka/kafkaSource.js';
import { kafkaStart } from '../src/sources/kafka/startPosition.js';
import { eventually, recordingSink, sourceStatus, startFlowscope } from './helpers.js';

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'lag-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const run = randomBytes(3).toString('hex');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

/** A topic of three partitions holding `count` records spread evenly over them. */
async function backlog(topic: string, count: number) {
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({
      value: JSON.stringify({ orderId: `O-${i}` }),
      partition: i % 3,
    })),
  });
  await producer.disconnect();
}

const total = (reading: readonly { records: number }[]) => reading.reduce((sum, r) => sum + r.records, 0);

describe("Flowscope's own lag on Kafka", () => {
  it('counts the whole backlog per partition before reading from earliest, and 0 once caught up', async () => {
    const topic = `lag-src-${run}`;
    await backlog(topic, 300);
    const { sink, records, lags } = recordingSink();
    const source = new KafkaSource(
      { cluster: 'lag', brokers: [brokers], topics: [topic], from: kafkaStart.parse('earliest'), topicRefreshMs: 500 },
      rootLogger,
    );
    await source.start(sink);
    try {
      // The first reading is taken when the topic is positioned, before the consumer starts.
      const first = await eventually(() => lags[0], 30_000, 'a first lag reading');
      expect(first).toEqual([0, 1, 2].map((partition) => ({ channel: topic, partition, records: 100 })));
      await eventually(() => (records.length >= 300 ? true : undefined), 30_000, 'every record');
      const last = await eventually(
        () => {
          const latest = lags.at(-1);
          return latest && total(latest) === 0 ? latest : undefined;
        },
        30_000,
        'a reading caught up',
      );
      expect(last.map((r) => r.partition)).toEqual([0, 1, 2]);
      for (const r of last) expect(r.lastTimestamp).toBeGreaterThan(0);
      // Never counted below 0, and never more than the backlog while reading it.
      for (const reading of lags) expect(total(reading)).toBeLessThanOrEqual(300);
    } finally {
      await source.stop();
    }
  });

  it('is served in /api/health per partition, and is 0 once every record was read', async () => {
    const topic = `lag-api-${run}`;
    await backlog(topic, 150);
    const server = await startFlowscope(['--kafka', brokers, '--topics', topic, '--from', 'earliest']);
    try {
      const status = await eventually(
        async () => {
          const s = await sourceStatus(server, 'kafka:local');
          return s?.lag && s.lag.records === 0 && s.eventsReceived >= 150 ? s : undefined;
        },
        30_000,
        'caught up in /api/health',
      );
      expect(status.lag?.channels).toEqual(
        [0, 1, 2].map((partition) => ({ channel: topic, partition, records: 0, seconds: 0 })),
      );
      expect(status.lag?.seconds).toBe(0);
      expect(status.lag?.notice).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
