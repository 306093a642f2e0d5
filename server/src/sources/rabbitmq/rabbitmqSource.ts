import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AsyncMessage, Connection, Consumer } from 'rabbitmq-client';
import type { EventSource, RawRecord, SourceProblem, SourceSink } from '../contract.js';
import type { ConsumerReader } from '../plugin.js';
import { bindingKey, isExactName, planBindings, type TapBinding } from './bindings.js';
import { Management, ManagementError, type ManagementAccess } from './management.js';
import { QueueReader } from './queues.js';
import { FIREHOSE, toRecord } from './records.js';

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
   * Also bind the firehose (`amq.rabbitmq.trace`, `publish.`) to see publishes to the default
   * exchange; an admin must turn tracing on (`rabbitmqctl trace_on`), which costs throughput.
   */
  readonly firehose?: boolean;
  /** How often bindings are re-read, in ms (default 5 s). */
  readonly bindingRefreshMs?: number;
};

/** Connections Flowscope opens are named with this prefix (client property connection_name). */
const TAP_CONNECTION_PREFIX = 'flowscope-tap-';
/** The tap queue keeps at most this much; beyond it the oldest copies are dropped, never publishes refused. */
const TAP_QUEUE_ARGS = {
  'x-max-length': 100_000,
  'x-max-length-bytes': 256 * 1024 * 1024,
  'x-overflow': 'drop-head' as const,
};

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

