import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type * as RedisModule from 'redis';
import type { Consumer } from '@flowscope/shared';
import type { EventSource, SourceProblem, SourceSink } from '../contract.js';
import type { ConsumerReader } from '../plugin.js';
import { compareIds, DEFAULT_PAYLOAD_FIELDS, readReply, streamInfo, trimmedGap, type StreamInfo } from './entries.js';
import { describeRedisError } from './errors.js';
import { StreamLag } from './lag.js';
import { StreamGroupReader } from './groups.js';
import { PubSubBatcher } from './pubsub.js';
import { redisStart, startId, type StartPosition } from './startPosition.js';
import { matchStreams, scanPattern } from './streams.js';

export type RedisSourceOptions = {
  /** Name shown in the UI and used in event ids. */
  readonly cluster: string;
  /** `redis://[user@]host:port[/db]`; a password here or in `password` never reaches `target` or logs. */
  readonly url: string;
  readonly password?: string;
  /** Exact stream keys, globs (`orders:*`) or `/regex/` strings. */
  readonly streams: readonly string[];
  readonly from: StartPosition;
  /** Per-stream start positions, overriding `from`. */
  readonly start?: Readonly<Record<string, StartPosition>>;
  /** Fields whose value is the payload, the first present wins (default payload, data, event, message). */
  readonly payloadFields?: readonly string[];
  /** Consumer group name → the service it is drawn as (default: the group name). */
  readonly groupServices?: Readonly<Record<string, string>>;
  /** How often consumer groups are read, in ms; 0 turns it off (default 10 s). */
  readonly groupRefreshMs?: number;
  /** How often keys are scanned for matching streams, in ms (default 5 s). */
  readonly streamRefreshMs?: number;
  /** Pub/Sub channel patterns (PSUBSCRIBE globs) to tap as well; none by default (opt-in). */
  readonly pubsub?: readonly string[];
};

type Client = {
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
  sendCommand(args: string[], options?: object): Promise<unknown>;
  pSubscribe(patterns: string[], listener: (message: Buffer, channel: Buffer) => void, bufferMode: true): Promise<void>;
  readonly isOpen: boolean;
};

/** Commands this source may send: reads only (its connections' setup aside). */
const READ_COMMANDS = new Set(['XREAD', 'XINFO', 'XRANGE', 'SCAN']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** host:port of a Redis URL, without user or password. */
export function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'an invalid Redis URL';
  }
}

/**
 * Tails Redis streams read-only with `XREAD BLOCK` on a dedicated connection: no consumer group,
 * no XACK, nothing written. Keys are scanned (`SCAN … TYPE stream`) at a bounded rate on a second
 * connection, which also reads `XINFO` for trims and consumer groups. The last id read per stream
 * is kept here, so a new connection resumes exactly where the last one stopped.
 */
export class RedisSource implements EventSource {
  readonly id: string;
  readonly broker = 'redis' as const;
  readonly cluster: string;
  readonly target: string;
  readonly servers: readonly string[];
  /** Its connections' name (CLIENT LIST), so they can be told from applications'. */
  readonly connectionName = `flowscope-tap-${randomBytes(4).toString('hex')}`;
  private sink?: SourceSink;
  private redis?: typeof RedisModule;
  private reader?: Client;
  private admin?: Client;
  private subscriber?: Client;
  private pubsub?: PubSubBatcher;
  /** Stream → the last id read (XREAD reads after it). */
  private readonly positions = new Map<string, string>();
  /** Stream → how many of its entries, ever added, are at or before its position. */
  private readonly known = new Map<string, number>();
  private streams: string[] = [];
  private initialKeys?: Set<string>;
  private problem?: SourceProblem;
  private readonly commands = new Map<string, number>();
  private readonly startedAt = Date.now();
  private stopped = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private groupReader?: StreamGroupReader;
  private readonly lag = new StreamLag();

