/**
 * Batches of normalized events, made into store lines and serialized on a source thread, and
 * decoded on the main thread one chunk at a time as ingest takes them (EncodedEvents, ADR 0024 §9).
 */
import { deserialize, serialize } from 'node:v8';
import type { EncodedEvents, EventChunk, NormalizedExtras, UnsequencedEvent } from '../sources/contract.js';

/** Events per chunk: what ingest takes between two looks at the clock (see Ingest.sliced). */
const CHUNK_EVENTS = 64;

/**
 * An event's store line without its seq (the main thread gives it one, and the writer puts it
 * first): the JSON the store keeps, without source and channel (its block's) and, when
 * `valueHashed`, without the payload's hash (the value gives it back). As `lineHead` and
 * `joinLine` in the store make it from a whole event.
 */
function threadLine(e: UnsequencedEvent, valueHashed: boolean): string {
  const { source: _source, channel: _channel, payload, ...rest } = e;
  if (!valueHashed) return JSON.stringify({ ...rest, payload });
  const { sha256: _sha256, value, ...described } = payload;
  return JSON.stringify({ ...rest, payload: { ...described, value } });
}

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
      lines: part.map((e, j) => threadLine(e, hashed(j))),
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

/** Event i of an encoded batch, its store line (without seq) and what normalize learnt about it. */
export type EncodedEvent = {
  readonly event: UnsequencedEvent;
  readonly line: string;
  readonly parsed: unknown;
  readonly valueHashed: boolean;
};

/** Reads an encoded batch in order; holds one decoded chunk at a time. */
export class EncodedReader {
  private index = -1;
  private chunk: EventChunk = { lines: [], channels: [], sources: [], hashes: [] };

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
    const { lines, channels, sources, hashes, parsed } = this.chunk;
    const line = lines[j];
    if (line === undefined) throw new RangeError(`event ${i} is outside a batch of ${this.batch.count}`);
    const event = JSON.parse(line) as { -readonly [K in keyof UnsequencedEvent]: UnsequencedEvent[K] };
    event.source = sources[j] as UnsequencedEvent['source'];
    event.channel = channels[j] as string;
    const hash = hashes[j];
    if (typeof hash === 'string') (event.payload as { sha256: string }).sha256 = hash;
    return { event, line, parsed: parsed?.[j], valueHashed: typeof hash === 'string' };
  }
}
