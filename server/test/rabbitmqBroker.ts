import { randomBytes } from 'node:crypto';
import { connect, type ChannelModel, type ConfirmChannel, type Message, type Options } from 'amqplib';
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

/**
 * What of Flowscope is still on the broker once it had time to notice a stop: a closed connection
 * leaves the management API's lists within a statistics sample, so this waits up to 10 s for them
 * to be empty and returns what is left then (an empty list, or what a leak left).
 */
export async function leftOnBroker(): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = await flowscopeOnBroker();
    if (now.length === 0 || Date.now() > deadline) return now;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The messages waiting in a queue, exact (a passive declare, not the API's sampled statistics). */
export async function queueDepth(rabbit: TestRabbit, queue: string): Promise<number> {
  return (await (await rabbit.channel()).checkQueue(queue)).messageCount;
}

/**
 * The applications' side, through amqplib: one confirm channel, opened again (with its
 * connection, when that went too: a broker restart test takes it down) whenever it was closed.
 */
export class TestRabbit {
  private model?: Promise<ChannelModel>;
  private ch?: Promise<ConfirmChannel>;
  private readonly returned: ((msg: Message) => void)[] = [];

  /** A live channel: a 404 closes an AMQP channel, and a test goes on with a new one. */
  channel(): Promise<ConfirmChannel> {
    this.model ??= connect(AMQP_URL, { clientProperties: { connection_name: 'flowscope-test-app' } }).then((m) => {
      m.on('error', () => undefined);
      m.on('close', () => {
        this.model = undefined;
        this.ch = undefined;
      });
      return m;
    });
    const model = this.model;
    this.ch ??= model.then(async (m) => {
      const ch = await m.createConfirmChannel();
      ch.on('error', () => undefined);
      ch.on('close', () => {
        if (this.model === model) this.ch = undefined;
      });
      ch.on('return', (msg: Message) => this.returned.forEach((f) => f(msg)));
      return ch;
    });
    const ch = this.ch;
    ch.catch(() => {
      if (this.ch === ch) this.ch = undefined;
      if (this.model === model) this.model = undefined;
    });
    return ch;
  }

  /** Publishes and waits for the broker's confirm. */
  async publish(exchange: string, routingKey: string, body: string | Buffer, options: Options.Publish = {}) {
    const ch = await this.channel();
    await new Promise<void>((resolve, reject) =>
      ch.publish(exchange, routingKey, Buffer.from(body), options, (err: unknown) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
      ),
    );
  }

  /** Mandatory publishes that came back (basic.return). */
  onReturn(f: (msg: Message) => void) {
    this.returned.push(f);
  }

  /** Whether the connection is open (after a broker restart, once it came back). */
  async ready(): Promise<boolean> {
    return this.channel().then(
      () => true,
      () => false,
    );
  }

  async close() {
    const model = this.model;
    this.model = undefined;
    this.ch = undefined;
    await (await model?.catch(() => undefined))?.close().catch(() => undefined);
  }
}

export const testConnection = () => new TestRabbit();

/** A TCP forwarder to 127.0.0.1:5672, listening on `port` only once opened. */
export const amqpForwarder = (port: number) => tcpForwarder(port, '127.0.0.1:5672');
