import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectAmqp } from 'amqplib';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually, TOKEN } from './helpers.js';
import { AMQP_URL, flowscopeOnBroker, unique } from './rabbitmqBroker.js';
import { killLeftovers, received, start, storedEvents } from './startCommand.js';

const run = randomBytes(3).toString('hex');
const TAP_PREFIX = 'flowscope-tap-';
const REDIS_URL = 'redis://127.0.0.1:6379';
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-stop-brokers-'));

afterEach(killLeftovers);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
