import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Consumer } from '@flowscope/shared';
import type { EventSource, RawRecord, SourceGap, SourceProblem, SourceSink } from '../contract.js';
import type { ConsumerReader } from '../plugin.js';
import { JetStreamConsumerReader, TAP_PREFIX } from './consumers.js';
import { CoreTap } from './coreTap.js';
import { describeNatsError, jetStreamOff } from './errors.js';
import { JetStreamTap } from './jetStreamTap.js';
import { capturedBy } from './selection.js';
import type { StartPosition } from './startPosition.js';
import type { Jet } from './streamReader.js';
import { isBlanket } from './subjects.js';

export type NatsSourceOptions = {
  /** Name shown in the UI and used in event ids. */
  readonly cluster: string;
  /** `nats://host:4222` (several comma-separated); credentials in it never reach `target` or logs. */
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  /** Path of a `.creds` file (JWT and NKey seed). */
  readonly credsFile?: string;
  /** Core subjects to tap (wildcards allowed); none by default, never `>` unless given. */
  readonly subjects: readonly string[];
  /** JetStream streams: names, globs or `/regex/`; `*` every application stream. */
  readonly streams: readonly string[];
  readonly from: StartPosition;
  /** Per-stream start positions, overriding `from`. */
  readonly start?: Readonly<Record<string, StartPosition>>;
  /** Show internal subjects (`$JS.API`, advisories, `_INBOX`, `$KV`/`$O`) caught by `subjects`. */
  readonly internal?: boolean;
  /** Show consumers' acknowledgements of tapped streams' messages (`$JS.ACK.…`). */
  readonly acks?: boolean;
  /** KV buckets to show as state changes (names, globs or `/regex/`); none by default. */
  readonly kv?: readonly string[];
  /** Consumer name → the service it is drawn as (default: the consumer name). */
  readonly consumerServices?: Readonly<Record<string, string>>;
  /** How often consumers are read, in ms; 0 turns it off (default 10 s). */
  readonly consumerRefreshMs?: number;
  /** How often streams are listed, in ms (default 5 s). */
  readonly streamRefreshMs?: number;
  /** How often work-queue and interest streams are polled for new messages, in ms (default 500). */
  readonly pollMs?: number;
};

type Connection = { nc: NatsConnection; jet?: Jet };

type NatsUrl = { servers: string[]; user?: string; pass?: string; token?: string; tls?: boolean };

/**
 * A NATS URL split into servers (host:port, no credentials) and the credentials it carried;
 * `tls://` asks for TLS (the server offers it in its INFO, and nats.js upgrades).
 */
export function parseNatsUrl(url: string): NatsUrl {
  const out: NatsUrl = { servers: [] };
  for (const part of url.split(',').map((s) => s.trim())) {
    if (!part) continue;
    const u = new URL(part.includes('://') ? part : `nats://${part}`);
    if (u.username && u.password) {
      out.user = decodeURIComponent(u.username);
      out.pass = decodeURIComponent(u.password);
    } else if (u.username) out.token = decodeURIComponent(u.username);
    if (u.protocol === 'tls:') out.tls = true;
    out.servers.push(`${u.hostname}:${u.port || '4222'}`);
  }
  return out;
}

