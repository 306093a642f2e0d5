import type { SchemaDecoding } from '../decoding/schemas.js';
import type { UnsequencedEvent } from '../ingest/normalize.js';
import type { BrokerKind, ConsumerGroup, Gap, SourceFailureReason, SourceState } from '@flowscope/shared';

/** Header value as a broker client hands it over: bytes, text, or repeated. */
export type RawHeaderValue = Uint8Array | string | undefined | readonly (Uint8Array | string | undefined)[];

/** One message as read from a broker, before decoding. Bytes stay bytes until `normalize`. */
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
  /** What schema decoding (Avro, Protobuf, JSON Schema) made of `value`, when it applied. */
  readonly schema?: SchemaDecoding;
};

export type SourceProblem = { reason: SourceFailureReason; message: string; hint: string };

/** A place where the source knows it lost continuity (the registry stamps time and source id). */
export type SourceGap = Omit<Gap, 'id' | 'at' | 'source'>;

/** What a source reports back: records as they arrive, changes of its state, gaps, consumer groups. */
export interface SourceSink {
  record(record: RawRecord): void;
  state(state: SourceState, problem?: SourceProblem): void;
  gap(gap: SourceGap): void;
  /** An event that was normalized elsewhere (a replayed capture): taken as it is. */
  replay(event: UnsequencedEvent): void;
  /** The broker's consumer groups as last read (replaces the previous reading). */
  groups(groups: readonly ConsumerGroup[]): void;
}

/**
 * A tap on one broker (or the demo). Implementations are read-only toward the broker, load their
 * client library only when started, and never throw out of `start` for broker trouble: they report
 * it through `sink.state` and keep retrying until `stop`.
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
}
