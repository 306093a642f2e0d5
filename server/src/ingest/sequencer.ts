import type { EventOrigin, FlowEvent, Seq } from '@flowscope/shared';
import type { UnsequencedEvent } from '../sources/contract.js';
import { eventFromHead } from './encodedEvents.js';

/**
 * A buffered event kept as its store line's head (`lineHead`) and payload value: a few strings
 * instead of the event's object graph, which each young-generation collection would otherwise
 * copy before promoting it (ADR 0025). Read back into an event when asked for.
 */
class Line {
  constructor(
    readonly seq: number,
    readonly head: string,
    readonly value: string,
    readonly channel: string,
    readonly source: EventOrigin,
    /** Kept, not computed again on each read (a head leaves it out when it is the value's SHA-256). */
    readonly sha256: string,
  ) {}

  event(): FlowEvent {
    const e = eventFromHead(this.head, this.value, this.channel, this.source, this.sha256) as FlowEvent;
    (e as { seq: Seq }).seq = this.seq as Seq;
    return e;
  }
}

type Buffered = FlowEvent | Line;
const eventOf = (b: Buffered | undefined): FlowEvent | undefined => (b instanceof Line ? b.event() : b);

/**
 * Records on disk that seqs up to `upTo` may be given out, before any is; false when that failed.
 * What makes seqs unique across a crash: a restart goes on after the last reservation.
 */
export type ReserveSeqs = (upTo: number) => boolean;

/** Seqs reserved at a time: one small write to the store per this many events. */
const SEQ_BLOCK = 100_000;
/** After a failed reservation, the next try comes this many events later. */
const RESERVE_RETRY = 1000;

/**
 * Gives every accepted event the next seq and keeps the newest ones in a ring buffer, for the
 * live resume and the recent end of queries. Invariant: seqs are 1, 2, 3, … with no reuse, also
 * across restarts, clean or not (`resume` continues after the last seq reserved, see ReserveSeqs).
 */
export class Sequencer {
  private lastSeq = 0;
  /** Seqs up to this are reserved (`reserve`); the next one past it reserves a block first. */
  private reservedUpTo = 0;
  private readonly ring: (Buffered | undefined)[];
  /** Seqs below this were let go before the ring came round (the memory budget). */
  private floor = 1;

  constructor(
    bufferSize: number,
    /** When given, the buffer holds no more events than fit in its share of the budget. */
    private readonly budget?: { events(share: number): number; observe(e: FlowEvent): void },
    private readonly reserve?: ReserveSeqs,
  ) {
    this.ring = new Array<Buffered | undefined>(bufferSize);
  }

  get capacity(): number {
    return this.ring.length;
  }

  /**
   * Takes ownership of `normalized` (ingest hands over objects built for it: by normalize, by a
   * source thread's message, by a capture line's parse): it becomes the event, with its seq, and
   * is not copied (a copy of every field of every event was a measurable share of ingest).
   */
  next(normalized: UnsequencedEvent): FlowEvent {
    const seq = (this.lastSeq + 1) as Seq;
    if (seq > this.reservedUpTo && this.reserve) {
      const upTo = seq + SEQ_BLOCK - 1;
      this.reservedUpTo = this.reserve(upTo) ? upTo : seq + RESERVE_RETRY - 1;
    }
    const event = normalized as FlowEvent;
    (event as { seq: Seq }).seq = seq;
    this.lastSeq = seq;
    this.ring[seq % this.ring.length] = event;
    if (this.budget) {
      this.budget.observe(event);
      // The buffer's half of the budget; the correlation engine's window is the other part.
      const keep = this.budget.events(BUFFER_SHARE);
      while (this.lastSeq - this.floor + 1 > keep) {
        const old = this.floor % this.ring.length;
        if (this.ring[old]?.seq === this.floor) this.ring[old] = undefined;
        this.floor += 1;
      }
    }
    return event;
  }

  /**
   * Keeps the event just sequenced as its store line (`head`) from now on, when it is still
   * buffered: callers hold the event itself only while they take it in.
   */
  keepAsLine(event: FlowEvent, head: string): void {
    const at = event.seq % this.ring.length;
    if (this.ring[at] === event)
      this.ring[at] = new Line(event.seq, head, event.payload.value, event.channel, event.source, event.payload.sha256);
  }

  /**
   * Puts back events that a previous run stored (oldest first), and continues after `lastSeq`
   * (the store's high-water mark: its newest seq, or a reservation past it).
   */
  resume(events: readonly FlowEvent[], lastSeq: number): void {
    for (const event of events) this.ring[event.seq % this.ring.length] = event;
    this.lastSeq = Math.max(this.lastSeq, lastSeq);
    this.reservedUpTo = this.lastSeq;
    this.floor = Math.max(this.floor, events[0]?.seq ?? this.lastSeq + 1);
  }

  get latestSeq(): number {
    return this.lastSeq;
  }

  /** Oldest seq still buffered (1 when nothing was evicted yet). */
  get oldestSeq(): number {
    return Math.max(1, this.floor, this.lastSeq - this.ring.length + 1);
  }

  /** The buffered event with this seq, if it is still buffered. */
  at(seq: number): FlowEvent | undefined {
    const e = this.ring[seq % this.ring.length];
    return e?.seq === seq ? eventOf(e) : undefined;
  }

  /** Buffered events with seq > afterSeq, oldest first, and how many of those are no longer buffered. */
  after(afterSeq: number, limit = Number.POSITIVE_INFINITY): { events: FlowEvent[]; skipped: number } {
    const from = Math.max(afterSeq + 1, this.oldestSeq);
    const skipped = Math.max(0, from - (afterSeq + 1));
    const events: FlowEvent[] = [];
    for (let s = from; s <= this.lastSeq && events.length < limit; s++) {
      const e = eventOf(this.ring[s % this.ring.length]);
      if (e) events.push(e);
    }
    return { events, skipped };
  }

  find(id: string): FlowEvent | undefined {
    // A head begins with its id (events are made id first); one that does not is read whole.
    const start = `{"id":${JSON.stringify(id)},`;
    for (const b of this.ring) {
      if (b === undefined) continue;
      if (!(b instanceof Line)) {
        if (b.id === id) return b;
      } else if (b.head.startsWith(start)) return b.event();
      else if (!b.head.startsWith('{"id":')) {
        const e = b.event();
        if (e.id === id) return e;
      }
    }
    return undefined;
  }
}

/** The share of the memory budget that buffered events may take. */
const BUFFER_SHARE = 0.5;