/**
 * Taps RabbitMQ exchanges with one queue of its own (server-named, exclusive, auto-delete,
 * non-durable, length-capped with drop-head), consumed with autoAck: applications' queues are
 * never consumed, declared or bound. The queue goes with the connection, so nothing stays.
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
  private conn?: Connection;
  private consumer?: Consumer;
  private sink?: SourceSink;
  private stopped = false;
  private stopping?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private busy: Promise<void> = Promise.resolve();
  private readonly bound = new Map<string, TapBinding>();
  private everConnected = false;
  private downSince?: number;
  /** AMQP has no per-message position, and message_id is the producer's (often absent, not unique). */
  private readonly startedAt = Date.now();
  private delivered = 0;
  private pending: RawRecord[] = [];
  private queueReader?: QueueReader;
  /** The exchanges of the last binding plan: their queues are the consumers shown. */
  private tappedExchanges: ReadonlySet<string> = new Set();
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
    this.target = `${url.where} ${url.vhost} · ${options.exchanges.join(', ')} (${mode})`;
    if (options.management) this.api = new Management({ ...options.management, vhost: url.vhost });
  }

  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    sink.state('connecting');
    const { Connection } = await import('rabbitmq-client');
    if (this.stopped) return; // stopped while the client was loading
    const conn = new Connection({
      url: this.options.url,
      connectionName: this.connectionName,
      connectionTimeout: 5000,
      retryLow: 500,
      retryHigh: 5000,
    });
    this.conn = conn;
    conn.on('error', (err: unknown) => this.down(err));
    this.consumer = conn.createConsumer(
      {
        queue: '',
        queueOptions: { exclusive: true, autoDelete: true, durable: false, arguments: TAP_QUEUE_ARGS },
        noAck: true,
      },
      (msg) => this.take(msg),
    );
    this.consumer.on('error', (err: unknown) => this.down(err));
    // A new queue (first start or after a reconnect): it has no bindings yet.
    this.consumer.on('ready', () => {
      if (this.consumer?.queue) this.ownQueues.add(this.consumer.queue);
      this.bound.clear();
      this.sync();
    });
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
    await this.busy;
    await this.consumer?.close().catch(() => undefined);
    await this.conn?.close().catch(() => undefined);
    this.pending = [];
  }

  private take(msg: AsyncMessage) {
    if (this.stopped) return;
    this.delivered += 1;
    this.pending.push(toRecord(msg, `${this.startedAt}-${this.delivered}`));
    // Messages that arrive together (one socket read) go to ingest as one batch.
    if (this.pending.length === 1)
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        if (batch.length > 0 && !this.stopped) this.sink?.records(batch);
      });
  }

  private down(err: unknown) {
    if (this.stopped) return;
    this.downSince ??= Date.now();
    const problem = describeRabbitError(err, this.servers[0] ?? '');
    this.log.debug({ err: problem.message }, 'rabbitmq tap down');
    this.report(this.everConnected ? 'reconnecting' : 'disconnected', problem);
  }

  /** Re-reads exchanges and bindings, then binds what applications started using and unbinds what they stopped using. */
  private sync() {
    clearTimeout(this.timer);
    this.busy = this.busy.then(async () => {
      if (this.stopped) return;
      try {
        await this.applyBindings();
      } catch (err) {
        // A refused bind (an exchange deleted meanwhile) on a live connection is no outage: no gap.
        if (this.conn?.ready && this.everConnected && this.downSince === undefined)
          this.report('connected', {
            reason: 'internal',
            message: `Could not update the tap's bindings: ${err instanceof Error ? err.message : String(err)}`,
            hint: 'Flowscope reads the bindings again in a few seconds.',
          });
        else this.down(err);
      }
      clearTimeout(this.timer);
      if (!this.stopped) this.timer = setTimeout(() => this.sync(), this.options.bindingRefreshMs ?? 5000);
    });
  }

  private async applyBindings() {
    const conn = this.conn;
    const queue = this.consumer?.queue;
    if (!conn || !queue) return;
    const { bindings, problem } = await this.plan(queue);
    const wanted = new Map(bindings.map((b) => [bindingKey(b), b]));
    for (const [key, b] of wanted)
      if (!this.bound.has(key)) {
        await conn.queueBind({ queue, exchange: b.exchange, routingKey: b.routingKey, arguments: { ...b.arguments } });
        this.bound.set(key, b);
      }
    for (const [key, b] of this.bound)
      if (!wanted.has(key)) {
        // An application dropped this binding: keeping it would make its messages routable.
        await conn.queueUnbind({
          queue,
          exchange: b.exchange,
          routingKey: b.routingKey,
          arguments: { ...b.arguments },
        });
        this.bound.delete(key);
      }
    if (this.downSince !== undefined && this.everConnected) this.recordDowntime(this.downSince);
    this.downSince = undefined;
    this.everConnected = true;
    this.report('connected', problem);
  }

  private async plan(queue: string): Promise<{ bindings: TapBinding[]; problem?: SourceProblem }> {
    const planned = await this.planExchanges(queue);
    if (!this.options.firehose) return planned;
    // Opt-in: publishes straight to a queue (the default exchange) seen through the firehose.
    const bindings = [...planned.bindings, { exchange: FIREHOSE, routingKey: 'publish.', arguments: {} }];
    const tracing = await this.api?.tracing().catch(() => undefined);
    if (tracing !== false) return { ...planned, bindings };
    const off: SourceProblem = {
      reason: 'misconfigured',
      message: `Tracing is off on vhost ${this.vhost}: publishes to the default exchange cannot be seen.`,
      hint: `An admin turns the firehose on with rabbitmqctl trace_on -p ${this.vhost} (it costs the broker throughput and is off again after a restart).`,
    };
    const problem = planned.problem
      ? { ...off, message: `${planned.problem.message} ${off.message}`, hint: `${planned.problem.hint} ${off.hint}` }
      : off;
    return { bindings, problem };
  }

  private async planExchanges(queue: string): Promise<{ bindings: TapBinding[]; problem?: SourceProblem }> {
    const { exchanges: patterns, wildcard } = this.options;
    if (!this.api) return this.blind(wildcard, 'no management API is configured');
    try {
      const api = this.api;
      const [exchanges, bindings, queues] = await Promise.all([api.exchanges(), api.bindings(), api.queues()]);
      const plan = planBindings(exchanges, bindings, queues, patterns, wildcard, queue);
      this.tappedExchanges = new Set(plan.exchanges);
      const problem: SourceProblem | undefined =
        plan.skipped.length > 0
          ? {
              reason: 'misconfigured',
              message: `Not tapped: ${plan.skipped.map((s) => `${s.exchange} (${s.why})`).join('; ')}.`,
              hint: 'A tap bound there would take a share of the messages from applications; Flowscope never binds them.',
            }
          : undefined;
      return { bindings: plan.bindings, ...(problem ? { problem } : {}) };
    } catch (err) {
      if (!(err instanceof ManagementError)) throw err;
      return this.blind(wildcard, err.message);
    }
  }

  /**
   * Without the management API nothing can be mirrored (applications' bindings are unknown): only
   * exchanges named exactly are tapped, and only in wildcard mode, where binding everything is the
   * user's explicit choice. When the API stops answering, mirrored bindings are removed: one that
   * can no longer be checked might route what applications stopped routing.
   */
  private blind(wildcard: boolean, why: string): { bindings: TapBinding[]; problem: SourceProblem } {
    const named = this.options.exchanges.filter(isExactName);
    const bindings = wildcard ? named.map((exchange) => ({ exchange, routingKey: '#', arguments: {} })) : [];
    return {
      bindings,
      problem: {
        reason: 'misconfigured',
        message: wildcard
          ? `Tapping only ${named.join(', ') || 'no exchange'} (named exactly) with a wildcard: ${why}, so exchange types, bindings, queues and consumers cannot be seen.`
          : `Nothing is tapped: ${why}, so the bindings that mirror mode copies, exchange patterns, queues and consumers cannot be seen.`,
        hint: 'Enable the management plugin (rabbitmq-plugins enable rabbitmq_management) and check --rabbitmq-management and its credentials.',
      },
    };
  }

  private recordDowntime(from: number) {
    const until = Date.now();
    this.sink?.gap({
      reason: 'not-running',
      from,
      until,
      detail: `The RabbitMQ tap on ${this.cluster} was down from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; messages published in that window were not copied to it (AMQP keeps no history to read back).`,
    });
  }

  private report(state: 'connected' | 'disconnected' | 'reconnecting', problem?: SourceProblem) {
    if (!this.stopped) this.sink?.state(state, problem);
  }
}

function describeRabbitError(err: unknown, where: string): SourceProblem {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (/ACCESS_REFUSED|auth|PLAIN/i.test(code + text))
    return {
      reason: 'auth-failed',
      message: `RabbitMQ at ${where} refused the credentials: ${text}`,
      hint: 'Check the user name and password in --rabbitmq (or rabbitmq.password in the config file).',
    };
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|timeout|CONNECTION|closed|socket/i.test(code + text))
    return {
      reason: 'unreachable',
      message: `Cannot reach RabbitMQ at ${where}: ${text}`,
      hint: 'Check that RabbitMQ is running and that --rabbitmq points at it. Flowscope reconnects by itself.',
    };
  return { reason: 'internal', message: `RabbitMQ tap failed: ${text}`, hint: 'See the server log for details.' };
}
