import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { RawRecord, SourceGap } from '../contract.js';
import { streamRecord } from './records.js';
import { offsetArgument, type StreamStart } from './streamPosition.js';

/** Stream consumers must ask for credit; acking only gives it back (nothing is taken from a stream). */
const STREAM_PREFETCH = 1000;

export type StreamReaderOptions = {
  readonly from: StreamStart;
  readonly start?: Readonly<Record<string, StreamStart>>;
  /** When the source started: `ago` positions count back from it. */
  readonly startedAt: number;
  readonly record: (r: RawRecord) => void;
  readonly gap: (g: SourceGap) => void;
  readonly log: Logger;
};

type Reading = { readonly model: ChannelModel; readonly channel: Channel; closed: boolean };

/**
 * Reads RabbitMQ streams (`x-queue-type: stream`) by offset: one channel per stream, basic.consume
 * with `x-stream-offset` and a prefetch, each entry acked (a stream keeps it for every reader).
 * Positions outlive connections: after a reconnect each stream resumes after the last entry seen,
 * and entries trimmed meanwhile are recorded as a gap. Never declares a stream.
 */
export class StreamReader {
  private readonly reading = new Map<string, Reading>();
  /** The next offset to read per stream, once one was seen. */
  private readonly next = new Map<string, number>();
  /** Streams opened at an exact offset: the first entry tells whether older ones were trimmed. */
  private readonly expected = new Map<string, number>();

  constructor(private readonly options: StreamReaderOptions) {}

  /** Streams being read now. */
  names(): string[] {
    return [...this.reading.keys()];
  }

  /** Starts reading `stream` on a channel of its own (a failure there closes only that channel). */
  async open(model: ChannelModel, stream: string): Promise<void> {
    if (this.reading.has(stream)) return;
    const channel = await model.createChannel();
    const reading: Reading = { model, channel, closed: false };
    this.reading.set(stream, reading);
    const forget = () => {
      reading.closed = true;
      if (this.reading.get(stream) === reading) this.reading.delete(stream);
    };
    channel.on('error', (err: Error) =>
      this.options.log.debug({ err: err.message, stream }, 'rabbitmq stream channel'),
    );
    channel.on('close', forget);
    try {
      await channel.prefetch(STREAM_PREFETCH);
      const offset = this.offsetFor(stream);
      await channel.consume(stream, (msg) => this.guarded(stream, reading, msg), {
        noAck: false,
        arguments: { 'x-stream-offset': offset },
      });
    } catch (err) {
      forget();
      await channel.close().catch(() => undefined);
      throw err;
    }
  }

  /** Stops reading streams no longer wanted (their positions are kept, should they come back). */
  async closeExcept(wanted: ReadonlySet<string>): Promise<void> {
    for (const [stream, r] of [...this.reading])
      if (!wanted.has(stream)) {
        this.reading.delete(stream);
        r.closed = true;
        await r.channel.close().catch(() => undefined);
      }
  }

  /** The connection went: its channels went with it. Positions stay for the next one. */
  dropAll(): void {
    for (const r of this.reading.values()) r.closed = true;
    this.reading.clear();
  }

  private offsetFor(stream: string) {
    const resume = this.next.get(stream);
    const position = resume !== undefined ? undefined : (this.options.start?.[stream] ?? this.options.from);
    if (position?.kind === 'offset') this.expected.set(stream, Number(position.offset));
    if (resume !== undefined) this.expected.set(stream, resume);
    return resume !== undefined
      ? { '!': 'long' as const, value: resume }
      : offsetArgument(position ?? this.options.from, this.options.startedAt);
  }

  /** A throw in a consumer callback would reach amqplib's socket handler and close the connection. */
  private guarded(stream: string, reading: Reading, msg: ConsumeMessage | null) {
    try {
      this.take(stream, reading, msg);
    } catch (err) {
      this.options.log.warn(
        { err: err instanceof Error ? err.message : String(err), stream },
        'rabbitmq entry not read',
      );
    }
  }

  private take(stream: string, reading: Reading, msg: ConsumeMessage | null) {
    // null: the server cancelled the consumer (the stream was deleted); the next plan says so.
    if (msg === null) {
      reading.closed = true;
      if (this.reading.get(stream) === reading) this.reading.delete(stream);
      void reading.channel.close().catch(() => undefined);
      return;
    }
    if (reading.closed) return;
    try {
      reading.channel.ack(msg);
    } catch {
      return; // the channel closed under us: its entries are read again after the last one seen
    }
    const offset = Number(msg.properties.headers?.['x-stream-offset']);
    if (!Number.isSafeInteger(offset)) return;
    // A stream sends whole chunks: entries before the one asked for (or already seen) come too.
    const next = this.next.get(stream) ?? this.expected.get(stream);
    if (next !== undefined && offset < next) return;
    this.checkTrimmed(stream, reading.model, offset);
    this.next.set(stream, offset + 1);
    this.options.record(streamRecord(msg, stream, offset));
  }

  /**
   * The first entry after opening at an exact offset came later than asked. Offsets are not all
   * messages (each segment starts with a tracking entry), so only the stream's first retained
   * offset tells whether entries were removed by retention before Flowscope read them.
   */
  private checkTrimmed(stream: string, model: ChannelModel, offset: number) {
    const expected = this.expected.get(stream);
    if (expected === undefined) return;
    this.expected.delete(stream);
    if (offset <= expected) return;
    void firstOffset(model, stream)
      .then((first) => {
        if (first === undefined || first <= expected) return;
        const until = Math.min(first, offset) - 1;
        this.options.gap({
          reason: 'trimmed',
          channel: stream,
          fromOffset: String(expected),
          untilOffset: String(until),
          detail: `Stream ${stream}: offsets ${expected} to ${until} were removed by its retention before Flowscope read them.`,
        });
      })
      .catch((err: unknown) => this.options.log.debug({ err, stream }, 'rabbitmq stream first offset'));
  }
}

/** The offset of a stream's first retained entry: one entry read from `first` on a channel of its own. */
async function firstOffset(model: ChannelModel, stream: string): Promise<number | undefined> {
  const channel = await model.createChannel();
  channel.on('error', () => undefined);
  try {
    await channel.prefetch(1);
    const first = new Promise<number | undefined>((resolve) => {
      setTimeout(() => resolve(undefined), 5000).unref();
      const take = (msg: ConsumeMessage | null) =>
        resolve(msg ? Number(msg.properties.headers?.['x-stream-offset']) : undefined);
      channel
        .consume(stream, take, { noAck: false, arguments: { 'x-stream-offset': 'first' } })
        .catch(() => resolve(undefined));
    });
    return await first;
  } finally {
    await channel.close().catch(() => undefined);
  }
}
