import { randomBytes } from 'node:crypto';
import type { ChannelModel, Message } from 'amqplib';
import type { Logger } from 'pino';
import type { EventSource, RawRecord, SourceProblem, SourceSink } from '../contract.js';
import type { ConsumerReader } from '../plugin.js';
import { bindingKey, type TapBinding } from './bindings.js';
import { deliveredTo, fromFirehoseDelivery, fromFirehosePublish, traceConnection } from './firehose.js';
import { Management, type ManagementAccess } from './management.js';
import { joinProblems, planTap, type TapPlan } from './plan.js';
import { QueueReader } from './queues.js';
import { FIREHOSE, toRecord } from './records.js';
import { TapSession } from './session.js';
import type { StreamStart } from './streamPosition.js';
import { StreamReader } from './streams.js';

export type RabbitSourceOptions = {
  /** Name shown in the UI and used in event ids. */
  readonly cluster: string;
  /** amqp://user:password@host:port/vhost (the password is never shown). */
  readonly url: string;
  /** The management API; undefined when it is not used. */
  readonly management?: Omit<ManagementAccess, 'vhost'>;
  /** Exact exchange names, or `/regex/` strings. */
  readonly exchanges: readonly string[];
  /** Bind everything (`#`, empty headers arguments) instead of mirroring applications' bindings. */
  readonly wildcard: boolean;
  /**
   * Also bind the firehose (`amq.rabbitmq.trace`: `publish.` for publishes to the default exchange,
   * `deliver.#` for deliveries to consumers); an admin must turn tracing on (`rabbitmqctl trace_on`),
   * which costs throughput.
   */
  readonly firehose?: boolean;
  /** Streams (`x-queue-type: stream`) to read by offset: exact names, or `/regex/` strings. */
  readonly streams?: readonly string[];
  /** Where streams start when Flowscope has no position for them yet (default latest). */
  readonly from?: StreamStart;
  /** Per-stream start positions, overriding `from`. */
  readonly start?: Readonly<Record<string, StreamStart>>;
  /** How often bindings and streams are re-read, in ms (default 5 s). */
  readonly bindingRefreshMs?: number;
};

/** Connections Flowscope opens are named with this prefix (client property connection_name). */
const TAP_CONNECTION_PREFIX = 'flowscope-tap-';
/** Reconnect backoff: the first retry after 500 ms, doubling up to 5 s. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 5000;

/** The AMQP URL's parts, for messages and the management API (the password stays out of `where`). */
export function parseAmqpUrl(url: string): { where: string; username: string; password: string; vhost: string } {
  const u = new URL(url);
  const path = decodeURIComponent(u.pathname.slice(1));
  return {
    where: `${u.hostname}:${u.port || (u.protocol === 'amqps:' ? '5671' : '5672')}`,
    // RabbitMQ's defaults apply only when the URL names no user at all.
    username: u.username ? decodeURIComponent(u.username) : 'guest',
    password: u.username ? decodeURIComponent(u.password) : 'guest',
    vhost: path === '' ? '/' : path,
  };
}

type Connect = (
  url: string,
  options: { clientProperties: Record<string, unknown>; timeout: number },
) => Promise<ChannelModel>;

/**
 * Taps RabbitMQ exchanges with one queue of its own (server-named, exclusive, auto-delete,
 * non-durable, length-capped with drop-head), consumed with autoAck, and reads streams by offset:
 * applications' queues are never consumed, declared or bound. The queue goes with the connection,
 * so nothing stays. amqplib hands bodies over as bytes, untouched; it does not reconnect by itself
 * in a way stop can wait for, so the loop here does (a new tap queue per connection).
 */
export class RabbitSource implements EventSource {
  readonly id: string;
  readonly broker = 'rabbitmq' as const;
  readonly cluster: string;
  readonly target: string;
  readonly servers: readonly string[];
  readonly connectionName = `${TAP_CONNECTION_PREFIX}${randomBytes(6).toString('hex')}`;
  private readonly vhost: string;
  private readonly api?: Management;
  private session?: TapSession;
  private connect?: Connect;
  private connecting?: Promise<void>;
  private wake?: () => void;
  private sink?: SourceSink;
  private stopped = false;
  private stopping?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private busy: Promise<void> = Promise.resolve();
  private everConnected = false;
  private downSince?: number;
  /** Whether the connection that went had exchanges bound: their messages meanwhile are lost (streams resume). */
  private lostCopies = false;
  /** AMQP has no per-message position, and message_id is the producer's (often absent, not unique). */
  private readonly startedAt = Date.now();
  private delivered = 0;
  private pending: RawRecord[] = [];
  private queueReader?: QueueReader;
  private readonly streams: StreamReader;
  /** The exchanges of the last binding plan: their queues are the consumers shown. */
  private tappedExchanges: ReadonlySet<string> = new Set();
  /** Connections of Flowscope taps, as the firehose names them: their deliveries are left out. */
  private tapConnections: ReadonlySet<string> = new Set();
  /** Every tap queue this source declared (a reconnect declares a new one). */
  private readonly ownQueues = new Set<string>();

