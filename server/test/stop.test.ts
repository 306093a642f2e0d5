import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { connect as connectAmqp } from 'amqplib';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { createClient } from 'redis';
import type { SourceStatus } from '@flowscope/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, TOKEN } from './helpers.js';
import { AMQP_URL, flowscopeOnBroker, unique } from './rabbitmqBroker.js';

/**
 * Ctrl-C on the README's start command, as a terminal sends it: the command runs in its own process
 * group and SIGINT goes to the whole group (npm and its shell, the launcher and the server alike).
 */
const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'flowscope-stop-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const run = randomBytes(3).toString('hex');
const TAP_PREFIX = 'flowscope-tap-';
const REDIS_URL = 'redis://127.0.0.1:6379';
let admin: Admin;
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-stop-'));
const running: ChildProcess[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterEach(() => {
  for (const child of running.splice(0)) if (groupAlive(child)) process.kill(-(child.pid ?? 0), 'SIGKILL');
});
afterAll(async () => {
  await admin.disconnect();
  rmSync(scratch, { recursive: true, force: true });
});

async function tapGroups(): Promise<Set<string>> {
  const { groups } = await admin.listGroups();
  return new Set(groups.map((g) => g.groupId).filter((g) => g.startsWith(TAP_PREFIX)));
}

/** Whether any process of the child's process group is still running. */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-(child.pid ?? 0), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The start command in a process group of its own, as a terminal starts it: `npm start -- <args>`
 * (the README's), or `node scripts/run.mjs start <args>` (what npm runs, without npm's own exit
 * status in the way).
 */
function start(via: 'npm' | 'node', args: string[]) {
  const [cmd, ...pre] = via === 'npm' ? ['npm', 'start', '--'] : [process.execPath, 'scripts/run.mjs', 'start'];
  const child = spawn(cmd ?? 'npm', [...pre, ...args], {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FLOWSCOPE_LOG_LEVEL: 'warn' },
  });
  running.push(child);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null; groupAlive: boolean }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, groupAlive: groupAlive(child) })),
  );
  const url = eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`${via} start exited (${child.exitCode}):\n${out}`);
      return /Open (http:\/\/\S+?)\/\?token=/.exec(out)?.[1];
    },
    180_000, // the first start of a checkout builds
    'the printed URL',
  );
  /** Ctrl-C in the terminal: SIGINT to every process of the group (throws if none is left). */
  const ctrlC = () => process.kill(-(child.pid ?? 0), 'SIGINT');
  /** Resolves the moment `text` shows up in the output (not polled: the stop may be short). */
  const printed = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!out.includes(text)) return;
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      check();
    });
  return { child, url, exited, ctrlC, printed, output: () => out };
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

async function received(url: string): Promise<number> {
  const res = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await res.json()) as { sources: SourceStatus[] };
  return body.sources.reduce((n, s) => n + s.eventsReceived, 0);
}

/** Events in the store, read after Flowscope exited (read-only; the Node 24 run loads its own build). */
function storedEvents(dataDir: string): { rows: number; ids: number } {
  const nativeBinding = process.env.FLOWSCOPE_SQLITE_BINDING || undefined;
  const db = new Database(join(dataDir, 'flowscope.db'), {
    readonly: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  try {
    return db.prepare('SELECT count(*) AS rows, count(DISTINCT id) AS ids FROM events').get() as {
      rows: number;
      ids: number;
    };
  } finally {
    db.close();
  }
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

describe('Ctrl-C on the start command, tapping Redis Streams and RabbitMQ', () => {
  it('stops cleanly and leaves no connection, queue or binding of Flowscope on either broker', async () => {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    const amqp = await connectAmqp(AMQP_URL);
    const ch = await amqp.createChannel();
    const stream = `flowscope-stop-${run}:orders`;
    const exchange = unique('stop');
    const appQueue = unique('stop-app');
    await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    await ch.assertQueue(appQueue, { durable: false });
    await ch.bindQueue(appQueue, exchange, 'order.*');
    const tapClients = async () =>
      (await redis.clientList()).filter((c) => c.name.startsWith(TAP_PREFIX)).map((c) => c.name);
    try {
      await redis.xAdd(stream, '*', { payload: JSON.stringify({ orderId: `R-${run}` }) });
      const dataDir = join(scratch, 'brokers');
      const app = start('node', [
        ...['--redis', REDIS_URL, '--streams', `flowscope-stop-${run}:*`, '--redis-from', 'earliest'],
        ...['--rabbitmq', AMQP_URL, '--exchanges', exchange, '--rabbitmq-name', `stop-${run}`],
        ...['--data-dir', dataDir, '--port', '0', '--token', TOKEN],
      ]);
      const url = await app.url;
      // Both taps are on their brokers before the Ctrl-C, or "nothing left" would prove nothing.
      await eventually(async () => ((await tapClients()).length > 0 ? true : undefined), 30_000, 'the Redis tap');
      await eventually(
        async () => ((await flowscopeOnBroker()).some((x) => x.startsWith('binding')) ? true : undefined),
        30_000,
        'the RabbitMQ tap bound to the exchange',
      );
      ch.publish(exchange, 'order.placed', Buffer.from(JSON.stringify({ orderId: `R-${run}` })));
      await eventually(async () => ((await received(url)) >= 2 ? true : undefined), 30_000, 'both events');
      app.ctrlC();
      const exit = await app.exited;
      expect(exit, app.output()).toMatchObject({ code: 0, signal: null, groupAlive: false });
      expect(storedEvents(dataDir)).toEqual({ rows: 2, ids: 2 });
      expect(await tapClients()).toEqual([]);
      // The management API samples connections every few seconds: give it that long to agree.
      await eventually(
        async () => ((await flowscopeOnBroker()).length === 0 ? true : undefined),
        15_000,
        'a bare broker',
      );
      // The application's queue got its message, untouched by the tap and its stop.
      expect((await ch.checkQueue(appQueue)).messageCount).toBe(1);
    } finally {
      await ch.deleteQueue(appQueue).catch(() => undefined);
      await ch.deleteExchange(exchange).catch(() => undefined);
      await amqp.close();
      await redis.del(stream);
      redis.destroy();
    }
  }, 240_000);
});
