import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { DemoSource } from '../src/sources/demo/demoSource.js';
import type { EventSource } from '../src/sources/eventSource.js';
import { KafkaSource } from '../src/sources/kafka/kafkaSource.js';
import { eventually, recordingSink } from './helpers.js';

type Case = { name: string; make: () => Promise<{ source: EventSource; feed: () => Promise<void> }> };

const cases: Case[] = [
  {
    name: 'demo',
    make: async () => ({ source: new DemoSource({ ordersPerSecond: 20, seed: 3 }), feed: async () => {} }),
  },
  {
    name: 'kafka',
    make: async () => {
      const brokers = inject('kafkaBrokers');
      const topic = `contract-${randomBytes(3).toString('hex')}`;
      const kafka = new Kafka({ clientId: 'contract', brokers: [brokers], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      await admin.disconnect();
      const source = new KafkaSource(
        { cluster: 'contract', brokers: [brokers], topics: [topic], from: { kind: 'earliest' }, topicRefreshMs: 1000 },
        rootLogger,
      );
      const feed = async () => {
        const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        await producer.send({
          topic,
          messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `{"n":${i}}` })),
        });
        await producer.disconnect();
      };
      return { source, feed };
    },
  },
];

/** The behaviour every EventSource owes the pipeline, checked against each real source. */
describe.each(cases)('EventSource contract: $name', ({ make }) => {
  it('reports connected, then delivers records that can be identified and placed in time', async () => {
    const { source, feed } = await make();
    const { sink, records, states } = recordingSink();
    await source.start(sink);
    try {
      await eventually(() => (states.includes('connected') ? true : undefined), 30_000, 'connected');
      await feed();
      await eventually(() => (records.length >= 20 ? true : undefined), 30_000, 'records');
      for (const r of records) {
        expect(r.channel).not.toBe('');
        expect(Number.isFinite(r.timestamp)).toBe(true);
        expect(r.offset !== undefined || r.messageId !== undefined).toBe(true);
      }
      // Ids are unique: the same message is never delivered twice.
      const ids = records.map((r) => `${r.channel}/${r.partition ?? ''}/${r.offset ?? r.messageId}`);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await source.stop();
    }
  });

  it('delivers nothing after stop', async () => {
    const { source, feed } = await make();
    const { sink, records, states } = recordingSink();
    await source.start(sink);
    await eventually(() => (states.includes('connected') ? true : undefined), 30_000, 'connected');
    await source.stop();
    const count = records.length;
    await feed();
    await new Promise((r) => setTimeout(r, 1500));
    expect(records.length).toBe(count);
  });
});
