import {
  catalog,
  correlate,
  correlatorStats,
  createCorrelator,
  correlatorFor,
  flowIdOf,
  getFlow,
  recentFlows,
  searchFlows,
  tickCorrelator,
  type CatalogResponse,
  type CorrelatorOptions,
  type Flow,
  type FlowSummary,
  type FlowTemplate,
  createChannelCatalog,
  createTopology,
  observeChannelEvent,
  observeEvent,
  snapshotTopology,
  type CorrelationRule,
  type EventOrigin,
  type FlowEvent,
  type Seq,
  type Topology,
} from '@flowscope/shared';
import type { RawRecord } from '../sources/eventSource.js';
import type { EventStore } from '../store/eventStore.js';
import type { Masks } from './mask.js';
import { normalize, type UnsequencedEvent } from './normalize.js';

export type PipelineOptions = {
  /** Events kept in memory for the API and for live resume. */
  readonly bufferSize: number;
  readonly maxPayloadBytes: number;
  readonly rules?: readonly CorrelationRule[];
  readonly producerHeaders?: readonly string[];
  readonly masks?: Masks;
  readonly now?: () => number;
  readonly correlation?: Partial<CorrelatorOptions>;
  /** Where events are kept beyond the in-memory buffer and across restarts. */
  readonly store?: EventStore;
};

export type EventQuery = {
  readonly limit: number;
  readonly before?: number;
  /** Event time range [since, until) in epoch ms. */
  readonly since?: number;
  readonly until?: number;
  readonly filter?: (event: FlowEvent) => boolean;
  readonly maxScan?: number;
};

/** The most events a flow rebuilt from history may have. */
const MAX_HISTORY_FLOW_EVENTS = 5000;

/** Called for every accepted event with the id of the flow it now belongs to. */
type Listener = (event: FlowEvent, flowId: string) => void;

/**
 * Turns raw records into sequenced FlowEvents, keeps the most recent ones in a ring buffer and
 * feeds the topology. Every accepted record gets exactly one seq; nothing is dropped here.
 */
export class Pipeline {
  private lastSeq = 0;
  private readonly ring: (FlowEvent | undefined)[];
  private readonly topologyState = createTopology();
  /** Event types per channel with their inferred payload schemas, for the catalog. */
  readonly channelCatalog = createChannelCatalog();
  private readonly correlator;
  private readonly listeners = new Set<Listener>();
  private readonly now: () => number;

  constructor(private readonly options: PipelineOptions) {
    this.ring = new Array<FlowEvent | undefined>(options.bufferSize);
    this.now = options.now ?? Date.now;
    this.correlator = createCorrelator({ maxEvents: options.bufferSize, ...options.correlation });
  }

  accept(raw: RawRecord, origin: EventOrigin): FlowEvent {
    return this.acceptEvent(normalize(raw, origin, this.now(), this.options));
  }

  /** An event that is already normalized (a replayed capture) gets a seq and goes the same way. */
  acceptEvent(normalized: UnsequencedEvent): FlowEvent {
    const seq = (this.lastSeq + 1) as Seq;
    const event: FlowEvent = { ...normalized, seq };
    this.lastSeq = seq;
    this.ring[seq % this.ring.length] = event;
    observeEvent(this.topologyState, event);
    observeChannelEvent(this.channelCatalog, event);
    const flowId = correlate(this.correlator, event);
    this.options.store?.append(event);
    for (const listener of this.listeners) listener(event, flowId);
    return event;
  }

