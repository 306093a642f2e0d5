import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, TOKEN } from './helpers.js';
import { killLeftovers, received, start, storedEvents } from './startCommand.js';

/** Ctrl-C on the README's start command while Kafka is written to (startCommand.ts: how it is sent). */
const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'flowscope-stop-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const run = randomBytes(3).toString('hex');
const TAP_PREFIX = 'flowscope-tap-';
let admin: Admin;
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-stop-'));

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterEach(killLeftovers);
afterAll(async () => {
  await admin.disconnect();
  rmSync(scratch, { recursive: true, force: true });
});

async function tapGroups(): Promise<Set<string>> {
  // A broker that just started answers "the coordinator is loading" for a moment: ask again.
  const { groups } = await eventually(
    () => admin.listGroups().catch((err: { retriable?: boolean }) => (err.retriable ? undefined : Promise.reject(err))),
    30_000,
    'the broker to list its groups',
  );
  return new Set(groups.map((g) => g.groupId).filter((g) => g.startsWith(TAP_PREFIX)));
}

/** Produces small records to `topic` until stopped; counts them. */
function keepProducing(producer: Producer, topic: string) {
  let sent = 0;
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const messages = Array.from({ length: 20 }, (_, i) => ({
        key: `order-${sent + i}`,
        value: JSON.stringify({ orderId: `S-${sent + i}`, at: Date.now() }),
      }));
      await producer.send({ topic, messages });
      sent += messages.length;
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    sent: () => sent,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

/**
 * Starts Flowscope on a topic that is written to the whole time, waits until events are accepted
 * and the tap group exists, and hands over to `signal`; afterwards checks exit 0, the tap group
 * gone and every accepted event in the store.
 */
async function stopWhileBusy(
  via: 'npm' | 'node',
  name: string,
  signal: (app: ReturnType<typeof start>) => Promise<void>,
) {
  const topic = `stop-${name}-${run}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  const dataDir = join(scratch, name);
  const before = await tapGroups();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const writer = keepProducing(producer, topic);
  try {
    const app = start(via, [
      '--kafka',
      brokers,
      '--topics',
      topic,
      '--from',
      'earliest',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--token',
      TOKEN,
    ]);
    const url = await app.url;
    const ours = await eventually(
      async () => [...(await tapGroups())].find((g) => !before.has(g)),
      30_000,
      'the tap group on the broker',
    );
    await eventually(async () => ((await received(url)) >= 200 ? true : undefined), 60_000, '200 events accepted');
    const acceptedBeforeSignal = await received(url);
    await signal(app);
    const exit = await app.exited;
    // Closing stdout and stderr comes after the exit: wait for the last words.
    await new Promise((r) => (app.child.stdout?.readableEnded ? r(undefined) : app.child.stdout?.once('close', r)));
    const output = app.output();
    // The command returns only when the server has stopped: nothing of its process group is left.
    expect(exit.groupAlive, output).toBe(false);
    if (via === 'node') expect(exit, output).toMatchObject({ code: 0, signal: null });
    // npm's shell dies of the Ctrl-C once its script returns, and npm then reports the signal
    // itself (@npmcli/run-script), whatever the exit code of the script.
    else expect(exit, output).toMatchObject({ code: null, signal: 'SIGINT' });
    const summary = /Flowscope stopped: ([\d,]+) events? received; the store in (.+) holds ([\d,]+) events?\./.exec(
      output,
    );
    expect(summary, output).not.toBeNull();
    const [, receivedText = '', storeDir, storedText = ''] = summary ?? [];
    const receivedInAll = Number(receivedText.replaceAll(',', ''));
    expect(storeDir).toBe(dataDir);
    expect(receivedInAll).toBeGreaterThanOrEqual(acceptedBeforeSignal);
    expect(receivedInAll).toBeLessThanOrEqual(writer.sent());
    // A fresh data dir: everything in it was received in this run, once, and nothing is missing.
    expect(storedEvents(dataDir)).toEqual({ rows: receivedInAll, ids: receivedInAll });
    expect(Number(storedText.replaceAll(',', ''))).toBe(receivedInAll);
    const after = await tapGroups();
    expect(after.has(ours), `${ours} is still on the broker`).toBe(false);
    expect([...after].filter((g) => !before.has(g))).toEqual([]);
    return { output, exit };
  } finally {
    await writer.stop();
    await producer.disconnect();
  }
}

describe('Ctrl-C on the start command, with Kafka being written to', () => {
  it('stops cleanly: exit 0, the tap group gone from the broker, every accepted event in the store', async () => {
    const { output } = await stopWhileBusy('node', 'once', async (app) => {
      app.ctrlC();
    });
    expect(output).toContain('Stopping Flowscope…');
    // The launcher's forward and the terminal deliver the same Ctrl-C: one request, not "still stopping".
    expect(output).not.toContain('Still stopping');
  }, 240_000);

  it('does not let a second Ctrl-C during the stop interrupt it', async () => {
    await stopWhileBusy('node', 'twice', async (app) => {
      const stopping = app.printed('Stopping Flowscope…');
      app.ctrlC();
      await stopping;
      // At once: the stop takes little more than a round trip to the broker. kill() throws if the
      // group is gone already, and then this test would prove nothing.
      app.ctrlC();
    });
  }, 240_000);

  it('npm start -- …: npm returns after the server has stopped, and the stop is as clean', async () => {
    await stopWhileBusy('npm', 'npm', async (app) => {
      app.ctrlC();
    });
  }, 240_000);
});
