import type { FlowEvent, Seq } from '@flowscope/shared';
import type { UnsequencedEvent } from '../sources/contract.js';

/**
 * Gives every accepted event the next seq and keeps the newest ones in a ring buffer, for the
 * live resume and the recent end of queries. Invariant: seqs are 1, 2, 3, … with no reuse, also
 * across restarts (`resume` continues after the last stored seq).
 */
export class Sequencer {
  private lastSeq = 0;
  private readonly ring: (FlowEvent | undefined)[];

  constructor(bufferSize: number) {
    this.ring = new Array<FlowEvent | undefined>(bufferSize);
  }

  get capacity(): number {
    return this.ring.length;
  }

  next(normalized: UnsequencedEvent): FlowEvent {
    const seq = (this.lastSeq + 1) as Seq;
    const event: FlowEvent = { ...normalized, seq };
    this.lastSeq = seq;
    this.ring[seq % this.ring.length] = event;
    return event;
  }

  /** Puts back events that a previous run stored (oldest first), and continues after `lastSeq`. */
  resume(events: readonly FlowEvent[], lastSeq: number): void {
    for (const event of events) this.ring[event.seq % this.ring.length] = event;
    this.lastSeq = Math.max(this.lastSeq, lastSeq);
  }

  get latestSeq(): number {
    return this.lastSeq;
  }

  /** Oldest seq still buffered (1 when nothing was evicted yet). */
  get oldestSeq(): number {
    return Math.max(1, this.lastSeq - this.ring.length + 1);
  }

  /** The buffered event with this seq, if it is still buffered. */
  at(seq: number): FlowEvent | undefined {
    const e = this.ring[seq % this.ring.length];
    return e?.seq === seq ? e : undefined;
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

  find(id: string): FlowEvent | undefined {
    return this.ring.find((e) => e?.id === id);
  }
}
