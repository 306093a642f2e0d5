/**
 * The contract between a broker source and the rest of Flowscope. Sources and ingest both import
 * this file and nothing of each other: a source hands over raw records in batches, ingest turns
 * them into events. It imports only the shared model.
 */
import type {
  BrokerKind,
  Consumer,
  EventOrigin,
  FlowEvent,
  Gap,
  SourceFailureReason,
  SourceState,
} from '@flowscope/shared';

/** Header value as a broker client hands it over: bytes, text, or repeated. */
export type RawHeaderValue = Uint8Array | string | undefined | readonly (Uint8Array | string | undefined)[];

/** One message as read from a broker, before decoding. Bytes stay bytes until ingest decodes them. */
export type RawRecord = {
  readonly channel: string;
  readonly partition?: number;
  readonly offset?: string;
  /** The broker's own id for the message, when there is no offset (AMQP, NATS, SQS). */
  readonly messageId?: string;
  /** Broker timestamp in ms since the epoch. */
  readonly timestamp: number;
  readonly key?: Uint8Array | string | null;
  readonly headers: Readonly<Record<string, RawHeaderValue>>;
  readonly value: Uint8Array | string | null;
};

/** A normalized event before ingest gives it a sequence number (a replayed capture hands these over). */
export type UnsequencedEvent = Omit<FlowEvent, 'seq'>;

/** Why a source is not reading, for people: what went wrong and what to do about it. */
export type SourceProblem = { reason: SourceFailureReason; message: string; hint: string };

/** A place where the source knows it lost continuity (the registry stamps time and source id). */
export type SourceGap = Omit<Gap, 'id' | 'at' | 'source'>;

/**
 * Where the tap stands in one partition (Kafka) or stream (Redis, JetStream) against the end of
 * its log, as the source last knew both.
 */
export type LagReading = {
  readonly channel: string;
  readonly partition?: number;
  /** Records after the last one read, up to the end of the log. */
  readonly records: number;
  /** Broker timestamp (ms) of the last record read there; undefined when none was read yet. */
  readonly lastTimestamp?: number;
};

/**
 * What a source reports back. Records come in batches (one broker fetch, one tick of the demo),
 * in the order the broker gave them, so ingest can amortize its work per batch.
 */
/** What normalize learnt about a batch's events besides the events (index i: event i). */
export type NormalizedExtras = {
  /** The payload's JSON value, where it was parsed and is worth handing on (catalog samples). */
  readonly parsed?: readonly unknown[];
  /** 1 where the payload's hash is the SHA-256 of its value's UTF-8 (`Normalized.valueHashed`). */
  readonly valueHashed?: Uint8Array;
};

/**
 * A batch of normalized events as it crosses from a source thread: chunks of `chunkSize` events
 * (the last may be shorter), each one an `EventChunk` serialized on that thread. Ingest decodes a
 * chunk just before it takes it, so a batch that waits its turn is bytes off the heap, not
 * thousands of objects that the young generation copies and promotes (ADR 0024 §9).
 */
export type EncodedEvents = {
  readonly count: number;
  readonly chunkSize: number;
  readonly chunks: readonly Uint8Array[];
};

/**
 * One chunk of an EncodedEvents, decoded. Each event crosses as its store line head (JSON without
 * seq, source, channel and payload value, and without the payload's hash where that is its
 * value's) and its payload value. The main thread parses the head into the event and hands the
 * same head to the store, so no thread serializes an event twice, and the value is escaped into
 * the line only by the store's writer. Index j is event j of the chunk.
 */
export type EventChunk = {
  readonly heads: readonly string[];
  readonly values: readonly string[];
  readonly channels: readonly string[];
  /** The events' origins (one object for a chunk of one source). */
  readonly sources: readonly EventOrigin[];
  /** The payload's hash where its line leaves it out (its value's hash); null where the line has it. */
  readonly hashes: readonly (string | null)[];
  /** The payload's JSON value, where it was parsed and is worth handing on (catalog samples). */
  readonly parsed?: readonly unknown[];
};

export interface SourceSink {
  /**
   * Hands a batch to ingest. Resolves when ingest has taken it (never rejects): a source that
   * reads at its own pace (a log: Kafka, Redis Streams, JetStream; a capture file) awaits it
   * before reading on, so a tap that cannot keep up falls behind in the broker's log, where its
   * lag shows, and not in Flowscope's memory. Push sources (subscriptions) need not await.
   */
  records(batch: readonly RawRecord[]): Promise<void>;
  /**
   * Events normalized elsewhere (a replayed capture, a source thread): taken as they are, masks
   * still applied, with what was learnt about them there (`extras`).
   */
  events(batch: readonly UnsequencedEvent[], extras?: NormalizedExtras): Promise<void>;
  /** The same as `events`, from a source thread, decoded chunk by chunk as ingest takes them. */
  encoded?(batch: EncodedEvents): Promise<void>;
  state(state: SourceState, problem?: SourceProblem): void;
  gap(gap: SourceGap): void;
  /** The broker's consumers (groups, queues, durables) as last read; replaces the previous reading. */
  consumers(consumers: readonly Consumer[]): void;
  /**
   * The tap's own lag, every partition or stream it reads; replaces the previous reading. Only a
   * source whose channels are logs with an end calls it (others have no lag: not applicable).
   */
  lag(reading: readonly LagReading[]): void;
}

/**
 * A tap on one broker (or the demo). Implementations are read-only toward the broker, load their
 * client library only when started, and never throw out of `start` for broker trouble: they report
 * it through `sink.state` and keep retrying until `stop`. `stop` is idempotent, and after it
 * resolves nothing more reaches the sink and nothing of Flowscope is left on the broker.
 */
export interface EventSource {
  readonly id: string;
  readonly broker: BrokerKind;
  readonly cluster: string;
  /** What is tapped, for people: never contains credentials. */
  readonly target: string;
  /** Broker addresses (host:port) when the source has them, for documentation; no credentials. */
  readonly servers?: readonly string[];
  start(sink: SourceSink): Promise<void>;
  stop(): Promise<void>;
  /**
   * What this source left on the broker if it is stopped now, for a forced exit to report
   * (e.g. Kafka's tap group); empty when nothing.
   */
  leftovers?(): string[];
}
