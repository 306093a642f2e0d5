import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { produceWithJava, startKafka } from '../../scripts/kafka.mjs';
import { rootLogger } from '../src/log.js';

import { KafkaSource, type KafkaSourceOptions } from '../src/sources/kafka/kafkaSource.js';
import { kafkaStart } from '../src/sources/kafka/startPosition.js';
import { eventually, recordingSink } from './helpers.js';

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'tailing-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const run = randomBytes(3).toString('hex');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

async function createTopic(topic: string, numPartitions = 1) {
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
}

async function produce(topic: string, messages: { value: string; partition?: number; timestamp?: string }[]) {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

/** A source wired to a sink that keeps everything it is told, as the pipeline would see it. */
async function tap(options: Omit<KafkaSourceOptions, 'cluster' | 'brokers'>) {
  const { sink, records, states, gaps } = recordingSink();
  const source = new KafkaSource({ cluster: 'tail', brokers: [brokers], topicRefreshMs: 1000, ...options }, rootLogger);
  await source.start(sink);
  await eventually(() => (states.includes('connected') ? true : undefined), 30_000, 'connected');
  return { source, records, states, gaps, values: () => records.map((r) => Buffer.from(r.value ?? '').toString()) };
}

describe('Kafka start positions', () => {
  it('reads only the last N minutes when started with a duration, then keeps tailing', async () => {
    const topic = `since-${run}`;
    await createTopic(topic, 3);
    const hourAgo = String(Date.now() - 3_600_000);
    const twoMinutesAgo = String(Date.now() - 120_000);
    await produce(topic, [
      ...Array.from({ length: 6 }, (_, i) => ({ value: `old-${i}`, partition: i % 3, timestamp: hourAgo })),
      ...Array.from({ length: 6 }, (_, i) => ({ value: `recent-${i}`, partition: i % 3, timestamp: twoMinutesAgo })),
    ]);
    const t = await tap({ topics: [topic], from: kafkaStart.parse('15m') });
    try {
      await eventually(() => (t.records.length >= 6 ? true : undefined), 30_000, 'the recent records');
      await produce(topic, [{ value: 'new-0' }]);
      await eventually(() => (t.values().includes('new-0') ? true : undefined), 30_000, 'a new record');
      expect(t.values().sort()).toEqual(['new-0', ...Array.from({ length: 6 }, (_, i) => `recent-${i}`)].sort());
    } finally {
      await t.source.stop();
    }
  });

  it('starts at explicit offsets in one topic and at the latest offset in another', async () => {
    const exact = `offsets-${run}`;
    const other = `latest-${run}`;
    await createTopic(exact);
    await createTopic(other);
    await produce(
      exact,
      Array.from({ length: 10 }, (_, i) => ({ value: `e-${i}` })),
    );
    await produce(other, [{ value: 'before-start' }]);
    const t = await tap({
      topics: [exact, other],
      from: { kind: 'latest' },
      start: { [exact]: kafkaStart.parse('0:6') },
    });
    try {
      await eventually(() => (t.records.length >= 4 ? true : undefined), 30_000, 'offsets 6 to 9');
      await produce(other, [{ value: 'after-start' }]);
      await eventually(() => (t.values().includes('after-start') ? true : undefined), 30_000, 'the new record');
      expect(t.records.filter((r) => r.channel === exact).map((r) => r.offset)).toEqual(['6', '7', '8', '9']);
      expect(t.values()).not.toContain('before-start');
    } finally {
      await t.source.stop();
    }
  });

  it('reads a topic created after it started from that topic’s first record', async () => {
    const pattern = `late-${run}`;
    const t = await tap({ topics: [`/^${pattern}-.*/`], from: { kind: 'latest' } });
    try {
      const topic = `${pattern}-a`;
      await createTopic(topic, 2);
      // Produced at once, before the next topic refresh can see the topic: none may be missed.
      await produce(
        topic,
        Array.from({ length: 8 }, (_, i) => ({ value: `l-${i}` })),
      );
      await eventually(() => (t.records.length >= 8 ? true : undefined), 30_000, 'all eight records');
      expect(t.values().sort()).toEqual(Array.from({ length: 8 }, (_, i) => `l-${i}`).sort());
    } finally {
      await t.source.stop();
    }
  });

  it('records offsets deleted by retention as a gap with the offset range, then reads what is left', async () => {
    const topic = `trimmed-${run}`;
    await createTopic(topic);
    await produce(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ value: `t-${i}` })),
    );
    // The application side (or retention) removes records 0–3 before Flowscope reads them.
    // (kafkajs needs the partition leader in its metadata first, or it reports BrokerNotFound.)
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });
    const t = await tap({ topics: [topic], from: kafkaStart.parse('0:0') });
    try {
      await eventually(() => (t.records.length >= 6 ? true : undefined), 30_000, 'offsets 4 to 9');
      expect(t.records.map((r) => r.offset)).toEqual(['4', '5', '6', '7', '8', '9']);
      expect(t.gaps).toEqual([
        expect.objectContaining({
          channel: topic,
          reason: 'trimmed',
          partition: 0,
          fromOffset: '0',
          untilOffset: '3',
          detail: expect.stringMatching(/offsets 0–3 \(4 records\) were deleted/),
        }),
      ]);
    } finally {
      await t.source.stop();
    }
  });
});

