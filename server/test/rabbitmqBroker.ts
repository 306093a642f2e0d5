import { randomBytes } from 'node:crypto';
import { Connection } from 'rabbitmq-client';
import { rootLogger } from '../src/log.js';
import { RabbitSource, type RabbitSourceOptions } from '../src/sources/rabbitmq/rabbitmqSource.js';
import { tcpForwarder } from './helpers.js';

/** The machine's RabbitMQ (guest/guest) and its management API. */
export const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const MANAGEMENT = { url: 'http://127.0.0.1:15672', username: 'guest', password: 'guest' };

/** A RabbitMQ name unique to this run. */
export const unique = (what: string) => `flowscope-test-${what}-${randomBytes(3).toString('hex')}`;

export function rabbitSource(exchanges: string[], more: Partial<RabbitSourceOptions> = {}) {
  return new RabbitSource(
    {
      cluster: 'test',
      url: AMQP_URL,
      management: MANAGEMENT,
      exchanges,
      wildcard: false,
      bindingRefreshMs: 500,
      ...more,
    },
    rootLogger,
  );
}

/** GET on the management API of vhost `/`. */
export async function management<T>(path: string): Promise<T> {
  const auth = Buffer.from(`${MANAGEMENT.username}:${MANAGEMENT.password}`).toString('base64');
  const res = await fetch(`${MANAGEMENT.url}/api/${path}`, { headers: { authorization: `Basic ${auth}` } });
  if (!res.ok) throw new Error(`management API ${path}: ${res.status}`);
  return (await res.json()) as T;
}

type ApiBinding = { source: string; destination: string; destination_type: string };
type ApiQueue = { name: string; owner_pid_details?: { name?: string } };
type ApiConsumer = { queue: { name: string }; channel_details?: { connection_name?: string } };
type ApiConnection = { name: string; client_properties?: { connection_name?: string } };

/**
 * What of Flowscope is on the broker now: its connections, their queues, bindings of server-named
 * queues to the tests' exchanges (the API lists connections only after its statistics sample;
 * bindings at once), consumers on its connections.
 */
export async function flowscopeOnBroker(): Promise<string[]> {
  const connections = (await management<ApiConnection[]>('connections')).filter((c) =>
    c.client_properties?.connection_name?.startsWith('flowscope-tap-'),
  );
  const ours = new Set(connections.map((c) => c.name));
  const queues = (await management<ApiQueue[]>('queues/%2F')).filter((q) => ours.has(q.owner_pid_details?.name ?? ''));
  const bindings = (await management<ApiBinding[]>('bindings/%2F')).filter(
    (b) =>
      b.destination_type === 'queue' && b.destination.startsWith('amq.gen-') && b.source.startsWith('flowscope-test-'),
  );
  const consumers = (await management<ApiConsumer[]>('consumers/%2F')).filter((c) =>
    ours.has(c.channel_details?.connection_name ?? ''),
  );
  return [
    ...connections.map((c) => `connection ${c.client_properties?.connection_name}`),
    ...queues.map((q) => `queue ${q.name}`),
    ...bindings.map((b) => `binding ${b.source} → ${b.destination}`),
    ...consumers.map((c) => `consumer on ${c.queue.name}`),
  ];
}

/** The messages waiting in a queue, exact (a passive declare, not the API's sampled statistics). */
export async function queueDepth(rabbit: Connection, queue: string): Promise<number> {
  const { messageCount } = await rabbit.queueDeclare({ queue, passive: true });
  return messageCount;
}

/** The applications' side; it reconnects by itself (a broker restart test takes it down too). */
export const testConnection = () =>
  new Connection({ url: AMQP_URL, connectionName: 'flowscope-test-app' }).on('error', () => undefined);

/** A TCP forwarder to 127.0.0.1:5672, listening on `port` only once opened. */
export const amqpForwarder = (port: number) => tcpForwarder(port, '127.0.0.1:5672');
