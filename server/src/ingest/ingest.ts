import type { CorrelationRule, EventOrigin, FlowEvent } from '@flowscope/shared';
import type { EncodedEvents, NormalizedExtras, RawRecord, UnsequencedEvent } from '../sources/contract.js';
import { admitEvent } from './admit.js';
import { EncodedReader } from './encodedEvents.js';
import { lineHead } from '../store/blocks.js';
import type { EventStore } from '../store/eventStore.js';
import type { DecodingStage } from './decoding/stage.js';
import type { Masks } from './mask.js';
import { normalizeRecord } from './normalize.js';
import type { Observers } from './observers.js';
import type { Sequencer } from './sequencer.js';

export type IngestOptions = {
  readonly maxPayloadBytes: number;
  readonly rules?: readonly CorrelationRule[];
  readonly producerHeaders?: readonly string[];
  readonly masks?: Masks;
  /** Schema decoding (Avro, Protobuf, JSON Schema) for the channels it is configured for. */
  readonly decoding?: DecodingStage;
  readonly now: () => number;
  /** How long one slice of a large batch may hold the main thread (default SLICE_MS). */
  readonly sliceMs?: number;
};

/**
 * Called for every accepted event with the id of the flow it now belongs to, and its payload's
 * JSON value when ingest parsed one (undefined otherwise): use it rather than parsing again.
 */
export type EventListener = (event: FlowEvent, flowId: string, json: unknown) => void;

/** Where a batch came from: the source's id (for per-source decoding rules) and the events' origin. */
export type BatchOrigin = { readonly sourceId: string; readonly origin: EventOrigin };

/**
 * The write side: a batch of raw records is decoded (schemas, when configured for its channel),
 * normalized, sequenced, observed, queued for the store and announced, in the order batches were
 * handed over, also when a schema lookup makes one batch wait. Nothing is dropped here.
 */
export class Ingest {
  private readonly listeners = new Set<EventListener>();
  /** The last batch still in flight; later batches wait for it so seq order is arrival order. */
  private tail: Promise<unknown> | undefined;
  /** When the running slice began (performance.now()); see `sliced`. */
  private sliceStarted = 0;

  constructor(
    private readonly sequencer: Sequencer,
    private readonly observers: Observers,
    private readonly store: EventStore | undefined,
    private readonly o: IngestOptions,
  ) {}

  /**
   * A batch of records from one source; resolves with its events, in order. A large batch is
   * worked through in slices of a few milliseconds (see `sliced`), so a source that awaits this
   * reads no faster than Flowscope keeps up, and HTTP and live clients are served in between.
   */
  records(from: BatchOrigin, batch: readonly RawRecord[]): Promise<readonly FlowEvent[]> {
    const decoded = this.o.decoding ? this.o.decoding.decode(from.sourceId, batch) : batch;
    return this.inOrder(decoded, (r, now) => {
      const { event, json, valueHashed } = normalizeRecord(r, from.origin, now, this.o);
      return this.accept(event, json, valueHashed);
    });
  }

  /**
   * A batch of events normalized elsewhere (a replayed capture, a source thread), taken as they
   * are, with what was learnt about them there (`extras`: parsed payloads, hashes of values); a
   * batch without extras is admitted first (times, masks, the payload cap: see admitEvent).
   */
  events(batch: readonly UnsequencedEvent[], extras?: NormalizedExtras): Promise<readonly FlowEvent[]> {
    const hashed = extras?.valueHashed;
    // Without extras (a replayed capture) the events meet what a broker's record meets in normalize.
    return this.inOrder(batch, (e, now, i) =>
      extras
        ? this.accept(e, extras.parsed?.[i], hashed ? hashed[i] === 1 : undefined)
        : this.accept(admitEvent(e, now, this.o), undefined, undefined),
    );
  }

  /**
   * A batch from a source thread, decoded a chunk at a time just before it is taken (see
   * EncodedEvents): the same as `events` for what it holds.
   */
  encoded(batch: EncodedEvents): Promise<readonly FlowEvent[]> {
    const reader = new EncodedReader(batch);
    return this.inOrder({ length: batch.count }, (_, _now, i) => {
      const { event, parsed, valueHashed, head } = reader.at(i);
      return this.accept(event, parsed, valueHashed, head);
    });
  }