  constructor(
    private readonly options: RabbitSourceOptions,
    private readonly log: Logger,
  ) {
    const url = parseAmqpUrl(options.url);
    this.cluster = options.cluster;
    this.id = `rabbitmq:${options.cluster}`;
    this.servers = [url.where];
    this.vhost = url.vhost;
    // The status shows what a wildcard tap changes for applications, where people look.
    const mode = options.wildcard
      ? 'wildcard: unroutable messages no longer reach alternate exchanges, mandatory publishes are not returned'
      : 'mirror';
    const streams = options.streams?.length ? ` · streams ${options.streams.join(', ')}` : '';
    this.target = `${url.where} ${url.vhost} · ${options.exchanges.join(', ')} (${mode})${streams}`;
    if (options.management) this.api = new Management({ ...options.management, vhost: url.vhost });
    this.streams = new StreamReader({
      from: options.from ?? { kind: 'latest' },
      ...(options.start ? { start: options.start } : {}),
      startedAt: this.startedAt,
      record: (r) => this.emit(r),
      gap: (g) => this.sink?.gap(g),
      log,
    });
  }

  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    sink.state('connecting');
    const { connect } = await import('amqplib');
    if (this.stopped) return; // stopped while the client was loading
    this.connect = connect;
    this.connecting = this.connectLoop();
  }

  async stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  /** Nothing: the tap queue is exclusive and auto-delete, so the broker removes it with the connection. */
  leftovers(): string[] {
    return [];
  }

  consumerReader(everyMs: number): ConsumerReader | undefined {
    const api = this.api;
    if (!api) return undefined;
    this.queueReader ??= new QueueReader(this.id, this.cluster, TAP_CONNECTION_PREFIX, (q) => this.ownQueues.has(q));
    const reader = this.queueReader;
    return { everyMs, read: async (now) => (this.stopped ? [] : reader.read(api, this.tappedExchanges, now)) };
  }

  private async close() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.connecting;
    await this.busy;
    await this.session?.close();
    this.streams.dropAll();
    this.pending = [];
  }

  /** Connects until it works or the source stops, waiting 500 ms, 1 s, 2 s, … 5 s between tries. */
  private async connectLoop() {
    for (let delay = RETRY_FIRST_MS; !this.stopped; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        await this.open();
        return;
      } catch (err) {
        this.down(err);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  private async open() {
    if (!this.connect) return;
    const model = await this.connect(this.options.url, {
      clientProperties: { connection_name: this.connectionName },
      timeout: 5000,
    });
    model.on('error', (err: Error) => this.log.debug({ err: err.message }, 'rabbitmq tap connection'));
    model.on('close', (err?: Error) => this.closed(model, err));
    try {
      if (this.stopped) throw new Error('stopped');
      const session = await TapSession.open(
        model,
        (msg) => this.take(msg),
        // The consumer cannot go on without its queue: start over on a new connection. Later, so
        // that when the whole connection went, its own close (with the reason) is reported instead.
        (why) =>
          setImmediate(() => {
            this.closed(model, new Error(why));
            void model.close().catch(() => undefined);
          }),
      );
      if (this.stopped) throw new Error('stopped');
      this.session = session;
      this.ownQueues.add(session.queue);
      // A new queue (first start or after a reconnect): no bindings yet, and streams resume.
      this.sync();
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
  }

  /** The connection closed: unless stopping, report it and connect again (with a new tap queue). */
  private closed(model: ChannelModel, err?: Error) {
    if (this.session?.model !== model) return;
    this.lostCopies ||= this.session.bound.size > 0;
    this.session = undefined;
    this.streams.dropAll();
    if (this.stopped) return;
    this.down(err ?? new Error('the connection closed'));
    this.connecting = this.connectLoop();
  }

  private take(msg: Message) {
    if (this.stopped) return;
    try {
      const record = this.toRecord(msg);
      if (record) this.emit(record);
    } catch (err) {
      // A throw here would reach amqplib's socket handler and close the connection.
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'rabbitmq message not read');
    }
  }

  private toRecord(msg: Message): RawRecord | undefined {
    const id = () => `${this.startedAt}-${++this.delivered}`;
    if (msg.fields.exchange !== FIREHOSE) return toRecord(msg, id());
    const queue = deliveredTo(msg);
    if (queue === undefined) return fromFirehosePublish(msg, id());
    // Deliveries to Flowscope itself (its tap queues, its stream readers, other taps) are not applications'.
    const connection = traceConnection(msg);
    if (this.ownQueues.has(queue)) return undefined;
    if (connection && (connection === this.session?.serverName || this.tapConnections.has(connection)))
      return undefined;
    return fromFirehoseDelivery(msg, id(), queue);
  }

  /** Messages that arrive together (one socket read) go to ingest as one batch. */
  private emit(record: RawRecord) {
    if (this.stopped) return;
    this.pending.push(record);
    if (this.pending.length === 1)
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        if (batch.length > 0 && !this.stopped) void this.sink?.records(batch);
      });
  }

  private down(err: unknown) {
    if (this.stopped) return;
    this.downSince ??= Date.now();
    const problem = describeRabbitError(err, this.servers[0] ?? '', this.vhost);
    this.log.debug({ err: problem.message }, 'rabbitmq tap down');
    this.report(this.everConnected ? 'reconnecting' : 'disconnected', problem);
  }

  /** Re-reads exchanges, bindings and streams, then binds and reads what applications started using, and stops what they stopped using. */
  private sync() {
    clearTimeout(this.timer);
    this.busy = this.busy.then(async () => {
      const session = this.session;
      if (this.stopped || !session) return;
      try {
        await this.apply(session);
      } catch (err) {
        // A refused bind or a stream that went meanwhile, on a live connection, is no outage: no gap.
        if (this.session === session && this.everConnected && this.downSince === undefined)
          this.report('connected', {
            reason: 'internal',
            message: `Could not update the tap: ${err instanceof Error ? err.message : String(err)}`,
            hint: 'Flowscope reads the bindings and streams again in a few seconds.',
          });
        else if (this.session === session) this.down(err);
      }
      clearTimeout(this.timer);
      if (!this.stopped) this.timer = setTimeout(() => this.sync(), this.options.bindingRefreshMs ?? 5000);
    });
  }

  private async apply(session: TapSession) {
    const plan = await planTap({
      ...(this.api ? { api: this.api } : {}),
      vhost: this.vhost,
      exchanges: this.options.exchanges,
      streams: this.options.streams ?? [],
      wildcard: this.options.wildcard,
      firehose: this.options.firehose ?? false,
      ownQueue: session.queue,
      connectionPrefix: TAP_CONNECTION_PREFIX,
    });
    if (this.api) this.tappedExchanges = new Set(plan.exchanges);
    this.tapConnections = plan.tapConnections;
    await this.applyBindings(session, plan.bindings);
    await this.applyStreams(session, plan);
    if (this.session !== session) return;
    if (this.downSince !== undefined && this.everConnected && this.lostCopies) this.recordDowntime(this.downSince);
    this.downSince = undefined;
    this.lostCopies = false;
    this.everConnected = true;
    this.report('connected', joinProblems(plan.problems));
  }

  private async applyBindings(session: TapSession, bindings: readonly TapBinding[]) {
    const wanted = new Map(bindings.map((b) => [bindingKey(b), b]));
    for (const [key, b] of wanted) if (!session.bound.has(key)) await session.bind(key, b);
    for (const [key, b] of session.bound)
      // An application dropped this binding: keeping it would make its messages routable.
      if (!wanted.has(key)) await session.unbind(key, b);
  }

  private async applyStreams(session: TapSession, plan: TapPlan) {
    const wanted = new Set(plan.streams);
    await this.streams.closeExcept(wanted);
    for (const stream of wanted) if (this.session === session) await this.streams.open(session.model, stream);
  }

  private recordDowntime(from: number) {
    const until = Date.now();
    const streams = this.streams.names().length > 0 ? ' Streams resume after the last entry read.' : '';
    this.sink?.gap({
      reason: 'not-running',
      from,
      until,
      detail: `The RabbitMQ tap on ${this.cluster} was down from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; messages published to its exchanges in that window were not copied to it (AMQP keeps no history to read back).${streams}`,
    });
  }

  private report(state: 'connected' | 'disconnected' | 'reconnecting', problem?: SourceProblem) {
    if (!this.stopped) this.sink?.state(state, problem);
  }
}

