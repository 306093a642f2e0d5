import {
  createTopology,
  observeEvent,
  snapshotTopology,
  type CorrelationRule,
  type EventOrigin,
  type FlowEvent,
  type Seq,
  type Topology,
} from '@flowscope/shared';
import type { RawRecord } from '../sources/eventSource.js';
import { normalize } from './normalize.js';

export type PipelineOptions = {
  /** Events kept in memory for the API and for live resume. */
  readonly bufferSize: number;
  readonly maxPayloadBytes: number;
  readonly rules?: readonly CorrelationRule[];
  readonly now?: () => number;
};

type Listener = (event: FlowEvent) => void;

/**
 * Turns raw records into sequenced FlowEvents, keeps the most recent ones in a ring buffer and
 * feeds the topology. Every accepted record gets exactly one seq; nothing is dropped here.
 */
export class Pipeline {
  private lastSeq = 0;
  private readonly ring: (FlowEvent | undefined)[];
  private readonly topologyState = createTopology();
  private readonly listeners = new Set<Listener>();
  private readonly now: () => number;

  constructor(private readonly options: PipelineOptions) {
    this.ring = new Array<FlowEvent | undefined>(options.bufferSize);
    this.now = options.now ?? Date.now;
  }

  accept(raw: RawRecord, origin: EventOrigin): FlowEvent {
    const seq = (this.lastSeq + 1) as Seq;
    const event: FlowEvent = { ...normalize(raw, origin, this.now(), this.options), seq };
    this.lastSeq = seq;
    this.ring[seq % this.ring.length] = event;
    observeEvent(this.topologyState, event);
    for (const listener of this.listeners) listener(event);
    return event;
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

  /** Newest first, at most `limit`, with seq < beforeSeq when given. */
  recent(limit: number, beforeSeq?: number): FlowEvent[] {
    const out: FlowEvent[] = [];
    const start = Math.min(this.lastSeq, (beforeSeq ?? Number.POSITIVE_INFINITY) - 1);
    for (let s = start; s >= this.oldestSeq && out.length < limit; s--) {
      const e = this.ring[s % this.ring.length];
      if (e) out.push(e);
    }
    return out;
  }

  get(id: string): FlowEvent | undefined {
    return this.ring.find((e) => e?.id === id);
  }

  topology(): Topology {
    return snapshotTopology(this.topologyState, this.now());
  }
}
