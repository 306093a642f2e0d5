import type { ConsumerGroup, FlowEvent, Gap, SourceState, SourceStatus } from '@flowscope/shared';
import type { Logger } from 'pino';
import type { Pipeline } from '../ingest/pipeline.js';
import type { EventSource, SourceProblem } from './eventSource.js';

type Listener = (statuses: readonly SourceStatus[]) => void;

/** Starts the configured sources, wires them to the pipeline and tracks their status for the UI. */
export class SourceRegistry {
  private readonly statuses = new Map<string, SourceStatus>();
  private readonly listeners = new Set<Listener>();
  private readonly groupsBySource = new Map<string, readonly ConsumerGroup[]>();

  constructor(
    private readonly sources: readonly EventSource[],
    private readonly pipeline: Pipeline,
    private readonly log: Logger,
    private readonly onGap: (gap: Omit<Gap, 'id'>) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    for (const s of sources) {
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
      this.sources.map((source) =>
        source.start({
          record: (raw) =>
            this.counted(source, this.pipeline.accept(raw, { broker: source.broker, cluster: source.cluster })),
          replay: (event) => this.counted(source, this.pipeline.acceptEvent(event)),
          state: (state, problem) => this.setState(source, state, problem),
          groups: (groups) => this.groupsBySource.set(source.id, groups),
          gap: (gap) => {
            this.log.warn({ source: source.id, channel: gap.channel, reason: gap.reason }, gap.detail);
            this.onGap({ ...gap, at: this.now(), source: source.id });
          },
        }),
      ),
    );
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.sources.map((s) => s.stop()));
    for (const s of this.sources) this.setState(s, 'stopped');
  }

  private counted(source: EventSource, event: FlowEvent) {
    const prev = this.statuses.get(source.id);
    if (prev)
      this.statuses.set(source.id, { ...prev, eventsReceived: prev.eventsReceived + 1, lastEventAt: event.receivedAt });
  }

  /** Where each broker source connects, named by its cluster: the servers of an AsyncAPI export. */
  servers(): { name: string; host: string; protocol: string }[] {
    return this.sources.flatMap((s) =>
      s.servers?.[0] ? [{ name: s.cluster, host: s.servers[0], protocol: s.broker }] : [],
    );
  }

  /** Consumer groups of every source, as last read. */
  groups(): ConsumerGroup[] {
    return [...this.groupsBySource.values()].flat();
  }

  list(): SourceStatus[] {
    return [...this.statuses.values()];
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
    const all = this.list();
    for (const l of this.listeners) l(all);
  }
}
