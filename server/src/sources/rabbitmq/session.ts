import type { Channel, ChannelModel, Message } from 'amqplib';
import type { Socket } from 'node:net';
import type { TapBinding } from './bindings.js';

/** The tap queue keeps at most this much; beyond it the oldest copies are dropped, never publishes refused. */
const TAP_QUEUE_ARGS = {
  'x-max-length': 100_000,
  'x-max-length-bytes': 256 * 1024 * 1024,
  'x-overflow': 'drop-head',
};

/**
 * One connection's worth of tap: the connection, the server-named exclusive tap queue and the
 * channel consuming it (auto-ack), and a separate channel for binds. A bind to an exchange deleted
 * meanwhile makes the server close the channel it was sent on (404): only the bind channel goes,
 * and the next bind opens another, while the consumer and its exclusive queue stay.
 */
export class TapSession {
  /** The queue's bindings now, by `bindingKey`: a new queue (a new connection) starts with none. */
  readonly bound = new Map<string, TapBinding>();
  private binder?: Promise<Channel>;

  private constructor(
    readonly model: ChannelModel,
    readonly queue: string,
    /** How the server names this connection (`ip:port -> ip:port`), as the firehose reports it. */
    readonly serverName: string | undefined,
  ) {}

  /**
   * Declares the tap queue on `model` and consumes it. `lost` is called once when the consumer can
   * no longer deliver (the queue deleted, the channel closed) while the connection stays open.
   */
  static async open(
    model: ChannelModel,
    take: (msg: Message) => void,
    lost: (why: string) => void,
  ): Promise<TapSession> {
    const ch = await model.createChannel();
    ch.on('error', () => undefined); // the close that follows says it; an unheard 'error' would throw
    const { queue } = await ch.assertQueue('', {
      exclusive: true,
      autoDelete: true,
      durable: false,
      arguments: TAP_QUEUE_ARGS,
    });
    const session = new TapSession(model, queue, serverName(model));
    let gone = false;
    const once = (why: string) => {
      if (!gone) lost(why);
      gone = true;
    };
    ch.on('close', () => once('the tap channel closed'));
    await ch.consume(queue, (msg) => (msg === null ? once(`the tap queue ${queue} was deleted`) : take(msg)), {
      noAck: true,
    });
    return session;
  }

  async bind(key: string, b: TapBinding): Promise<void> {
    await (await this.bindChannel()).bindQueue(this.queue, b.exchange, b.routingKey, { ...b.arguments });
    this.bound.set(key, b);
  }

  async unbind(key: string, b: TapBinding): Promise<void> {
    await (await this.bindChannel()).unbindQueue(this.queue, b.exchange, b.routingKey, { ...b.arguments });
    this.bound.delete(key);
  }

  /** Closes the connection: the exclusive queue and its bindings go with it. */
  close(): Promise<void> {
    return this.model.close().catch(() => undefined);
  }

  private bindChannel(): Promise<Channel> {
    if (this.binder) return this.binder;
    const binder = this.model.createChannel().then((ch) => {
      ch.on('error', () => undefined);
      ch.on('close', () => {
        if (this.binder === binder) this.binder = undefined;
      });
      return ch;
    });
    binder.catch(() => {
      if (this.binder === binder) this.binder = undefined;
    });
    this.binder = binder;
    return binder;
  }
}

/**
 * The connection's name on the server: its socket's addresses (amqplib keeps the socket as
 * `connection.stream`, not in its types). IPv6 addresses are bracketed as RabbitMQ prints them.
 */
function serverName(model: ChannelModel): string | undefined {
  const socket = (model.connection as unknown as { stream?: Partial<Socket> }).stream;
  if (!socket?.localAddress || !socket.remoteAddress) return undefined;
  const host = (a: string) => {
    const v4 = a.replace(/^::ffff:(?=\d+\.)/, '');
    return v4.includes(':') ? `[${v4}]` : v4;
  };
  return `${host(socket.localAddress)}:${socket.localPort} -> ${host(socket.remoteAddress)}:${socket.remotePort}`;
}
