/**
 * Batches of normalized events, as store line heads and payload values, serialized on a source
 * thread and decoded on the main thread one chunk at a time as ingest takes them (EncodedEvents,
 * ADR 0024 §9).
 */
import { deserialize, serialize } from 'node:v8';
import type { EventOrigin } from '@flowscope/shared';
import type { EncodedEvents, EventChunk, NormalizedExtras, UnsequencedEvent } from '../sources/contract.js';
import { lineHead } from '../store/blocks.js';

/** Events per chunk: what ingest takes between two looks at the clock (see Ingest.sliced). */
const CHUNK_EVENTS = 64;

/** Serializes a batch in chunks; `transfer` lists their memory, to move rather than copy it. */
export function encodeEvents(
  events: readonly UnsequencedEvent[],
  extras: NormalizedExtras = {},
): { batch: EncodedEvents; transfer: ArrayBuffer[] } {
  const chunks: Uint8Array[] = [];
  const transfer: ArrayBuffer[] = [];
  for (let from = 0; from < events.length; from += CHUNK_EVENTS) {
    const part = events.slice(from, from + CHUNK_EVENTS);
    const hashed = (j: number) => extras.valueHashed?.[from + j] === 1;
    const chunk: EventChunk = {
      heads: part.map((e, j) => lineHead(e, hashed(j))),
      values: part.map((e) => e.payload.value),
      channels: part.map((e) => e.channel),
      sources: part.map((e) => e.source),
      hashes: part.map((e, j) => (hashed(j) ? e.payload.sha256 : null)),
      ...(extras.parsed ? { parsed: extras.parsed.slice(from, from + CHUNK_EVENTS) } : {}),
    };
    const bytes = serialize(chunk);
    chunks.push(bytes);
    // A buffer of its own (as v8.serialize makes them) moves; a view into a shared one is copied.
    if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength)
      transfer.push(bytes.buffer as ArrayBuffer);
  }
  return { batch: { count: events.length, chunkSize: CHUNK_EVENTS, chunks }, transfer };
}

/** Event i of an encoded batch, its store line head (`lineHead`) and what normalize learnt about it. */
export type EncodedEvent = {
  readonly event: UnsequencedEvent;
  readonly head: string;
  readonly parsed: unknown;
  readonly valueHashed: boolean;
};

/** Reads an encoded batch in order; holds one decoded chunk at a time. */
export class EncodedReader {
  private index = -1;
  private chunk: EventChunk = { heads: [], values: [], channels: [], sources: [], hashes: [] };

  constructor(private readonly batch: EncodedEvents) {}

  at(i: number): EncodedEvent {
    const c = Math.floor(i / this.batch.chunkSize);
    if (c !== this.index) {
      const bytes = this.batch.chunks[c];
      if (!bytes) throw new RangeError(`event ${i} is outside a batch of ${this.batch.count}`);
      this.chunk = deserialize(bytes) as EventChunk;
      this.index = c;
    }
    const j = i - c * this.batch.chunkSize;
    const { heads, values, channels, sources, hashes, parsed } = this.chunk;
    const head = heads[j];
    if (head === undefined) throw new RangeError(`event ${i} is outside a batch of ${this.batch.count}`);
    const hash = hashes[j];
    const event = eventFromHead(head, values[j] as string, channels[j] as string, sources[j] as EventOrigin, hash);
    return { event, head, parsed: parsed?.[j], valueHashed: typeof hash === 'string' };
  }
}

/**
 * An event from its store line head (`lineHead`) and what the head leaves out: its payload value,
 * channel and source, and its payload hash when the head left that out (null: the head has it).
 */
export function eventFromHead(
  head: string,
  value: string,
  channel: string,
  source: EventOrigin,
  sha256: string | null | undefined,
): { -readonly [K in keyof UnsequencedEvent]: UnsequencedEvent[K] } {
  const event = JSON.parse(head) as { -readonly [K in keyof UnsequencedEvent]: UnsequencedEvent[K] };
  event.source = source;
  event.channel = channel;
  const payload = event.payload as { sha256: string; value: string };
  if (typeof sha256 === 'string') payload.sha256 = sha256;
  payload.value = value;
  return event;
}
