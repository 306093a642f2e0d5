import {
  catalog,
  channelEntries,
  correlatorFor,
  correlatorStats,
  createTopology,
  observeEvent,
  flowIdOf,
  getFlow,
  insightsReport,
  recentFlows,
  searchFlows,
  snapshotTopology,
  withConsumers,
  withLinks,
  type ChannelLink,
  type Consumer,
  type CatalogResponse,
  type EntityResponse,
  type HistoryResponse,
  type Flow,
  type FlowEvent,
  type FlowSummary,
  type FlowTemplate,
  type InsightsResponse,
  type Topology,
} from '@flowscope/shared';
import type { EventStore } from '../store/eventStore.js';
import type { Observers } from './observers.js';
import type { Sequencer } from './sequencer.js';

export type EventQuery = {
  readonly limit: number;
  readonly before?: number;
  /** Event time range [since, until) in epoch ms. */
  readonly since?: number;
  readonly until?: number;
  readonly filter?: (event: FlowEvent) => boolean;
  readonly maxScan?: number;
  /** Asked after each event scanned: true stops the scan there (`nextCursor` goes on from it). */
  readonly pause?: () => boolean;
};

/** The most events of a window that draw the map of a past moment (the newest of them). */
const HISTORY_MAP_EVENTS = 20_000;
/** The most events one history request reads, buffer and store together. */
const HISTORY_SCAN = 60_000;

/** The most flows an entity's history is gathered from (a hot key's most recently active). */
const ENTITY_MAX_FLOWS = 100;

/** The most events a flow rebuilt from history may have. */
const MAX_HISTORY_FLOW_EVENTS = 5000;

/**
 * The read side, for HTTP, the live stream and exports: events (buffer first, then the store),
 * flows (live, else rebuilt from the store), the catalog and the map. It changes nothing.
 */
export class Queries {
  constructor(
    private readonly sequencer: Sequencer,
    private readonly observers: Observers,
    private readonly store: EventStore | undefined,
    private readonly now: () => number,
  ) {}

  get latestSeq(): number {
    return this.sequencer.latestSeq;
  }

  /** Buffered events after a seq, for a resuming live client. */
  after(afterSeq: number, limit?: number): { events: FlowEvent[]; skipped: number } {
    return this.sequencer.after(afterSeq, limit);
  }

  /**
   * Events newest first matching a time range and filter. Scans at most `maxScan` events per call
   * (buffer first, then the store); `nextCursor` continues where the scan stopped.
   */
  events(q: EventQuery): { events: FlowEvent[]; nextCursor?: number } {
    const since = q.since ?? Number.MIN_SAFE_INTEGER;
    const until = q.until ?? Number.MAX_SAFE_INTEGER;
    const maxScan = q.maxScan ?? 50_000;
    const accept = (e: FlowEvent) => e.timestamp >= since && e.timestamp < until && (!q.filter || q.filter(e));
    const out: FlowEvent[] = [];
    let scanned = 0;
    let cursor = Math.min(this.sequencer.latestSeq + 1, q.before ?? Number.MAX_SAFE_INTEGER);
    let paused = false;
    for (let s = cursor - 1; s >= this.sequencer.oldestSeq && out.length < q.limit && scanned < maxScan; s--) {
      const e = this.sequencer.at(s);
      cursor = s;
      if (!e) continue;
      scanned += 1;
      if (accept(e)) out.push(e);
      if (q.pause?.()) {
        paused = true;
        break;
      }
    }
    const store = this.store;
    const more = () => !paused && out.length < q.limit && scanned < maxScan && cursor > 1;
    // Past the buffer: the store must hold every accepted event (flush waits for its writer).
    if (store && more()) store.flush();
    while (store && more()) {
      const page = store.page(cursor, 1000, since, until);
      if (page.length === 0) {
        cursor = 1;
        break;
      }
      for (const e of page) {
        cursor = e.seq;
        scanned += 1;
        if ((!q.filter || q.filter(e)) && out.length < q.limit) out.push(e);
        if (q.pause?.()) paused = true;
        if (paused || out.length >= q.limit || scanned >= maxScan) break;
      }
    }
    const exhausted = !paused && cursor <= (store ? 1 : this.sequencer.oldestSeq);
    return { events: out, ...(exhausted ? {} : { nextCursor: cursor }) };
  }

  event(id: string): FlowEvent | undefined {
    return this.sequencer.find(id) ?? this.store?.get(id);
  }

  /**
   * A flow by any of its event ids; with `at`, as it was at that moment (time travel): its events
   * up to then, judged then.
   */
  flow(id: string, at?: number): Flow | undefined {
    const now = this.now();
    const whole = getFlow(this.observers.correlator, id, now) ?? getFlow(this.fromHistory(id), id, now);
    if (!whole || at === undefined) return whole;
    const before = whole.events.filter((e) => e.timestamp <= at);
    const first = before[0];
    if (!first) return undefined;
    const then = correlatorFor(before, this.observers.correlator);
    return getFlow(then, before.some((e) => e.id === id) ? id : first.id, at);
  }