  constructor(
    private readonly options: RedisSourceOptions,
    private readonly log: Logger,
  ) {
    this.cluster = options.cluster;
    this.id = `redis:${options.cluster}`;
    this.servers = [redisAddress(options.url)];
    const pubsub = options.pubsub?.length ? ` · Pub/Sub ${options.pubsub.join(', ')}` : '';
    this.target = `${this.servers[0]} · ${options.streams.join(', ')}${pubsub}`;
  }

  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    this.redis = await import('redis');
    if (this.stopped) return;
    sink.state('connecting');
    this.running = this.session();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.closeClients();
    await this.running;
  }

  /** Commands sent by this source, by name (`XINFO GROUPS`, `XREAD`, …): what read-only means, observable. */
  commandCounts(): Record<string, number> {
    return Object.fromEntries(this.commands);
  }

  consumerReader(everyMs: number): ConsumerReader {
    this.groupReader ??= new StreamGroupReader(
      this.id,
      this.cluster,
      (group) => this.options.groupServices?.[group] ?? group,
    );
    const reader = this.groupReader;
    return { everyMs, read: (now) => this.readGroups(reader, now) };
  }

  private async readGroups(reader: StreamGroupReader, now: number): Promise<Consumer[]> {
    const admin = this.admin;
    if (!admin || this.stopped) return [];
    return reader.read((args) => this.call(admin, args), this.streams, now);
  }

  private client(): Client {
    const { createClient } = this.redis as typeof RedisModule;
    const client = createClient({
      url: this.options.url,
      ...(this.options.password ? { password: this.options.password } : {}),
      name: this.connectionName,
      RESP: 2,
      socket: { connectTimeout: 3000, reconnectStrategy: false },
    }) as unknown as Client;
    // Failures reach the pending command; the event alone would crash the process.
    client.on('error', (err) => this.log.debug({ err: err.message }, 'redis connection error'));
    return client;
  }

  private async call(client: Client, args: string[]): Promise<unknown> {
    const name = args[0] === 'XINFO' ? `XINFO ${args[1]}` : (args[0] ?? '');
    if (!READ_COMMANDS.has(args[0] ?? '')) throw new Error(`${name} is not a read; Flowscope never sends it`);
    this.commands.set(name, (this.commands.get(name) ?? 0) + 1);
    const { RESP_TYPES } = this.redis as typeof RedisModule;
    return client.sendCommand(args, { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } });
  }

  /** One connection's life: connect, then scan and read until it fails or the source stops; then retry. */
  private async session(): Promise<void> {
    let connected = false;
    try {
      this.reader = this.client();
      this.admin = this.client();
      await Promise.all([this.reader.connect(), this.admin.connect()]);
      connected = true;
      this.failures = 0;
      await this.subscribe();
      await this.readLoop(this.reader, this.admin);
    } catch (err) {
      if (this.stopped) return;
      if (connected) this.pubsub?.lost(Date.now());
      this.closeClients();
      this.failures += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6));
      const problem = describeRedisError(err, this.servers[0] ?? '');
      this.report(connected ? 'reconnecting' : 'disconnected', {
        ...problem,
        hint: `${problem.hint} Retrying in ${Math.max(1, Math.round(delay / 1000))} s; reading resumes after the last entry seen.`,
      });
      this.timer = setTimeout(() => {
        if (!this.stopped) this.running = this.session();
      }, delay);
    }
  }

  private async readLoop(reader: Client, admin: Client) {
    const every = this.options.streamRefreshMs ?? 5000;
    let scannedAt = 0;
    while (!this.stopped) {
      if (this.subscriber && !this.subscriber.isOpen) throw new Error('The Pub/Sub connection closed');
      if (Date.now() - scannedAt >= every) {
        await this.discover(admin);
        scannedAt = Date.now();
        this.report('connected', this.problem);
        this.sendLag();
      }
      const streams = this.streams;
      if (streams.length === 0) {
        await sleep(Math.min(every, 1000));
        continue;
      }
      const ids = streams.map((s) => this.positions.get(s) ?? '0-0');
      const block = String(Math.max(100, Math.min(1000, every)));
      const reply = await this.call(reader, ['XREAD', 'COUNT', '1000', 'BLOCK', block, 'STREAMS', ...streams, ...ids]);
      if (this.stopped) return;
      // One XREAD reply is one batch, in stream order per key.
      const read = readReply(reply, this.options.payloadFields ?? DEFAULT_PAYLOAD_FIELDS);
      const batch = read.flatMap(({ stream, records }) => {
        const last = records.at(-1)?.messageId;
        if (last) {
          this.positions.set(stream, last);
          this.known.set(stream, (this.known.get(stream) ?? 0) + records.length);
        }
        return records;
      });
      // Awaited: the next XREAD waits until ingest has taken this reply.
      if (batch.length > 0) await this.sink?.records(batch);
      for (const stream of streams) {
        const got = read.find((r) => r.stream === stream)?.records.length ?? 0;
        this.lag.read(stream, this.known.get(stream) ?? 0, got < 1000);
      }
      if (this.lag.due(Date.now())) this.sendLag();
    }
  }

  private sendLag() {
    if (!this.stopped) this.sink?.lag(this.lag.reading(this.streams, this.positions, this.known));
  }

  /** Scans for matching streams, gives new ones a start position, and records entries trimmed before they were read. */
  private async discover(admin: Client) {
    const keys = await this.scan(admin);
    const { matched, missing } = matchStreams(this.options.streams, keys);
    this.initialKeys ??= new Set(keys);
    for (const stream of matched) {
      const info = streamInfo(await this.call(admin, ['XINFO', 'STREAM', stream]));
      if (!this.positions.has(stream)) await this.place(admin, stream, info);
      const trimmed = trimmedGap(stream, info, this.positions.get(stream) ?? '0-0', this.known.get(stream) ?? 0);
      if (trimmed) {
        this.known.set(stream, trimmed.known);
        this.sink?.gap(trimmed.gap);
      }
      this.lag.info(stream, info, this.known.get(stream) ?? 0);
    }
    this.streams = matched;
    this.problem =
      missing.length > 0
        ? {
            reason: 'topic-not-found',
            message: `No stream matches ${missing.map((m) => `"${m}"`).join(', ')} on ${this.servers[0]}.`,
            hint: 'Flowscope never creates streams. It starts reading as soon as a matching stream exists; check the name or --streams.',
          }
        : undefined;
  }

  /** Where a stream starts: as configured when it existed at start, from its first entry when it appeared later. */
  private async place(admin: Client, stream: string, info: StreamInfo) {
    const position: StartPosition = this.initialKeys?.has(stream)
      ? (this.options.start?.[stream] ?? this.options.from)
      : { kind: 'earliest' };
    const id = startId(position, info.lastId, this.startedAt);
    this.positions.set(stream, id);
    this.known.set(stream, await this.countUpTo(admin, stream, id, info));
    this.log.info(
      { stream, from: redisStart.describe(position) },
      `reading ${stream} from ${redisStart.describe(position)}`,
    );
  }

  /**
   * Entries ever added to `stream` at or before `id`. Unknown for deleted entries when the oldest
   * entry left is after `id`: then they count as before it (no gap is claimed for them).
   */
  private async countUpTo(admin: Client, stream: string, id: string, info: StreamInfo): Promise<number> {
    const deleted = info.entriesAdded - info.length;
    if (id === '0-0') return 0;
    if (compareIds(id, info.lastId) >= 0) return info.entriesAdded;
    if (info.firstId === undefined || compareIds(info.firstId, id) > 0) return deleted;
    let count = 0;
    let from = '-';
    for (;;) {
      const page = (await this.call(admin, ['XRANGE', stream, from, id, 'COUNT', '1000'])) as unknown[][];
      count += page.length;
      const last = page.at(-1)?.[0];
      if (page.length < 1000 || !last) return deleted + count;
      from = `(${String(last)}`;
    }
  }

  private async scan(admin: Client): Promise<string[]> {
    const keys = new Set<string>();
    const match = scanPattern(this.options.streams);
    let cursor = '0';
    do {
      const [next, page] = (await this.call(admin, [
        'SCAN',
        cursor,
        'MATCH',
        match,
        'COUNT',
        '1000',
        'TYPE',
        'stream',
      ])) as [Buffer, Buffer[]];
      cursor = String(next);
      for (const key of page) keys.add(String(key));
    } while (cursor !== '0' && !this.stopped);
    return [...keys];
  }

  /** Pub/Sub (opt-in) on a connection of its own; a window without it is a gap. */
  private async subscribe() {
    const patterns = this.options.pubsub ?? [];
    if (patterns.length === 0) return;
    this.pubsub ??= new PubSubBatcher(this.connectionName, (batch) => {
      if (!this.stopped) void this.sink?.records(batch);
    });
    this.subscriber = this.client();
    await this.subscriber.connect();
    this.commands.set('PSUBSCRIBE', (this.commands.get('PSUBSCRIBE') ?? 0) + 1);
    await this.subscriber.pSubscribe([...patterns], this.pubsub.onMessage, true);
    const gap = this.pubsub.resumed(Date.now(), patterns);
    if (gap) this.sink?.gap(gap);
  }

  private closeClients() {
    for (const c of [this.reader, this.admin, this.subscriber]) {
      try {
        c?.destroy();
      } catch {
        // already closed
      }
    }
    this.reader = undefined;
    this.admin = undefined;
    this.subscriber = undefined;
  }

  private report(state: 'connected' | 'disconnected' | 'reconnecting', problem?: SourceProblem) {
    if (!this.stopped) this.sink?.state(state, problem);
  }
}
