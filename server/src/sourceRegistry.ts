import type { ChannelLink, Consumer, Gap, SourceState, SourceStatus } from '@flowscope/shared';
import type { Logger } from 'pino';
import type { Ingest } from './ingest/ingest.js';
import { addLagReading, lagStatus, type LagHistory } from './sourceLag.js';
import type { EventSource, LagReading, SourceProblem, SourceSink } from './sources/contract.js';
import type { ConsumerReader } from './sources/plugin.js';

type Listener = (statuses: readonly SourceStatus[]) => void;

/** A source to run, with the reader of its broker's consumers when it has one. */
export type RegisteredSource = { readonly source: EventSource; readonly consumers?: ConsumerReader };

/**
 * Starts the configured sources, hands their batches to ingest, reads their brokers' consumers on
 * a timer, and tracks their status for the UI. Stopping is idempotent: the second call waits for
 * the first, and after it no source delivers anything.
 */
export class SourceRegistry {
  private readonly statuses = new Map<string, SourceStatus>();
  private readonly listeners = new Set<Listener>();
  private readonly consumersBySource = new Map<string, readonly Consumer[]>();
  private readonly linksBySource = new Map<string, readonly ChannelLink[]>();
  private readonly lags = new Map<string, LagHistory>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stopping = new Set<string>();
  private stopped?: Promise<void>;

  constructor(
    private readonly sources: readonly RegisteredSource[],
    private readonly ingest: Ingest,
    private readonly log: Logger,
    private readonly onGap: (gap: Omit<Gap, 'id'>) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    for (const { source: s } of sources) {
      this.statuses.set(s.id, {
        id: s.id,
        broker: s.broker,
        cluster: s.cluster,
        target: s.target,
        state: 'connecting',
        eventsReceived: 0,
        since: now(),
      });
    }
  }

  async startAll(): Promise<void> {
    await Promise.all(
      this.sources.map(async ({ source, consumers }) => {
        await source.start(this.sinkFor(source));
        if (consumers && consumers.everyMs > 0)
          this.readConsumers(source, consumers, Math.min(consumers.everyMs, 1000));
      }),
    );
  }

  private sinkFor(source: EventSource): SourceSink {
    const from = { sourceId: source.id, origin: { broker: source.broker, cluster: source.cluster } };
    const counted = (accepted: Promise<readonly { receivedAt: number }[]>): Promise<void> =>
      accepted.then(
        (events) => this.count(source, events),
        (err: unknown) => this.log.error({ err, source: source.id }, 'a batch from this source could not be ingested'),
      );
    return {
      records: (batch) => counted(this.ingest.records(from, batch)),
      events: (batch, extras) => counted(this.ingest.events(batch, extras)),
      encoded: (batch) => counted(this.ingest.encoded(batch)),
      state: (state, problem) => this.setState(source, state, problem),
      consumers: (consumers) => this.consumersBySource.set(source.id, consumers),
      lag: (reading) => this.setLag(source, reading),
      gap: (gap) => {
        this.log.warn({ source: source.id, channel: gap.channel, reason: gap.reason }, gap.detail);
        this.onGap({ ...gap, at: this.now(), source: source.id });
      },
    };
  }

  /** The broker's consumers (and routes) on their own timer, so a slow admin call never delays tailing. */
  private readConsumers(source: EventSource, reader: ConsumerReader, delay: number) {
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      if (this.stopped) return;
      try {
        const reading = await reader.read(this.now());
        if (!this.stopped) {
          const { consumers, links } = Array.isArray(reading) ? { consumers: reading, links: [] } : reading;
          this.consumersBySource.set(source.id, consumers);
          this.linksBySource.set(source.id, links);
        }
      } catch (err) {
        this.log.debug({ err, source: source.id }, 'reading consumers failed; retrying on the next interval');
      }
      if (!this.stopped) this.readConsumers(source, reader, reader.everyMs);
    }, delay);
    this.timers.add(timer);
  }

  /** Stops every source (once; later calls wait for the same stop). */
  stopAll(): Promise<void> {
    this.stopped ??= (async () => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      await Promise.allSettled(
        this.sources.map(async ({ source }) => {
          this.stopping.add(source.id);
          try {
            await source.stop();
          } finally {
            this.stopping.delete(source.id);
          }
        }),
      );
      for (const { source } of this.sources) this.setState(source, 'stopped');
    })();
    return this.stopped;
  }

  /** What sources would leave behind if the process ended now (those still stopping, or never stopped). */
  leftovers(): string[] {
    return this.sources.flatMap(({ source }) => {
      const left = source.leftovers?.() ?? [];
      return this.stopping.has(source.id) && left.length === 0 ? [`${source.id} had not finished stopping`] : left;
    });
  }

  private count(source: EventSource, events: readonly { receivedAt: number }[]) {
    const prev = this.statuses.get(source.id);
    const last = events.at(-1);
    if (prev && last)
      this.statuses.set(source.id, {
        ...prev,
        eventsReceived: prev.eventsReceived + events.length,
        lastEventAt: last.receivedAt,
      });
  }

  /** Where each broker source connects, named by its cluster: the servers of an AsyncAPI export. */
  servers(): { name: string; host: string; protocol: string }[] {
    return this.sources.flatMap(({ source: s }) =>
      s.servers?.[0] ? [{ name: s.cluster, host: s.servers[0], protocol: s.broker }] : [],
    );
  }

  /** Consumers of every source's broker, as last read. */
  consumers(): Consumer[] {
    return [...this.consumersBySource.values()].flat();
  }

  /** Routes between channels (bindings, dead letters) of every source's broker, as last read. */
  links(): ChannelLink[] {
    return [...this.linksBySource.values()].flat();
  }

  /** Every source's status; lag in seconds is aged to now. */
  list(): SourceStatus[] {
    const now = this.now();
    return [...this.statuses.values()].map((s) => {
      const lag = this.lags.get(s.id);
      return lag && s.state !== 'stopped' ? { ...s, lag: lagStatus(s.id, lag, now) } : s;
    });
  }

  /** A new lag reading; listeners hear at once when the tap starts or stops falling behind. */
  private setLag(source: EventSource, reading: readonly LagReading[]) {
    if (this.stopped) return;
    const now = this.now();
    const prev = this.lags.get(source.id);
    const before = prev && lagStatus(source.id, prev, now).notice;
    const next = addLagReading(prev, reading, now);
    this.lags.set(source.id, next);
    const after = lagStatus(source.id, next, now).notice;
    if (Boolean(before) === Boolean(after)) return;
    if (after) this.log.warn({ source: source.id }, after);
    else this.log.info({ source: source.id }, `source ${source.id} is keeping up again`);
    this.notify();
  }

  private notify() {
    const all = this.list();
    for (const l of this.listeners) l(all);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(source: EventSource, state: SourceState, problem?: SourceProblem) {
    const prev = this.statuses.get(source.id);
    if (!prev) return;
    if (prev.state === state && prev.error?.message === problem?.message) return;
    const { error: _old, ...rest } = prev;
    const next: SourceStatus = { ...rest, state, since: this.now(), ...(problem ? { error: problem } : {}) };
    this.statuses.set(source.id, next);
    if (problem) this.log.warn({ source: source.id, state, reason: problem.reason }, problem.message);
    else this.log.info({ source: source.id, state }, `source ${source.id} is ${state}`);
    this.notify();
  }
}