  /** Flows holding this value (any key, flow id, event or message id), or the most recent flows. */
  flows(value: string | undefined, limit: number): FlowSummary[] {
    const now = this.now();
    const correlator = this.observers.correlator;
    if (!value) return recentFlows(correlator, limit, now);
    const live = searchFlows(correlator, value, now);
    return (live.length > 0 ? live : searchFlows(this.fromHistory(value), value, now)).slice(0, limit);
  }

  /**
   * The view at a moment of the past (time travel): the map drawn afresh from the events of the
   * window before `at` (at most HISTORY_MAP_EVENTS of them, the newest), and the newest events up to
   * `at`. Read from the buffer, then the store: nothing of it is held in memory afterwards.
   */
  history(at: number, windowMs: number, limit: number): HistoryResponse {
    const until = at + 1;
    const drawn = this.events({ since: at - windowMs, until, limit: HISTORY_MAP_EVENTS, maxScan: HISTORY_SCAN });
    // The newest events up to `at`: the window's own when it holds enough, else read further back.
    const events =
      drawn.events.length >= limit
        ? drawn.events.slice(0, limit)
        : this.events({ until, limit, maxScan: HISTORY_SCAN }).events;
    const map = createTopology();
    for (let i = drawn.events.length - 1; i >= 0; i--) observeEvent(map, drawn.events[i] as FlowEvent);
    const range = this.timeRange();
    return {
      at,
      windowMs,
      topology: snapshotTopology(map, at),
      events,
      sampled: drawn.nextCursor !== undefined && drawn.events.length >= HISTORY_MAP_EVENTS,
      ...(range ? { range } : {}),
    };
  }

  /** Event times of the oldest and newest events held, in the store or else in memory. */
  private timeRange(): { oldest: number; newest: number } | undefined {
    const stored = this.store?.timeRange();
    const first = this.sequencer.at(this.sequencer.oldestSeq);
    const last = this.sequencer.at(this.sequencer.latestSeq);
    const oldest = Math.min(stored?.oldest ?? Infinity, first?.timestamp ?? Infinity);
    const newest = Math.max(stored?.newest ?? -Infinity, last?.timestamp ?? -Infinity);
    return Number.isFinite(oldest) && Number.isFinite(newest) ? { oldest, newest } : undefined;
  }

  /**
   * Every event that carries this key value (with this key name, when given), across the flows
   * that hold it, oldest first: an entity's history (an event-sourced aggregate, a read model).
   */
  entity(value: string, name: string | undefined, limit: number): EntityResponse {
    const byId = new Map<string, FlowEvent>();
    const flowIds: string[] = [];
    const now = this.now();
    // The live flows that hold it, else those rebuilt from the store (once, not per flow).
    let c = this.observers.correlator;
    let summaries = searchFlows(c, value, now);
    if (summaries.length === 0) summaries = searchFlows((c = this.fromHistory(value)), value, now);
    for (const summary of summaries.slice(0, ENTITY_MAX_FLOWS)) {
      const flow = getFlow(c, summary.id, now);
      if (!flow) continue;
      flowIds.push(flow.id);
      for (const e of flow.events)
        if (e.correlation.keys.some((k) => k.value === value && (name === undefined || k.name === name)))
          byId.set(e.id, e);
    }
    const events = [...byId.values()].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    return {
      ...(name !== undefined ? { name } : {}),
      value,
      events: events.slice(0, limit),
      flowIds,
      truncated: events.length > limit,
    };
  }

  /** The flows around a value rebuilt from the store (flows evicted from memory, or from before a restart). */
  fromHistory(value: string) {
    this.store?.flush();
    const events = this.store ? this.store.closure(value, MAX_HISTORY_FLOW_EVENTS) : [];
    return correlatorFor(events, this.observers.correlator);
  }

  flowIdOf(eventOrFlowId: string): string | undefined {
    return flowIdOf(this.observers.correlator, eventOrFlowId);
  }

  kinds(): FlowTemplate[] {
    return catalog(this.observers.correlator);
  }

  correlationStats(): CatalogResponse['stats'] {
    return correlatorStats(this.observers.correlator);
  }

  get channelCatalog() {
    return this.observers.channels;
  }

  /** The architecture insights of what was seen (ADR 0027), judged now over the map `topology`. */
  insights(topology: Topology = this.topology()): InsightsResponse {
    return insightsReport({
      state: this.observers.insights,
      templates: this.observers.correlator.templates,
      channels: channelEntries(this.observers.channels, topology),
      now: this.now(),
    });
  }

  /** The map as events showed it, plus the consumers and the routes between channels the brokers report. */
  topology(consumers: readonly Consumer[] = [], links: readonly ChannelLink[] = []): Topology {
    return withLinks(withConsumers(snapshotTopology(this.observers.topology, this.now()), consumers), links);
  }
}