describe('Kafka consumer group safety', () => {
  it('refuses a configured group id that already exists, and leaves that group untouched', async () => {
    const topic = `owned-${run}`;
    const groupId = `billing-app-${run}`;
    await createTopic(topic);
    await produce(topic, [{ value: 'a' }, { value: 'b' }]);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });

    const { sink, records, reports: states } = recordingSink();
    const source = new KafkaSource(
      {
        cluster: 'tail',
        brokers: [brokers],
        topics: [topic],
        from: { kind: 'earliest' },
        groupId,
        topicRefreshMs: 500,
      },
      rootLogger,
    );
    await source.start(sink);
    try {
      const refused = await eventually(
        () => states.find((s) => s.problem?.reason === 'misconfigured'),
        30_000,
        'the group id to be refused',
      );
      expect(refused.state).toBe('disconnected');
      expect(refused.problem?.message).toContain(`"${groupId}" already exists`);
      expect(refused.problem?.hint).toMatch(/Remove groupId/);
      await new Promise((r) => setTimeout(r, 1500));
      expect(records).toEqual([]);
      expect(states.some((s) => s.state === 'connected')).toBe(false);
    } finally {
      await source.stop();
    }
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '1' })]);
    expect((await admin.describeGroups([groupId])).groups[0]?.members).toEqual([]);
  });

  it('uses a configured group id that is free, and removes it on stop', async () => {
    const topic = `fixed-${run}`;
    const groupId = `flowscope-fixed-${run}`;
    await createTopic(topic);
    const t = await tap({ topics: [topic], from: { kind: 'earliest' }, groupId });
    try {
      await produce(topic, [{ value: 'x' }]);
      await eventually(() => (t.records.length === 1 ? true : undefined), 30_000, 'one record');
      expect(t.source.groupId).toBe(groupId);
    } finally {
      await t.source.stop();
    }
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
  });
});

describe('Kafka compressed batches', () => {
  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)(
    'decodes %s batches written by the Java client, keys and values intact',
    async (compression) => {
      const topic = `codec-${compression}-${run}`;
      await createTopic(topic, 2);
      const t = await tap({ topics: [topic], from: { kind: 'earliest' } });
      try {
        const records = Array.from({ length: 50 }, (_, i) => ({
          key: `k-${i}`,
          value: JSON.stringify({ n: i, codec: compression, text: 'repetitive '.repeat(20) }),
        }));
        expect(await produceWithJava({ brokers, topic, compression, records })).toBe(50);
        await eventually(() => (t.records.length >= 50 ? true : undefined), 30_000, `50 ${compression} records`);
        const got = t.records.map((r) => ({
          key: Buffer.from(r.key ?? '').toString(),
          value: Buffer.from(r.value ?? '').toString(),
        }));
        expect(got.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
          [...records].sort((a, b) => a.key.localeCompare(b.key)),
        );
      } finally {
        await t.source.stop();
      }
    },
  );
});

