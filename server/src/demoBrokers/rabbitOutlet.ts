import { connect, type Channel, type ChannelModel } from 'amqplib';
import { NameTaken } from './errors.js';
import type { AmqpMessage } from './messages.js';
import type { ShopQueue } from './routes.js';

/**
 * The shop's publisher on RabbitMQ: a topic exchange per channel, and the order service's queue
 * bound to them and read (Flowscope's mirror-mode tap copies those bindings). Exchanges are auto-delete and
 * queues exclusive, so even a demo that is killed leaves nothing behind once its connection and
 * the tap are gone; a clean stop deletes them at once. Names already in use are refused, so that
 * nothing of someone else's is ever bound to, published to or deleted.
 */
export class RabbitOutlet {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly exchanges: readonly string[],
    private readonly queues: readonly ShopQueue[],
  ) {}

  static async open(url: string, exchanges: readonly string[], queues: readonly ShopQueue[]): Promise<RabbitOutlet> {
    const connection = await connect(url, { clientProperties: { connection_name: 'flowscope-demo-shop' } });
    connection.on('error', () => undefined); // a lost connection fails the next publish, which is reported
    try {
      for (const exchange of exchanges)
        if (await exists(connection, (ch) => ch.checkExchange(exchange)))
          throw new NameTaken('RabbitMQ exchange', exchange);
      for (const queue of queues)
        if (await exists(connection, (ch) => ch.checkQueue(queue.name)))
          throw new NameTaken('RabbitMQ queue', queue.name);
      const channel = await connection.createChannel();
      for (const exchange of exchanges)
        await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
      for (const queue of queues) {
        await channel.assertQueue(queue.name, { exclusive: true, durable: false });
        for (const b of queue.bindings) await channel.bindQueue(queue.name, b.exchange, b.key);
        // The service reads its queue (the shop reacts in memory), so messages do not pile up.
        await channel.consume(queue.name, () => undefined, { noAck: true });
      }
      return new RabbitOutlet(connection, channel, exchanges, queues);
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  async publish(exchange: string, message: AmqpMessage): Promise<void> {
    this.channel.publish(exchange, message.routingKey, message.content, message.properties);
  }

  /** Deletes the queues and exchanges it declared, then closes the connection. */
  async close(): Promise<void> {
    try {
      for (const queue of this.queues) await this.channel.deleteQueue(queue.name);
      for (const exchange of this.exchanges) await this.channel.deleteExchange(exchange);
    } finally {
      await this.connection.close().catch(() => undefined);
    }
  }
}

/** Whether a passive declare succeeds; a failed one closes its channel, so each gets its own. */
async function exists(connection: ChannelModel, check: (ch: Channel) => Promise<unknown>): Promise<boolean> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    await check(channel);
    await channel.close();
    return true;
  } catch {
    return false;
  }
}
