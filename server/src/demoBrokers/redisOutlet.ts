import { createClient } from 'redis';
import { NameTaken } from './errors.js';

/** Entries kept per stream (approximately): the demo runs for hours without growing Redis. */
const MAX_ENTRIES = 10_000;
/** A stream the demo stopped writing to expires after this, should a killed demo leave it. */
const IDLE_EXPIRY_S = 600;

const newClient = (url: string) =>
  createClient({ url, name: 'flowscope-demo-shop', socket: { connectTimeout: 3000, reconnectStrategy: false } });

/** The shop's writer on Redis Streams: `XADD` to streams of its own, refused when the key exists. */
export class RedisOutlet {
  private constructor(
    private readonly client: ReturnType<typeof newClient>,
    private readonly streams: readonly string[],
  ) {}

  static async open(url: string, streams: readonly string[]): Promise<RedisOutlet> {
    const client = newClient(url);
    client.on('error', () => undefined); // a lost connection fails the next write, which is reported
    await client.connect();
    try {
      for (const stream of streams) if ((await client.exists(stream)) > 0) throw new NameTaken('Redis key', stream);
    } catch (err) {
      client.destroy();
      throw err;
    }
    return new RedisOutlet(client, streams);
  }

  async publish(stream: string, fields: Record<string, string>): Promise<void> {
    await this.client
      .multi()
      .xAdd(stream, '*', fields, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: MAX_ENTRIES } })
      .expire(stream, IDLE_EXPIRY_S)
      .exec();
  }

  /** Deletes the streams it wrote, then closes the connection. */
  async close(): Promise<void> {
    try {
      await this.client.del([...this.streams]);
    } finally {
      this.client.destroy();
    }
  }
}
