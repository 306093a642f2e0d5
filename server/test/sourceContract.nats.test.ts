import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, expect } from 'vitest';
import { rootLogger } from '../src/log.js';
import { NatsSource } from '../src/sources/nats/natsSource.js';
import { describeEventSource } from './eventSourceContract.js';
import { freePort, tcpForwarder } from './helpers.js';

const NATS = 'nats://127.0.0.1:4222';
let nc: NatsConnection;
let jsm: JetStreamManager;
const streams: string[] = [];

beforeAll(async () => {
  nc = await connect({ servers: NATS, name: 'flowscope-contract-test' });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
});

/** A limits stream of its own. */
async function stream(): Promise<{ name: string; subject: string }> {
  const id = randomBytes(4).toString('hex');
  const name = `FLOWSCOPE_CONTRACT_${id}`;
  const subject = `flowscope-contract.${id}`;
  await jsm.streams.add({
    name,
    subjects: [`${subject}.>`],
    storage: 'memory' as never,
  });
  streams.push(name);
  return { name, subject };
}

/** Reads the stream from sequence 1: messages purged before it read them are a gap. */
const natsSource = (name: string, url = NATS) =>
  new NatsSource(
    { cluster: 'contract', url, subjects: [], streams: [name], from: { kind: 'seq', seq: 1 }, streamRefreshMs: 500 },
    rootLogger,
  );

async function publish(subject: string, values: readonly (Uint8Array | string | null)[]) {
  const js = jetstream(nc);
  for (const v of values) await js.publish(`${subject}.event`, v ?? new Uint8Array(0));
}

/** Every consumer on the stream and every connection named like the source's: both must be gone after stop. */
async function leftOf(name: string, source: NatsSource) {
  const consumers: string[] = [];
  for await (const c of jsm.consumers.list(name)) consumers.push(c.name);
  const connz = (await nc.request('$SYS.REQ.ACCOUNT.PING.CONNZ', '{}', { timeout: 2000 })).json<{
    data: { connections: { name?: string }[] };
  }>();
  const connections = connz.data.connections.filter((c) => c.name === source.connectionName);
  return { consumers, connections };
}

describeEventSource({
  name: 'nats',
  make: async () => {
    const { name, subject } = await stream();
    await publish(subject, ['{"created":true}']);
    const source = natsSource(name);
    return {
      source,
      again: () => natsSource(name),
      feed: (count) =>
        publish(
          subject,
          Array.from({ length: count }, (_, i) => `{"n":${i}}`),
        ),
      feedPayloads: (values) => publish(subject, values),
      loseHistory: async () => {
        await publish(
          subject,
          Array.from({ length: 10 }, (_, i) => `{"lost":${i}}`),
        );
        await jsm.streams.purge(name, { keep: 4 });
      },
      readOnly: {
        rule: "no consumer of its own left and no connection named like it after stop (ordered consumers only on limits streams, deleted on stop); the stream's messages all still there",
        check: async () => {
          expect(await leftOf(name, source)).toEqual({ consumers: [], connections: [] });
          expect((await jsm.streams.info(name)).state.first_seq).toBe(1);
        },
      },
    };
  },
  unreachable: async () => {
    const { name } = await stream();
    const port = await freePort();
    const proxy = tcpForwarder(port, '127.0.0.1:4222');
    return { source: natsSource(name, `nats://127.0.0.1:${port}`), bringBack: proxy.open, cleanup: proxy.close };
  },
});
