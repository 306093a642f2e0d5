import type { Logger } from 'pino';
import type { ConsumerConfig, JetStreamClient, JetStreamManager, JsMsg, StoredMsg } from '@nats-io/jetstream';
import type { LagReading, RawRecord, SourceGap } from '../contract.js';
import { kvRecord, streamRecord, type StoredMessage } from './records.js';
import { natsStart, startSeq, type StartPosition } from './startPosition.js';

/** A stream chosen for reading: an application stream, or a KV bucket's (`KV_<bucket>`) read as state. */
export type StreamTarget = {
  readonly name: string;
  /** `limits` streams are read with an ordered consumer of Flowscope's own; others by sequence. */
  readonly retention: 'limits' | 'interest' | 'workqueue';
  readonly bucket?: string;
};

/** The JetStream handles of one connection. */
export type Jet = { readonly jsm: JetStreamManager; readonly js: JetStreamClient };

type Out = { records(batch: readonly RawRecord[]): Promise<void>; gap(gap: SourceGap): void };

/** How long Flowscope's consumers outlive a crash (or a lost connection) on the server. */
const INACTIVE_NS = 30_000_000_000;
const BATCH = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Messages removed from a stream before Flowscope read them: reading expected `expected` and got
 * `seq` (or, with `seq` undefined, the stream's last sequence is `last` and nothing is left).
 */
export function removedGap(stream: string, expected: number, seq: number): SourceGap | undefined {
  const lost = seq - expected;
  if (lost <= 0) return undefined;
  const range = lost === 1 ? `${expected}` : `${expected}–${seq - 1}`;
  return {
    channel: stream,
    reason: 'trimmed',
    fromOffset: String(expected),
    untilOffset: String(seq - 1),
    detail: `${stream}: ${lost} message${lost === 1 ? '' : 's'} (sequence ${range}) left the stream before Flowscope read ${lost === 1 ? 'it' : 'them'} (limits, a work-queue or interest consumer's acknowledgement, or a delete).`,
  };
}

const stored = (m: JsMsg | StoredMsg): StoredMessage => ({
  subject: m.subject,
  seq: m.seq,
  data: m.data,
  headers: 'header' in m ? m.header : m.headers,
  timestamp: m.time.getTime(),
});

/**
 * Reads one stream without disturbing anyone. A `limits` stream gets an ordered, ephemeral,
 * unacknowledged, in-memory consumer of Flowscope's own (`flowscope-tap-…`), re-created at the
 * next sequence whenever a delivery is missed; other retentions would count it as interest or
 * refuse it, so they are read by sequence with `STREAM.MSG.GET` and polled. A jump in the stream
 * sequence is history removed before it was read: a gap (not for KV buckets, whose older
 * revisions are superseded by design).
 */
export class StreamReader {
  /** The next sequence to read; undefined until placed. */
  next?: number;
  /** Flowscope's consumer on the stream right now, if any. */
  consumer?: string;
  /** The stream's last sequence, as last known: the end of its log. */
  private end = 0;
  /** Timestamp (ms) of the last message read. */
  private lastTime?: number;
  private created = 0;
  private retired = false;
  private woken?: () => void;
  private eager = 0;

  constructor(
    readonly target: StreamTarget,
    private readonly prefix: string,
    private readonly out: Out,
    private readonly log: Logger,
    private readonly pollMs = 500,
  ) {}

  /** Where reading starts, once: positions are kept across reconnects. */
  async place(jet: Jet, position: StartPosition, startedAt: number) {
    if (this.next !== undefined) return;
    const { state } = await jet.jsm.streams.info(this.target.name);
    const bounds = { firstSeq: state.first_seq, lastSeq: state.last_seq };
    this.seen(state.last_seq);
    this.next = await startSeq(position, bounds, startedAt, (t) => this.seqAt(jet, t, bounds));
    const from = natsStart.describe(position);
    this.log.info({ stream: this.target.name, from, seq: this.next }, `reading ${this.target.name} from ${from}`);
  }

  /** The stream's last sequence as read elsewhere (stream info at a discovery). */
  seen(lastSeq: number) {
    this.end = Math.max(this.end, lastSeq);
  }

  /** Flowscope's lag on this stream: messages after the last one read, up to its last sequence. */
  lag(): LagReading | undefined {
    if (this.next === undefined) return undefined;
    return {
      channel: this.target.name,
      records: Math.max(0, this.end - (this.next - 1)),
      ...(this.lastTime !== undefined ? { lastTimestamp: this.lastTime } : {}),
    };
  }

  /** A message was published to the stream's subjects: a reader by sequence reads now. */
  wake() {
    // A few quick reads: the copy may arrive before the stream has stored the message.
    this.eager = 3;
    this.woken?.();
  }

  /** The stream is no longer tapped (deleted, or no longer matched): its loop ends. */
  retire() {
    this.retired = true;
  }

  /**
   * Reads until the connection fails (it throws), the source stops or the reader is retired; a
   * consumer created meanwhile is deleted on the way out while the connection lasts.
   */
  async run(jet: Jet, stopping: () => boolean, closed: () => boolean) {
    const stopped = () => stopping() || this.retired || closed();
    while (!stopped()) {
      try {
        if (this.target.retention === 'limits') await this.consume(jet, stopped);
        else await this.poll(jet, stopped);
      } catch (err) {
        if (stopped()) break;
        if (isClosed(err)) throw err;
        this.log.warn({ stream: this.target.name, err: (err as Error).message }, 'stream read failed; retrying');
        await sleep(1000);
      }
    }
    if (!closed()) await this.dispose(jet);
  }

  /** Deletes Flowscope's consumer (on stop, or before reading again on a new connection). */
  async dispose(jet: Jet) {
    const name = this.consumer;
    this.consumer = undefined;
    if (name) await jet.jsm.consumers.delete(this.target.name, name).catch(() => undefined);
  }

  private accept(m: JsMsg | StoredMsg, batch: RawRecord[]) {
    const expected = this.next ?? m.seq;
    const gap = this.target.bucket === undefined ? removedGap(this.target.name, expected, m.seq) : undefined;
    if (gap) this.out.gap(gap);
    const message = stored(m);
    this.lastTime = message.timestamp;
    // A consumer's delivery says how many are left after it; a read by sequence does not.
    this.seen('info' in m ? m.seq + m.info.pending : m.seq);
    batch.push(
      this.target.bucket === undefined
        ? streamRecord(this.target.name, message)
        : kvRecord(this.target.bucket, message),
    );
    this.next = m.seq + 1;
  }

  /** Hands the batch on; awaiting it makes the next fetch wait until ingest has taken it. */
  private flush(batch: RawRecord[]): Promise<void> {
    return batch.length > 0 ? this.out.records(batch.splice(0)) : Promise.resolve();
  }

  private async consume(jet: Jet, stopped: () => boolean) {
    await this.dispose(jet);
    this.created += 1;
    const name = `${this.prefix}-${this.created}`;
    const config: Partial<ConsumerConfig> = {
      name,
      ack_policy: 'none' as ConsumerConfig['ack_policy'],
      deliver_policy: 'by_start_sequence' as ConsumerConfig['deliver_policy'],
      opt_start_seq: this.next ?? 1,
      replay_policy: 'instant' as ConsumerConfig['replay_policy'],
      mem_storage: true,
      num_replicas: 1,
      inactive_threshold: INACTIVE_NS,
    };
    const info = await jet.jsm.consumers.add(this.target.name, config);
    this.consumer = name;
    const consumer = jet.js.consumers.getConsumerFromInfo(info);
    let delivered = 0;
    const batch: RawRecord[] = [];
    while (!stopped()) {
      const messages = await consumer.fetch({ max_messages: BATCH, expires: 1000 });
      for await (const m of messages) {
        if (stopped()) return;
        // A missed delivery: start again at the next sequence, as an ordered consumer does.
        if (m.info.deliverySequence !== delivered + 1) {
          await this.flush(batch);
          return;
        }
        delivered = m.info.deliverySequence;
        this.accept(m, batch);
        if (messages.getPending() === 0 || batch.length >= BATCH) void this.flush(batch);
      }
      await this.flush(batch);
    }
  }

  private async poll(jet: Jet, stopped: () => boolean) {
    const batch: RawRecord[] = [];
    while (!stopped()) {
      const m = await this.messageAt(jet, this.next ?? 1);
      if (m && !stopped()) {
        this.accept(m, batch);
        if (batch.length >= 100) await this.flush(batch);
        continue;
      }
      await this.flush(batch);
      // Nothing at or after `next`: the stream may have moved past it (taken before it was read).
      const { state } = await jet.jsm.streams.info(this.target.name);
      this.seen(state.last_seq);
      const next = this.next ?? 1;
      if (state.last_seq >= next && !(await this.messageAt(jet, next))) {
        const gap = removedGap(this.target.name, next, state.last_seq + 1);
        if (gap && this.target.bucket === undefined) this.out.gap(gap);
        this.next = state.last_seq + 1;
        continue;
      }
      if (state.last_seq >= next) continue;
      if (this.eager > 0) {
        this.eager -= 1;
        await sleep(2);
        continue;
      }
      await Promise.race([sleep(this.pollMs), new Promise<void>((resolve) => (this.woken = resolve))]);
      this.woken = undefined;
    }
  }

  /** The first message at or after `seq` (`STREAM.MSG.GET` with `next_by_subj`), or null. */
  private messageAt(jet: Jet, seq: number): Promise<StoredMsg | null> {
    return jet.jsm.streams.getMessage(this.target.name, { seq, next_by_subj: '>' } as never);
  }

  /** The first sequence stored at or after `t`, by bisection over reads by sequence. */
  private async seqAt(jet: Jet, t: number, bounds: { firstSeq: number; lastSeq: number }): Promise<number> {
    let lo = Math.max(1, bounds.firstSeq);
    let hi = bounds.lastSeq + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const m = await this.messageAt(jet, mid);
      if (!m || m.time.getTime() >= t) hi = mid;
      else lo = m.seq + 1;
    }
    return lo;
  }
}

/** The connection is gone: the session starts again. */
const isClosed = (err: unknown) =>
  err instanceof Error && /closed|disconnect|CONNECTION_CLOSED|ConnectionError/i.test(`${err.name} ${err.message}`);
