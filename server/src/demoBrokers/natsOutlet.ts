import { DiscardPolicy, jetstream, jetstreamManager, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { NameTaken } from './errors.js';
import type { NatsMessage } from './messages.js';
import type { ShopStream } from './routes.js';

/** Messages kept per stream, oldest dropped first: the demo runs for hours without growing NATS. */
const MAX_MESSAGES = 10_000;

/**
 * The shop's publisher on NATS: JetStream streams of its own (in memory, limits retention),
 * refused when the name exists, published to with acknowledgements, deleted on close.
 */
export class NatsOutlet {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly streams: readonly ShopStream[],
  ) {}

  static async open(url: string, streams: readonly ShopStream[]): Promise<NatsOutlet> {
    const connection = await connect({ servers: url, name: 'flowscope-demo-shop', timeout: 3000 });
    try {
      const jsm = await jetstreamManager(connection).catch((err: unknown) => {
        throw new Error(`NATS at ${url} has no JetStream (${(err as Error).message}): start nats-server with -js`);
      });
      const existing = new Set<string>();
      for await (const name of jsm.streams.names()) existing.add(name);
      for (const s of streams) if (existing.has(s.name)) throw new NameTaken('NATS JetStream stream', s.name);
      for (const s of streams)
        await jsm.streams.add({
          name: s.name,
          subjects: [...s.subjects],
          storage: StorageType.Memory,
          max_msgs: MAX_MESSAGES,
          discard: DiscardPolicy.Old,
        });
      return new NatsOutlet(connection, jetstream(connection), jsm, streams);
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  /** Resolves once the stream has stored the message. */
  async publish(subject: string, message: NatsMessage): Promise<void> {
    const h = natsHeaders();
    for (const [name, value] of Object.entries(message.headers)) h.set(name, value);
    await this.js.publish(subject, message.body, { headers: h });
  }

  /** Deletes the streams it created, then closes the connection. */
  async close(): Promise<void> {
    try {
      for (const s of this.streams) await this.jsm.streams.delete(s.name);
    } finally {
      await this.connection.close().catch(() => undefined);
    }
  }
}
