import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Consumer as AppConsumer, Topology } from '@flowscope/shared';
import { describe, expect, inject, it } from 'vitest';
import { api, eventually, startFlowscope } from './helpers.js';

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'groups-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const run = randomBytes(3).toString('hex');

describe('consumer groups on the map', () => {
  it('draws each application group as a consumer of its topics, with lag per partition and a lag history', async () => {
    const topic = `invoices-${run}`;
    const groupId = `billing-app-${run}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (n: number, partition: number) =>
      producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ partition, value: `{"i":${i}}` })) });
    await send(10, 0);
    await send(4, 1);

    // The application: reads everything, commits, then stops reading while more arrives.
    let app: Consumer | undefined = kafka.consumer({ groupId });
    let consumed = 0;
    await app.connect();
    await app.subscribe({ topics: [topic], fromBeginning: true });
    await app.run({
      eachMessage: async () => {
        consumed += 1;
      },
    });
    await eventually(() => (consumed >= 14 ? true : undefined), 30_000, 'the application to read 14');
    await app.disconnect(); // commits what it read on the way out
    app = undefined;
    await send(5, 0); // lag 5 on partition 0, 0 on partition 1

    const server = await startFlowscope([
      '--kafka',
      brokers,
      '--topics',
      topic,
      '--group-refresh',
      '500ms',
      '--group-service',
      `${groupId}=billing-service`,
    ]);
    try {
      const group = await eventually(
        async () => {
          const { body } = await api<{ consumers: AppConsumer[] }>(server, '/api/consumers');
          const g = body.consumers.find((x) => x.id === groupId);
          return g && g.history.length >= 2 ? g : undefined;
        },
        30_000,
        'two lag readings of the application group',
      );
      expect(group).toMatchObject({
        service: 'billing-service',
        broker: 'kafka',
        kind: 'consumer-group',
        cluster: 'local',
        lag: 5,
        state: 'Empty',
      });
      expect(group.channels).toEqual([
        {
          channel: topic,
          lag: 5,
          rate: 0,
          partitions: [
            { partition: 0, committed: '10', high: '15', lag: 5 },
            { partition: 1, committed: '4', high: '4', lag: 0 },
          ],
        },
      ]);
      expect(group.history.every((h) => h.lag === 5)).toBe(true);
      // Flowscope's own tap group is never listed as an application.
      const { body: all } = await api<{ consumers: AppConsumer[] }>(server, '/api/consumers');
      expect(all.consumers.map((g) => g.id).filter((g) => g.startsWith('flowscope-tap-'))).toEqual([]);
      // The older path of API v1 answers with the same consumers.
      const { body: old } = await api<{ groups: AppConsumer[] }>(server, '/api/consumer-groups');
      expect(old.groups.map((g) => g.id)).toEqual(all.consumers.map((g) => g.id));

      const { body: map } = await api<Topology>(server, '/api/topology');
      const edge = map.edges.find((e) => e.target === 'service:billing-service');
      expect(edge).toMatchObject({
        source: `channel:kafka/local/${topic}`,
        kind: 'consumes',
        evidence: ['consumer-group'],
        consumers: [groupId],
        lag: 5,
        confidence: 1,
      });
      expect(map.nodes.map((n) => n.id)).toContain('service:billing-service');

      // The application catches up: its lag goes to 0 and the history shows the drop.
      const again = kafka.consumer({ groupId });
      await again.connect();
      await again.subscribe({ topics: [topic] });
      await again.run({ eachMessage: async () => undefined });
      const caughtUp = await eventually(
        async () => {
          const { body } = await api<{ consumers: AppConsumer[] }>(server, '/api/consumers');
          const g = body.consumers.find((x) => x.id === groupId);
          return g?.lag === 0 && g.members.length === 1 ? g : undefined;
        },
        30_000,
        'the group to catch up',
      );
      await again.disconnect();
      expect(caughtUp.members[0]?.assignments).toEqual([{ channel: topic, partitions: [0, 1] }]);
      expect(caughtUp.history.at(0)?.lag).toBe(5);
      expect(caughtUp.history.at(-1)?.lag).toBe(0);
    } finally {
      await server.close();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('leaves an application group exactly as it is: the same records with Flowscope tailing as without, and no member or commit of its own', async () => {
    const topic = `ledger-${run}`;
    const groupId = `ledger-app-${run}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const produce = async (phase: string) => {
      const values = Array.from({ length: 30 }, (_, i) => `{"phase":"${phase}","i":${i}}`);
      await producer.send({ topic, messages: values.map((value, i) => ({ key: `k-${i}`, value })) });
      return values;
    };
    /** One session of the application: reads until it has `n` records, commits on the way out. */
    const appSession = async (n: number) => {
      const got: string[] = [];
      const app = kafka.consumer({ groupId });
      await app.connect();
      await app.subscribe({ topics: [topic], fromBeginning: true });
      await app.run({
        eachMessage: async ({ partition, message }) => {
          got.push(`${partition}:${message.offset}:${message.value?.toString()}`);
        },
      });
      await eventually(() => (got.length >= n ? true : undefined), 30_000, `the application to read ${n}`);
      const members = (await admin.describeGroups([groupId])).groups[0]?.members.length;
      await new Promise((r) => setTimeout(r, 500)); // anything more would arrive now
      await app.disconnect();
      return { got, members };
    };
    const committed = async () =>
      (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions
        .map((p) => `${p.partition}:${p.offset}`)
        .sort();
    const highs = async () => (await admin.fetchTopicOffsets(topic)).map((p) => `${p.partition}:${p.high}`).sort();

    const server = { current: undefined as Awaited<ReturnType<typeof startFlowscope>> | undefined };
    try {
      const without = await produce('without');
      const alone = await appSession(30);
      expect(alone.got.map((g) => g.split(':').slice(2).join(':')).sort()).toEqual([...without].sort());
      expect(await committed()).toEqual(await highs());

      server.current = await startFlowscope([
        ...['--kafka', brokers, '--topics', topic, '--from', 'earliest'],
        ...['--group-refresh', '500ms'],
      ]);
      const withFlowscope = await produce('with');
      const beside = await appSession(30);
      // Exactly the new records, each once, none of the first phase again: as without Flowscope.
      expect(beside.got.map((g) => g.split(':').slice(2).join(':')).sort()).toEqual([...withFlowscope].sort());
      expect(beside.members).toBe(alone.members);
      expect(await committed()).toEqual(await highs());
      // Flowscope saw both phases through its own group, and lists the application's group as it is.
      const { body } = await api<{ events: unknown[] }>(server.current, '/api/events?limit=500');
      expect(body.events).toHaveLength(60);
      // Once the application left, the reading shows its group empty and caught up: nothing of ours in it.
      const group = await eventually(async () => {
        const { body: c } = await api<{ consumers: AppConsumer[] }>(server.current!, '/api/consumers');
        return c.consumers.find((x) => x.id === groupId && x.members.length === 0);
      });
      expect(group).toMatchObject({ state: 'Empty', lag: 0 });
    } finally {
      await server.current?.close();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