  /**
   * Brings back what a previous run stored: the newest events refill the buffer, the map and the
   * flows, and seq continues after the last stored one.
   */
  restore(): number {
    const store = this.options.store;
    if (!store) return 0;
    const events = store.tail(this.ring.length);
    for (const event of events) {
      this.ring[event.seq % this.ring.length] = event;
      observeEvent(this.topologyState, event);
      observeChannelEvent(this.channelCatalog, event);
      correlate(this.correlator, event);
    }
    this.lastSeq = Math.max(this.lastSeq, store.lastSeq());
    return events.length;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get latestSeq(): number {
    return this.lastSeq;
  }

  /** Oldest seq still buffered (1 when nothing was evicted yet). */
  get oldestSeq(): number {
    return Math.max(1, this.lastSeq - this.ring.length + 1);
  }

  /** Buffered events with seq > afterSeq, oldest first, and how many of those are no longer buffered. */
  after(afterSeq: number, limit = Number.POSITIVE_INFINITY): { events: FlowEvent[]; skipped: number } {
    const from = Math.max(afterSeq + 1, this.oldestSeq);
    const skipped = Math.max(0, from - (afterSeq + 1));
    const events: FlowEvent[] = [];
    for (let s = from; s <= this.lastSeq && events.length < limit; s++) {
      const e = this.ring[s % this.ring.length];
      if (e) events.push(e);
    }
    return { events, skipped };
  }

  /**
   * Events newest first matching a time range and filter. Scans at most `maxScan` events per call
   * (buffer first, then the store); `nextCursor` continues where the scan stopped.
   */
  query(q: EventQuery): { events: FlowEvent[]; nextCursor?: number } {
    const since = q.since ?? Number.MIN_SAFE_INTEGER;
    const until = q.until ?? Number.MAX_SAFE_INTEGER;
    const maxScan = q.maxScan ?? 50_000;
    const accept = (e: FlowEvent) => e.timestamp >= since && e.timestamp < until && (!q.filter || q.filter(e));
    const out: FlowEvent[] = [];
    let scanned = 0;
    let cursor = Math.min(this.lastSeq + 1, q.before ?? Number.MAX_SAFE_INTEGER);
    // The in-memory buffer first.
    for (let s = cursor - 1; s >= this.oldestSeq && out.length < q.limit && scanned < maxScan; s--) {
      const e = this.ring[s % this.ring.length];
      cursor = s;
      if (!e || e.seq !== s) continue;
      scanned += 1;
      if (accept(e)) out.push(e);
    }
    const store = this.options.store;
    if (store) store.flush();
    while (store && out.length < q.limit && scanned < maxScan && cursor > 1) {
      const page = store.page(cursor, 1000, since, until);
      if (page.length === 0) {
        cursor = 1;
        break;
      }
      for (const e of page) {
        cursor = e.seq;
        scanned += 1;
        if ((!q.filter || q.filter(e)) && out.length < q.limit) out.push(e);
        if (out.length >= q.limit || scanned >= maxScan) break;
      }
    }
    const exhausted = cursor <= (store ? 1 : this.oldestSeq);
    return { events: out, ...(exhausted ? {} : { nextCursor: cursor }) };
  }

  /** The oldest seq that can still be read (buffer or store). */
  get firstAvailableSeq(): number {
    return this.options.store ? 1 : this.oldestSeq;
  }

  get(id: string): FlowEvent | undefined {
    return this.ring.find((e) => e?.id === id) ?? this.options.store?.get(id);
  }

  /** Lets time pass for the correlation engine: templates learn, idle flows are evicted. */
  tick(): void {
    tickCorrelator(this.correlator, this.now());
  }

  flow(id: string): Flow | undefined {
    const now = this.now();
    return getFlow(this.correlator, id, now) ?? getFlow(this.fromHistory(id), id, now);
  }

  /** Flows holding this value (any key, flow id, event or message id), or the most recent flows. */
  flows(value: string | undefined, limit: number): FlowSummary[] {
    const now = this.now();
    if (!value) return recentFlows(this.correlator, limit, now);
    const live = searchFlows(this.correlator, value, now);
    return (live.length > 0 ? live : searchFlows(this.fromHistory(value), value, now)).slice(0, limit);
  }

  /** Rebuilds the flows around a value from the store (flows evicted from memory, or from before a restart). */
  private fromHistory(value: string) {
    const store = this.options.store;
    if (store) store.flush();
    return correlatorFor(store ? store.closure(value, MAX_HISTORY_FLOW_EVENTS) : [], this.correlator);
  }

  flowIdOf(eventOrFlowId: string): string | undefined {
    return flowIdOf(this.correlator, eventOrFlowId);
  }

  catalog(): FlowTemplate[] {
    return catalog(this.correlator);
  }

  correlationStats(): CatalogResponse['stats'] {
    return correlatorStats(this.correlator);
  }

  topology(): Topology {
    return snapshotTopology(this.topologyState, this.now());
  }
}