/** host:port of every server of a NATS URL, without credentials. */
export function natsAddresses(url: string): string[] {
  try {
    return parseNatsUrl(url).servers;
  } catch {
    return ['an invalid NATS URL'];
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Taps NATS read-only: plain subscriptions on configured core subjects (never `>` by default),
 * and JetStream streams read by sequence or through an ordered consumer of its own (see
 * `StreamReader`). One connection named `flowscope-tap-…`; positions per stream are kept here,
 * so a new connection resumes exactly where the last one stopped.
 */
export class NatsSource implements EventSource {
  readonly id: string;
  readonly broker = 'nats' as const;
  readonly cluster: string;
  readonly target: string;
  readonly servers: readonly string[];
  /** Its connection's name (and its consumers' prefix), so they can be told from applications'. */
  readonly connectionName = `${TAP_PREFIX}${randomBytes(4).toString('hex')}`;
  private sink?: SourceSink;
  private conn?: Connection;
  private core?: CoreTap;
  private readonly streams: JetStreamTap;
  private ackStreams = new Set<string>();
  private problem?: SourceProblem;
  private sessions = 0;
  private stopped = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wake?: () => void;
  private consumerReading?: JetStreamConsumerReader;
  private lagSentAt = -Infinity;

  constructor(
    private readonly options: NatsSourceOptions,
    private readonly log: Logger,
  ) {
    this.cluster = options.cluster;
    this.id = `nats:${options.cluster}`;
    this.servers = natsAddresses(options.url);
    const parts = [
      options.subjects.length > 0 ? `subjects ${options.subjects.join(', ')}` : '',
      options.streams.length > 0 ? `streams ${options.streams.join(', ')}` : '',
      options.kv?.length ? `KV ${options.kv.join(', ')}` : '',
    ].filter(Boolean);
    this.target = `${this.servers.join(', ')} · ${parts.join(' · ') || 'nothing'}`;
    const out = {
      records: (batch: readonly RawRecord[]) => this.emit(batch),
      gap: (gap: SourceGap) => this.emitGap(gap),
    };
    this.streams = new JetStreamTap(options, this.connectionName, out, log, Date.now());
  }

  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    const blanket = this.options.subjects.filter(isBlanket);
    if (blanket.length > 0)
      this.log.warn(
        { subjects: blanket },
        `subscribing to ${blanket.join(', ')}: requests to subjects without a service will wait for their timeout instead of failing at once ("no responders")`,
      );
    await import('@nats-io/transport-node');
    if (this.stopped) return;
    sink.state('connecting');
    this.running = this.session();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    const conn = this.conn;
    // Deleting its consumers ends their pending pulls, so the read loops end at once.
    await this.streams.stop(conn && !conn.nc.isClosed() ? conn.jet : undefined);
    this.core?.drain();
    await conn?.nc.close().catch(() => undefined);
    await this.running;
  }

  /** Flowscope's consumers still on the server (a lost connection leaves them until they expire, 30 s). */
  leftovers(): string[] {
    return this.streams.leftovers();
  }

  consumerReader(everyMs: number): ConsumerReader {
    this.consumerReading ??= new JetStreamConsumerReader(
      this.id,
      this.cluster,
      (name) => this.options.consumerServices?.[name] ?? name,
    );
    const reading = this.consumerReading;
    return { everyMs, read: (now) => this.readConsumers(reading, now) };
  }

  private async readConsumers(reading: JetStreamConsumerReader, now: number): Promise<Consumer[]> {
    const jet = this.conn?.jet;
    if (!jet || this.stopped || this.conn?.nc.isClosed()) return [];
    const streams = this.streams.chosen.map((c) => ({ stream: c.name, channel: c.bucket ? `kv:${c.bucket}` : c.name }));
    return reading.read(
      async (stream) => {
        const out = [];
        try {
          for await (const c of jet.jsm.consumers.list(stream)) out.push(c);
        } catch (err) {
          if (!/stream not found/i.test((err as Error).message)) throw err;
        }
        return out;
      },
      streams,
      now,
    );
  }

  private async connect(): Promise<NatsConnection> {
    const nats = await import('@nats-io/transport-node');
    const { servers, user, pass, token, tls } = parseNatsUrl(this.options.url);
    const o = this.options;
    const password = o.password ?? pass;
    const creds = o.credsFile ? await readFile(o.credsFile) : undefined;
    return nats.connect({
      servers,
      name: this.connectionName,
      reconnect: false,
      timeout: 3000,
      // Its own requests never reach its own subscriptions, and its replies come to its own inbox.
      noEcho: true,
      inboxPrefix: `_INBOX.${this.connectionName}`,
      ...(tls ? { tls: {} } : {}),
      ...((o.user ?? user) && password ? { user: o.user ?? user, pass: password } : {}),
      ...((o.token ?? token) ? { token: o.token ?? token } : {}),
      ...(creds ? { authenticator: nats.credsAuthenticator(new Uint8Array(creds)) } : {}),
    });
  }

  /** One connection's life: connect, subscribe, list streams and read until it fails or the source stops; then retry. */
  private async session(): Promise<void> {
    let connected = false;
    try {
      const nc = await this.connect();
      const closed = nc.closed();
      this.conn = { nc };
      connected = true;
      this.failures = 0;
      this.sessions += 1;
      if (this.stopped) return void (await nc.close());
      this.subscribe(nc);
      await nc.flush();
      const gap = this.core?.resumed(Date.now());
      if (gap) this.emitGap(gap);
      this.conn.jet = await this.jetstream(nc);
      await this.discover();
      this.report('connected', this.problem);
      await this.watch(nc, closed);
      if (this.stopped) return;
      const err = await closed;
      throw err ?? new Error('the connection to NATS closed');
    } catch (err) {
      if (this.stopped) return;
      if (connected) this.core?.lost(Date.now());
      await this.conn?.nc.close().catch(() => undefined);
      this.retry(err, connected);
    }
  }

  private retry(err: unknown, connected: boolean) {
    this.failures += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6));
    const problem = describeNatsError(err, this.servers.join(', '));
    this.report(connected ? 'reconnecting' : 'disconnected', {
      ...problem,
      hint: `${problem.hint} Retrying in ${Math.max(1, Math.round(delay / 1000))} s; streams resume after the last message read.`,
    });
    this.timer = setTimeout(() => {
      if (!this.stopped) this.running = this.session();
    }, delay);
  }

  /** Lists streams again every few seconds while the connection lasts. */
  private async watch(nc: NatsConnection, closed: Promise<unknown>) {
    const every = this.options.streamRefreshMs ?? 5000;
    while (!this.stopped && !nc.isClosed()) {
      await Promise.race([sleep(every), closed, new Promise<void>((resolve) => (this.wake = resolve))]);
      if (this.stopped || nc.isClosed()) return;
      await this.discover();
      this.report('connected', this.problem);
    }
  }

  private subscribe(nc: NatsConnection) {
    const o = this.options;
    const subjects = [...new Set(o.subjects)];
    this.core ??= new CoreTap(
      {
        idPrefix: this.connectionName,
        cluster: this.cluster,
        subjects,
        internal: Boolean(o.internal),
        ownInbox: `_INBOX.${this.connectionName}`,
      },
      (subject) => capturedBy(this.streams.chosen, subject),
      () => this.ackStreams,
      (batch) => this.emit(batch),
    );
    const core = this.core;
    const failed = (err: Error) => {
      this.problem = describeNatsError(err, this.servers.join(', '));
      this.report('connected', this.problem);
    };
    subjects.forEach((subject, i) =>
      nc.subscribe(subject, { callback: (err, m) => (err ? failed(err) : core.onMessage(i, m)) }),
    );
    if (o.acks) nc.subscribe('$JS.ACK.>', { callback: (err, m) => (err ? failed(err) : core.onAck(m)) });
  }

  private async jetstream(nc: NatsConnection): Promise<Jet | undefined> {
    if (this.options.streams.length === 0 && !this.options.kv?.length) return undefined;
    const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
    try {
      return { jsm: await jetstreamManager(nc), js: jetstream(nc) };
    } catch (err) {
      if (nc.isClosed()) throw err;
      this.problem = jetStreamOff(this.servers.join(', '), err);
      return undefined;
    }
  }

  /** Lists streams and reads the chosen ones; what matched nothing is the problem shown. */
  private async discover() {
    const conn = this.conn;
    if (!conn?.jet) return;
    const stopped = () => this.stopped;
    this.problem = await this.streams.discover(conn.jet, conn.nc, this.sessions, stopped);
    this.ackStreams = new Set(this.streams.chosen.filter((c) => !c.bucket).map((c) => c.name));
    this.sendLag();
  }

  private emit(batch: readonly RawRecord[]): Promise<void> {
    const taken = !this.stopped && batch.length > 0 ? this.sink?.records(batch) : undefined;
    if (Date.now() - this.lagSentAt >= 1000) this.sendLag();
    return taken ?? Promise.resolve();
  }

  /** Only JetStream streams have an end of log; a source of core subjects alone has no lag. */
  private sendLag() {
    if (this.stopped || (this.options.streams.length === 0 && !this.options.kv?.length)) return;
    this.lagSentAt = Date.now();
    this.sink?.lag(this.streams.lag());
  }

  private emitGap(gap: SourceGap) {
    if (!this.stopped) this.sink?.gap(gap);
  }

  private report(state: 'connected' | 'disconnected' | 'reconnecting', problem?: SourceProblem) {
    if (!this.stopped) this.sink?.state(state, problem);
  }
}
