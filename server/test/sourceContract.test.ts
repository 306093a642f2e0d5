import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCapture, type FlowEvent, type Seq } from '@flowscope/shared';
import { Kafka, logLevel } from 'kafkajs';
import { expect, inject } from 'vitest';
import { normalize } from '../src/ingest/normalize.js';
import { rootLogger } from '../src/log.js';
import { DemoSource } from '../src/sources/demo/demoSource.js';
import { FileSource } from '../src/sources/file/fileSource.js';
import { KafkaSource } from '../src/sources/kafka/kafkaSource.js';
import type { StartPosition } from '../src/sources/kafka/startPosition.js';
import { describeEventSource } from './eventSourceContract.js';
import { freePort, KAFKA_READ_ONLY_APIS, tcpForwarder } from './helpers.js';

describeEventSource({
  name: 'demo',
  make: async () => ({
    source: new DemoSource({ ordersPerSecond: 20, seed: 3 }),
    feed: async () => undefined, // the shop places orders by itself
    ownPayloadsBecause: 'the demo shop makes its own JSON payloads, as real services would',
    noHistoryBecause: 'the demo makes events as it goes; there is no history to lose',
    readOnly: {
      rule: 'the demo talks to no broker: it has no broker addresses and opens no connection',
      check: async () => undefined,
    },
  }),
});

/** Events as a capture holds them: normalized by the real `normalize`, with seqs. */
function captureEvents(values: readonly (Uint8Array | null)[], from: number): FlowEvent[] {
  return values.map((value, i) => ({
    ...normalize(
      {
        channel: 'orders',
        partition: 0,
        offset: String(from + i),
        timestamp: 1_700_000_000_000 + i,
        headers: {},
        value,
      },
      { broker: 'kafka', cluster: 'recorded' },
      1_700_000_000_100 + i,
      { maxPayloadBytes: 256 * 1024 },
    ),
    seq: (from + i + 1) as Seq,
  }));
}

describeEventSource({
  name: 'file replay',
  make: async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flowscope-contract-')), 'capture.ndjson');
    let next = 0;
    const write = (events: FlowEvent[]) => {
      next += events.length;
      appendFileSync(path, `${toCapture(events, 'contract', 0).split('\n').slice(1).join('\n')}`);
    };
    writeFileSync(path, `${toCapture([], 'contract', 0).split('\n')[0]}\n`);
    const size = () => statSync(path).size;
    let sizeAtStart = 0;
    return {
      source: new FileSource({ path, speed: 'max' }),
      again: () => new FileSource({ path, speed: 'max' }),
      feed: async (count) =>
        write(
          captureEvents(
            Array.from({ length: count }, (_, i) => Buffer.from(`{"n":${next + i}}`)),
            next,
          ),
        ),
      feedPayloads: async (values) => {
        const events = captureEvents(values, next);
        write(events);
        sizeAtStart = size();
        return events.map((e) => e.payload);
      },
      noHistoryBecause: 'a capture is read whole from a file; lines it cannot read are named in its status',
      readOnly: {
        rule: 'the capture file is only read, never written',
        check: async () => {
          if (sizeAtStart > 0) expect(size()).toBe(sizeAtStart);
          expect(readFileSync(path, 'utf8').length).toBeGreaterThan(0);
        },
      },
    };
  },
});

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'contract', brokers: [brokers], logLevel: logLevel.NOTHING });

async function kafkaTopic(): Promise<string> {
  const topic = `contract-${randomBytes(3).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

async function produce(topic: string, values: readonly (Uint8Array | string | null)[]) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // One send per value: a batch of several large values would exceed the broker's request size.
  for (const [i, value] of values.entries())
    await producer.send({
      topic,
      messages: [{ key: `k${i}`, value: typeof value === 'string' || value === null ? value : Buffer.from(value) }],
    });
  await producer.disconnect();
}

const kafkaSource = (topic: string, addresses: string[] = [brokers]) =>
  new KafkaSource(
    {
      cluster: 'contract',
      brokers: addresses,
      topics: [topic],
      // From offset 0 (the same as earliest unless history was deleted: then that is a gap).
      from: { kind: 'offsets', offsets: { 0: '0' } } satisfies StartPosition,
      topicRefreshMs: 1000,
    },
    rootLogger,
  );

describeEventSource({
  name: 'kafka',
  make: async () => {
    const topic = await kafkaTopic();
    const source = kafkaSource(topic);
    return {
      source,
      again: () => kafkaSource(topic),
      feed: (count) =>
        produce(
          topic,
          Array.from({ length: count }, (_, i) => `{"n":${i}}`),
        ),
      feedPayloads: (values) => produce(topic, values),
      loseHistory: async () => {
        await produce(
          topic,
          Array.from({ length: 10 }, (_, i) => `{"lost":${i}}`),
        );
        const admin = kafka.admin();
        await admin.connect();
        await admin.fetchTopicMetadata({ topics: [topic] });
        await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
        await admin.disconnect();
      },
      readOnly: {
        rule: 'only reads, its own group (never committed) and deleting that group: no Produce, OffsetCommit, CreateTopics, …',
        check: async () => {
          const sent = Object.keys(source.requestCounts());
          expect(sent.filter((api) => !KAFKA_READ_ONLY_APIS.has(api))).toEqual([]);
          const admin = kafka.admin();
          await admin.connect();
          const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
          await admin.disconnect();
          expect(groups).not.toContain(source.groupId); // nothing of Flowscope is left
        },
      },
    };
  },
  unreachable: async () => {
    const topic = await kafkaTopic();
    const port = await freePort();
    const proxy = tcpForwarder(port, brokers);
    return { source: kafkaSource(topic, [`127.0.0.1:${port}`]), bringBack: proxy.open, cleanup: proxy.close };
  },
});