function describeRabbitError(err: unknown, where: string, vhost: string): SourceProblem {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | undefined)?.code;
  const all = `${typeof code === 'string' ? code : ''} ${text}`;
  if (/ACCESS[-_]REFUSED|auth|PLAIN/i.test(all))
    return {
      reason: 'auth-failed',
      message: `RabbitMQ at ${where} refused the credentials: ${text}`,
      hint: 'Check the user name and password in --rabbitmq (or rabbitmq.password in the config file).',
    };
  // amqplib reports a refused connection.open (no such vhost, no permission) without the reason.
  if (/NOT[-_]ALLOWED|Expected ConnectionOpenOk/.test(all))
    return {
      reason: 'misconfigured',
      message: `RabbitMQ at ${where} did not open virtual host ${vhost}: it does not exist, or the user may not use it (${text}).`,
      hint: "Check the vhost in the --rabbitmq URL (amqp://host:5672/<vhost>, %2F for /) and the user's permissions on it.",
    };
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|timeout|CONNECTION|closed|socket/i.test(all))
    return {
      reason: 'unreachable',
      message: `Cannot reach RabbitMQ at ${where}: ${text}`,
      hint: 'Check that RabbitMQ is running and that --rabbitmq points at it. Flowscope reconnects by itself.',
    };
  return { reason: 'internal', message: `RabbitMQ tap failed: ${text}`, hint: 'See the server log for details.' };
}
