import { spawnSync } from 'node:child_process';
import type { Flow, FlowSummary } from '@flowscope/shared';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../src/sources/contract.js';
import { api, eventually, recordingSink, sourceStatus, startFlowscope } from './helpers.js';
import { AMQP_URL, queueDepth, rabbitSource, testConnection, unique } from './rabbitmqBroker.js';

/**
 * The firehose (amq.rabbitmq.trace) is switched on per vhost by an admin; these tests turn it on
 * only around what they publish and consume, and off again whatever happens.
 */
const rabbit = testConnection();
const ch = () => rabbit.channel();
const created = { exchanges: [] as string[], queues: [] as string[] };

afterAll(async () => {
  for (const queue of created.queues) await (await ch()).deleteQueue(queue);
  for (const exchange of created.exchanges) await (await ch()).deleteExchange(exchange);
  await rabbit.close();
});

async function traced<T>(work: () => Promise<T>): Promise<T> {
  expect(spawnSync('rabbitmqctl', ['trace_on']).status).toBe(0);
  try {
    return await work();
  } finally {
    expect(spawnSync('rabbitmqctl', ['trace_off']).status).toBe(0);
  }
}

/** An application: a topic exchange and a queue bound to it with `#`. */
async function shop() {
  const exchange = unique('fh-topic');
  await (await ch()).assertExchange(exchange, 'topic', { durable: false });
  created.exchanges.push(exchange);
  const queue = unique('fh-billing');
  await (await ch()).assertQueue(queue, { durable: false });
  await (await ch()).bindQueue(queue, exchange, '#');
  created.queues.push(queue);
  return { exchange, queue };
}

/** The application's consumer: takes and acks one message from `queue`. */
async function consumeOne(queue: string) {
  const app = await ch();
  const msg = await eventually(async () => (await app.get(queue)) || undefined, 5000, `a message on ${queue}`);
  app.ack(msg);
}

describe('RabbitMQ firehose (opt-in)', () => {
  it('sees publishes straight to a queue with their publisher, only once an admin turned tracing on', async () => {
    const queue = unique('direct-queue');
    await (await ch()).assertQueue(queue, { durable: false });
    created.queues.push(queue);
    const source = rabbitSource([], { firehose: true });
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      const off = await eventually(() => rec.reports.find((r) => r.state === 'connected'), 20_000, 'connected');
      expect(off.problem?.message).toMatch(/Tracing is off/);
      expect(off.problem?.hint).toMatch(/rabbitmqctl trace_on/);
      const copy = await traced(async () => {
        await rabbit.publish('', queue, 'straight to the queue', { correlationId: 'C-7', appId: 'mailer' });
        return eventually(() => rec.records.find((r) => r.channel === queue), 10_000, 'the firehose copy');
      });
      expect(String(copy.value)).toBe('straight to the queue');
      expect(copy.headers).toMatchObject({
        'correlation-id': 'C-7',
        'app-id': 'mailer',
        'amqp.publisher-user': 'guest',
        'amqp.firehose': 'publish',
      });
      // The application still gets its message: the firehose only copies.
      expect(await queueDepth(rabbit, queue)).toBe(1);
    } finally {
      await source.stop();
    }
  });

  it("turns each delivery to an application's consumer into a record of its queue, and leaves its own deliveries out", async () => {
    const { exchange, queue } = await shop();
    const source = rabbitSource([exchange], { firehose: true });
    const rec = recordingSink();
    await source.start(rec.sink);
    const deliveries = () => rec.records.filter((r) => r.headers['amqp.firehose'] === 'deliver');
    try {
      await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
      const delivery = await traced(async () => {
        const props = { correlationId: 'C-9', messageId: 'M-9', appId: 'shop', type: 'OrderPlaced' };
        await rabbit.publish(exchange, 'orders.placed', '{"orderId":"F-1"}', props);
        await consumeOne(queue);
        return eventually(() => deliveries()[0], 10_000, 'the delivery copy');
      });
      const publish = await eventually(() => rec.records.find((r) => r.channel === exchange), 5000, 'the publish');
      expect(publish.headers['message-id']).toBe('M-9');
      expect(delivery.channel).toBe(queue);
      expect(String(delivery.value)).toBe('{"orderId":"F-1"}');
      expect(delivery.headers).toMatchObject({
        'amqp.firehose': 'deliver',
        'amqp.consumer-queue': queue,
        'amqp.consumer-user': 'guest',
        'amqp.exchange': exchange,
        'amqp.routing-key': 'orders.placed',
        'correlation-id': 'C-9',
        'causation-id': 'M-9',
        type: 'OrderPlaced (delivered)',
        'amqp.published.message-id': 'M-9',
        'amqp.published.app-id': 'shop',
      });
      expect(delivery.headers['amqp.consumer-connection']).toMatch(/ -> /);
      // Not a second publish: no message id or producer of its own.
      expect(delivery.headers['message-id']).toBeUndefined();
      expect(delivery.headers['app-id']).toBeUndefined();
      await new Promise((r) => setTimeout(r, 500));
      // Only the application's delivery: the tap's own (its queue gets a copy too) are left out.
      expect(deliveries().map((r: RawRecord) => r.channel)).toEqual([queue]);
    } finally {
      await source.stop();
    }
  });

  it('joins a delivery to the flow of its publish as its effect, not as a duplicate publish', async () => {
    const { exchange, queue } = await shop();
    const server = await startFlowscope([
      ...['--rabbitmq', AMQP_URL, '--exchanges', exchange, '--rabbitmq-firehose', '--rabbitmq-name', 'fh'],
    ]);
    try {
      await eventually(
        async () => ((await sourceStatus(server, 'rabbitmq:fh'))?.state === 'connected' ? true : undefined),
        20_000,
        'connected',
      );
      const summary = await traced(async () => {
        const props = { correlationId: 'C-10', messageId: 'M-10', appId: 'shop', type: 'OrderPlaced' };
        await rabbit.publish(exchange, 'orders.placed', '{"orderId":"F-2"}', props);
        await consumeOne(queue);
        return eventually(
          async () => {
            const { body } = await api<{ flows: FlowSummary[] }>(server, '/api/flows?key=C-10');
            return body.flows[0]?.eventCount === 2 ? body.flows[0] : undefined;
          },
          10_000,
          'a flow of the publish and its delivery',
        );
      });
      const { body: flow } = await api<Flow>(server, `/api/flows/${encodeURIComponent(summary.id)}`);
      expect(flow.anomalies.filter((a) => a.kind === 'duplicate')).toEqual([]);
      expect(flow.kind).toBe('OrderPlaced');
      expect(flow.events.map((e) => [e.channel, e.type])).toEqual([
        [exchange, 'OrderPlaced'],
        [queue, 'OrderPlaced (delivered)'],
      ]);
      // The delivery is caused by the publish (not inferred from order): the hop is the time in the queue.
      expect(flow.hops).toEqual([expect.objectContaining({ inferred: false })]);
      expect(flow.events[1]?.producer).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