describe('Kafka broker restart', () => {
  it('shows the outage, resumes where it stopped, and delivers every record exactly once', async () => {
    const broker = await startKafka({ props: { 'offsets.topic.num.partitions': 1 } });
    let restarted: Awaited<ReturnType<typeof startKafka>> | undefined;
    const topic = `numbers-${run}`;
    const client = new Kafka({
      clientId: 'restart-test',
      brokers: [broker.brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
    });
    const setup = client.admin();
    await setup.connect();
    await setup.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await setup.disconnect();

    // An application that keeps producing numbered records through the outage, retrying what fails.
    const acked: number[] = [];
    let producing = true;
    const producerLoop = (async () => {
      let n = 1;
      while (producing) {
        const producer = client.producer({ allowAutoTopicCreation: false });
        try {
          await producer.connect();
          while (producing) {
            await producer.send({ topic, messages: [{ key: `k${n % 7}`, value: JSON.stringify({ n }) }] });
            acked.push(n);
            n += 1;
            await new Promise((r) => setTimeout(r, 10));
          }
        } catch {
          await new Promise((r) => setTimeout(r, 300));
        } finally {
          await producer.disconnect().catch(() => undefined);
        }
      }
    })();

    const { sink, records, states } = recordingSink();
    const source = new KafkaSource(
      {
        cluster: 'restart',
        brokers: [broker.brokers],
        topics: [topic],
        from: { kind: 'earliest' },
        topicRefreshMs: 1000,
      },
      rootLogger,
    );
    try {
      await source.start(sink);
      await eventually(() => (records.length >= 100 ? true : undefined), 30_000, 'the first 100 records');
      await broker.stop({ keepData: true });
      await eventually(
        () => (states.slice(-3).some((s) => s === 'reconnecting' || s === 'disconnected') ? true : undefined),
        30_000,
        'the outage to show',
      );
      restarted = await startKafka({ dataDir: broker.dataDir, port: broker.port });
      const target = acked.length + 200;
      await eventually(() => (acked.length >= target ? true : undefined), 60_000, '200 more records produced');
      producing = false;
      await producerLoop;

      // What the broker holds is the truth: every record on it, read by an independent consumer.
      const truth = await readAll(client, topic);
      await eventually(() => (records.length >= truth.length ? true : undefined), 60_000, 'every record');
      await new Promise((r) => setTimeout(r, 2000)); // a duplicate would arrive by now
      const seen = records.map((r) => `${r.partition}/${r.offset}`);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.sort()).toEqual(truth.sort());
      const numbers = new Set(
        records.map((r) => (JSON.parse(Buffer.from(r.value ?? '').toString()) as { n: number }).n),
      );
      expect(acked.filter((n) => !numbers.has(n))).toEqual([]);
      expect(states.at(-1)).toBe('connected');
    } finally {
      producing = false;
      await producerLoop;
      await source.stop();
      await restarted?.stop();
      await broker.stop();
    }
  }, 180_000);
});

/** Every record of `topic` as partition/offset, read from the beginning by a plain consumer. */
async function readAll(client: Kafka, topic: string): Promise<string[]> {
  const admin = client.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const consumer = client.consumer({ groupId: `truth-${randomBytes(3).toString('hex')}` });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      seen.push(`${partition}/${message.offset}`);
    },
  });
  await eventually(() => (seen.length >= total ? true : undefined), 30_000, 'the whole topic');
  await consumer.disconnect();
  return seen;
}