  /** Resolves when every batch handed over so far has been accepted. */
  async drained(): Promise<void> {
    while (this.tail) await this.tail;
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Brings back what a previous run stored: the newest events refill the buffer and every
   * observer, and seq continues after the last one the previous run reserved (a killed run's
   * unwritten seqs are never given out again). Returns how many were restored.
   */
  restore(): number {
    const store = this.store;
    if (!store) return 0;
    const events = store.tail(this.sequencer.capacity);
    this.sequencer.resume(events, store.seqHighWater());
    for (const event of events) this.observers.observe(event);
    return events.length;
  }

  /**
   * `valueHashed`: known from normalize (see Normalized), or undefined when not known here. `head`:
   * the event's store line head, when a source thread made it.
   */
  private accept(
    normalized: UnsequencedEvent,
    json: unknown,
    valueHashed: boolean | undefined,
    head?: string,
  ): FlowEvent {
    const event = this.sequencer.next(normalized);
    const flowId = this.observers.observe(event, json);
    if (this.store) {
      // With a store, the buffer keeps the event as its line (the same the store is given).
      const line = head ?? lineHead(event, valueHashed);
      this.store.append(event, valueHashed, line);
      this.sequencer.keepAsLine(event, line);
    }
    for (const listener of this.listeners) listener(event, flowId, json);
    return event;
  }

  /**
   * Runs `one` over the batch now when nothing is waiting and the batch is small, otherwise after
   * what is waiting, in slices.
   */
  private inOrder<T>(
    batch: ArrayLike<T> | Promise<ArrayLike<T>>,
    one: (item: T, receivedAt: number, index: number) => FlowEvent,
  ): Promise<readonly FlowEvent[]> {
    if (!this.tail && !(batch instanceof Promise) && batch.length <= SMALL_BATCH && !this.store?.backlogged) {
      try {
        const now = this.o.now();
        const started = performance.now();
        const out: FlowEvent[] = [];
        for (let i = 0; i < batch.length; i++) {
          out.push(one(batch[i] as T, now, i));
          // Records of megabytes make a small batch long: the rest waits its turn, in slices.
          if (i + 1 < batch.length && performance.now() - started >= (this.o.sliceMs ?? SLICE_MS)) {
            this.sliceStarted = started;
            return this.afterTail(batch, one, out);
          }
        }
        return Promise.resolve(out);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.afterTail(batch, one, []);
  }

  /** Runs the batch (after its first `done.length` items, already taken) once what waits is done. */
  private afterTail<T>(
    batch: ArrayLike<T> | Promise<ArrayLike<T>>,
    one: (item: T, receivedAt: number, index: number) => FlowEvent,
    done: FlowEvent[],
  ): Promise<readonly FlowEvent[]> {
    const run = Promise.all([this.tail, batch]).then(([, ready]) => this.sliced(ready as ArrayLike<T>, one, done));
    const settled: Promise<unknown> = run.then(
      () => undefined,
      () => undefined,
    );
    this.tail = settled;
    void settled.then(() => {
      if (this.tail === settled) this.tail = undefined;
    });
    return run;
  }

  /**
   * Works through a batch in slices of about SLICE_MS, yielding to the event loop between them:
   * one Kafka fetch can hold thousands of records, and the main thread also answers HTTP and feeds
   * live clients (the event-loop delay stays near a slice, not a whole batch). A slice spans
   * batches: batches waiting their turn start in the same turn of the event loop as the one before
   * ends, so each checks the time since the slice began, not since it began itself (a source thread
   * reads thousands of events ahead, and run back to back they held the loop for 100-200 ms).
   */
  private async sliced<T>(
    items: ArrayLike<T>,
    one: (item: T, receivedAt: number, index: number) => FlowEvent,
    out: FlowEvent[],
  ): Promise<FlowEvent[]> {
    const sliceMs = this.o.sliceMs ?? SLICE_MS;
    let i = out.length;
    while (i < items.length) {
      // The store's writer is behind: wait for it here, so the source waits too (backpressure).
      if (this.store?.backlogged) await this.store.writable();
      if (performance.now() - this.sliceStarted >= sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.sliceStarted = performance.now();
      }
      const now = this.o.now();
      do {
        out.push(one(items[i] as T, now, i));
        i += 1;
        // The clock is read after every record: one of megabytes takes as long as thousands of small ones.
      } while (i < items.length && performance.now() - this.sliceStarted < sliceMs);
    }
    return out;
  }
}

/** Batches up to this size are taken at once, without waiting for a turn of the event loop. */
const SMALL_BATCH = 256;
/** How long one slice of a large batch may hold the main thread. */
const SLICE_MS = 8;
