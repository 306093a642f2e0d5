import type { RawRecord, SourceGap } from '../contract.js';
import { ackRecord, coreRecord, type NatsMessage } from './records.js';
import { isInternalSubject, parseAck, subjectMatches } from './subjects.js';

export type CoreTapOptions = {
  /** Ids of the tap's messages start with it (core NATS messages have no id of their own). */
  readonly idPrefix: string;
  readonly cluster: string;
  /** The configured subject patterns, in subscription order. */
  readonly subjects: readonly string[];
  /** Show the server's and clients' own subjects (`$JS.API`, `_INBOX`, `$KV`, …) too. */
  readonly internal: boolean;
  /** Flowscope's own reply inbox prefix: its own traffic is never an event. */
  readonly ownInbox: string;
};

/**
 * Plain subscriptions (no queue group) on configured subjects: every subscriber gets its own
 * copy, so applications receive exactly what they did. Messages arriving in one tick make one
 * batch. A message matching several configured patterns arrives once per subscription: only the
 * first matching subscription's copy is kept. Subjects a tapped stream captures are left to the
 * stream (read with their sequence). Core NATS keeps nothing: a window without the subscriptions
 * is a gap.
 */
export class CoreTap {
  private pending: RawRecord[] = [];
  private count = 0;
  private downSince?: number;

  constructor(
    private readonly options: CoreTapOptions,
    private readonly captured: (subject: string) => boolean,
    /** Streams whose consumers' acks are shown (`$JS.ACK.<stream>.…`, opt-in). */
    private readonly ackStreams: () => ReadonlySet<string>,
    private readonly flush: (batch: readonly RawRecord[]) => void,
  ) {}

  /** The listener of the subscription to `subjects[index]`. */
  onMessage(index: number, m: NatsMessage) {
    const subject = m.subject;
    if (subject.startsWith(this.options.ownInbox)) return;
    if (this.options.subjects.slice(0, index).some((p) => subjectMatches(p, subject))) return;
    if (subject.startsWith('$JS.ACK.') && this.ackStreams().size > 0) return; // the ack subscription's
    if (!this.options.internal && isInternalSubject(subject)) return;
    if (this.captured(subject)) return;
    this.push(coreRecord(m, this.nextId(), Date.now()));
  }

  /** The listener of the `$JS.ACK.>` subscription (opt-in): acks of tapped streams' messages. */
  onAck(m: NatsMessage) {
    const ack = parseAck(m.subject);
    if (!ack || !this.ackStreams().has(ack.stream)) return;
    this.push(ackRecord(ack, m.data, this.options.cluster, this.nextId(), Date.now()));
  }

  /** The subscriptions were lost (the connection dropped). */
  lost(at: number) {
    this.downSince ??= at;
  }

  /** Subscribed again: the window without subscriptions, as a gap. */
  resumed(at: number): SourceGap | undefined {
    const from = this.downSince;
    this.downSince = undefined;
    if (from === undefined || this.options.subjects.length === 0) return undefined;
    return {
      reason: 'not-running',
      from,
      until: at,
      detail: `Messages on ${this.options.subjects.join(', ')} published from ${new Date(from).toISOString()} to ${new Date(at).toISOString()} were not received: the connection was down, and core NATS keeps nothing (stream history is read again from where it stopped).`,
    };
  }

  drain() {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.flush(batch);
  }

  private nextId() {
    this.count += 1;
    return `${this.options.idPrefix}-${this.count}`;
  }

  private push(record: RawRecord) {
    if (this.pending.length === 0) setImmediate(() => this.drain());
    this.pending.push(record);
  }
}
