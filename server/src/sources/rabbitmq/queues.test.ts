import type { Consumer } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import type { Binding, Exchange, Queue, QueueConsumer } from './management.js';
import { QueueReader } from './queues.js';

/** One management API reading, as the API returns it (only the fields the reader uses). */
function reading(queues: Queue[], consumers: QueueConsumer[]) {
  const exchanges: Exchange[] = [{ name: 'shop', type: 'topic', arguments: {} }];
  const bindings: Binding[] = queues.map((q) => ({
    source: 'shop',
    destination: q.name,
    destination_type: 'queue',
    routing_key: '#',
    arguments: {},
  }));
  return {
    exchanges: async () => exchanges,
    queues: async () => queues,
    bindings: async () => bindings,
    consumers: async () => consumers,
    connectionsNamed: async () => new Set(['127.0.0.1:50001 -> 127.0.0.1:5672']),
  };
}

const consumer = (queue: string, tag: string, connection: string): QueueConsumer => ({
  consumer_tag: tag,
  queue: { name: queue },
  channel_details: { connection_name: connection, peer_host: '127.0.0.1' },
});

describe('RabbitMQ queues as consumers', () => {
  it("shows a queue's ready messages as lag, but a stream's count as no lag, and never Flowscope's own readers as members", async () => {
    const reader = new QueueReader('rabbitmq:test', 'test', 'flowscope-tap-', () => false);
    const api = reading(
      [
        { name: 'billing', messages_ready: 7, messages_unacknowledged: 2, arguments: {} },
        { name: 'audit', messages_ready: 5000, arguments: { 'x-queue-type': 'stream' } },
      ],
      [
        consumer('billing', 'billing-1', '127.0.0.1:40000 -> 127.0.0.1:5672'),
        consumer('audit', 'audit-app', '127.0.0.1:40001 -> 127.0.0.1:5672'),
        consumer('audit', 'flowscope-stream', '127.0.0.1:50001 -> 127.0.0.1:5672'),
      ],
    );
    const { consumers } = (await reader.read(api, new Set(['shop']), 1000)) as { consumers: Consumer[] };
    const billing = consumers.find((c) => c.id === 'billing');
    const audit = consumers.find((c) => c.id === 'audit');
    expect(billing).toMatchObject({ lag: 7, channels: [{ lag: 7, unacked: 2 }] });
    expect(billing?.members.map((m) => m.clientId)).toEqual(['billing-1']);
    // A stream keeps what it delivered: 5000 retained messages are not 5000 waiting.
    expect(audit).toMatchObject({ lag: null, history: [] });
    expect(audit?.members.map((m) => m.clientId)).toEqual(['audit-app']);
  });
});
