import {
  epochMs,
  extractCorrelation,
  INVALID_TIME_HEADER,
  isShowableTime,
  type CorrelationRule,
  type EventOrigin,
  type Payload,
} from '@flowscope/shared';
import { hash } from 'node:crypto';
import type { RawRecord, UnsequencedEvent } from '../sources/contract.js';
import { decodeHeaderValue, decodeKey, decodePayload, type DecodedPayload } from './decode.js';
import { capEvent } from './caps.js';
import { MASKED, maskJson, type Masks } from './mask.js';
import { formatName } from './decoding/schemas.js';
import type { DecodedRecord } from './decoding/stage.js';

export type NormalizeOptions = {
  readonly maxPayloadBytes: number;
  readonly rules?: readonly CorrelationRule[];
  /** Header names that name the producing service, before the built-in conventions. */
  readonly producerHeaders?: readonly string[];
  /** Applied first: masked values never reach correlation, storage, filters, sockets or logs. */
  readonly masks?: Masks;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The channel of a record whose channel has no name (Redis allows an empty stream key): every
 * event has a channel to be drawn, filtered and exported by (a capture line without one is refused).
 */
export const UNNAMED_CHANNEL = '(no name)';

/** The one place where broker records become FlowEvents. Never throws for bad content. */
export function normalize(
  raw: DecodedRecord,
  origin: EventOrigin,
  receivedAt: number,
  options: NormalizeOptions,
): UnsequencedEvent {
  return normalizeRecord(raw, origin, receivedAt, options).event;
}

/**
 * A normalized event with its payload's JSON value, parsed here once: ingest hands it on to the
 * observers and the live filters so nothing parses the payload again. `json` is undefined unless
 * the payload is whole JSON (a truncated payload's value is not the stored text's).
 */
export type Normalized = {
  readonly event: UnsequencedEvent;
  readonly json: unknown;
  /** The payload's hash is the SHA-256 of its value's UTF-8 (see DecodedPayload). */
  readonly valueHashed: boolean;
};

export function normalizeRecord(
  raw: DecodedRecord,
  origin: EventOrigin,
  receivedAt: number,
  options: NormalizeOptions,
): Normalized {
  const headers: Record<string, string | string[]> = {};
  // for-in, not Object.entries: no array of pairs per event.
  for (const name in raw.headers) {
    // Own names only: a source whose headers object got a header named `__proto__` assigned has
    // that value as its prototype, whose fields (a Buffer's bytes) are no headers, and no strings.
    if (!Object.hasOwn(raw.headers, name)) continue;
    const value = raw.headers[name];
    const decoded = Array.isArray(value)
      ? (value as readonly (Uint8Array | string | undefined)[]).map(decodeHeaderValue)
      : decodeHeaderValue(value as Uint8Array | string | undefined);
    if (name === '__proto__')
      Object.defineProperty(headers, name, { value: decoded, enumerable: true, writable: true, configurable: true });
    else headers[name] = decoded;
  }
  let key = decodeKey(raw.key);
  let decoded = withSchema(decodePayload(raw.value, options.maxPayloadBytes), raw, options.maxPayloadBytes);
  const masks = options.masks && !options.masks.empty ? options.masks.forChannel(raw.channel) : [];
  for (const m of masks) {
    if (m.target === 'key' && key) key = { encoding: 'text', value: MASKED };
    else if (m.target === 'header') {
      for (const name of Object.keys(headers)) if (name.toLowerCase() === m.header) headers[name] = MASKED;
    }
  }
  const payloadMasks = masks.filter((m) => m.target === 'payload');
  if (payloadMasks.length > 0)
    decoded = maskPayload(
      decoded,
      payloadMasks.map((m) => m.parts),
      options.maxPayloadBytes,
    );
  const { payload, json, valueHashed } = decoded;
  const extracted = extractCorrelation(
    { channel: raw.channel, headers, key, json },
    options.rules,
    options.producerHeaders,
  );

  // Member by member in the event's order (what its stored line keeps), without the temporary
  // objects that conditional spreads make on every event.
  const event: Mutable<UnsequencedEvent> = {
    id: eventId(raw, origin),
    source: origin,
    channel: raw.channel || UNNAMED_CHANNEL,
  } as Mutable<UnsequencedEvent>;
  if (raw.partition !== undefined) event.partition = raw.partition;
  if (raw.offset !== undefined) event.offset = raw.offset;
  if (isShowableTime(raw.timestamp)) event.timestamp = epochMs(raw.timestamp);
  else {
    // No view can show it (Kafka's -1, a producer's 1e300): the time received, and what it was.
    event.timestamp = epochMs(receivedAt);
    headers[INVALID_TIME_HEADER] = String(raw.timestamp);
  }
  event.receivedAt = epochMs(receivedAt);
  if (key) event.key = key;
  event.headers = headers;
  if (extracted.type) event.type = extracted.type;
  if (extracted.producer) event.producer = extracted.producer;
  event.correlation = extracted.correlation;
  event.payload = payload;
  capEvent(event);
  return {
    event,
    json: payload.encoding === 'json' && !payload.truncated ? json : undefined,
    valueHashed: valueHashed === true,
  };
}

/**
 * A value decoded with a schema is shown as its JSON (what correlation, filters and the inspector
 * use), keeping the size and hash of the bytes as received; a value that should have decoded but
 * did not keeps its bytes, with the reason as the note.
 */
function withSchema(decoded: DecodedPayload, raw: DecodedRecord, maxBytes: number): DecodedPayload {
  const s = raw.schema;
  if (!s) return decoded;
  if ('error' in s) return { ...decoded, payload: { ...decoded.payload, note: s.error } };
  const text = JSON.stringify(s.json) ?? 'null';
  const truncated = Buffer.byteLength(text) > maxBytes;
  const how = `${formatName(s.format)}${s.schemaId !== undefined ? ` schema ${s.schemaId}` : ''} (${s.origin === 'registry' ? 'Schema Registry' : 'local schema file'})`;
  return {
    payload: {
      encoding: 'json',
      value: truncated ? Buffer.from(text).subarray(0, maxBytes).toString('utf8') : text,
      size: decoded.payload.size,
      truncated,
      sha256: decoded.payload.sha256,
      note: `Decoded from ${decoded.payload.size} bytes with the ${how}`,
      schema: { format: s.format, origin: s.origin, ...(s.schemaId !== undefined ? { id: s.schemaId } : {}) },
    },
    json: s.json,
  };
}

/** Stable id: the same message read twice gets the same id. */
function eventId(raw: RawRecord, origin: EventOrigin): string {
  const base = `${origin.broker}/${origin.cluster}/${raw.channel}`;
  if (raw.offset !== undefined) return `${base}/${raw.partition ?? 0}/${raw.offset}`;
  if (raw.messageId !== undefined) return `${base}/${raw.messageId}`;
  throw new Error(`Source for ${base} gave a record with neither offset nor message id`);
}

const sha256 = (text: string) => hash('sha256', text, 'hex');

const maskedWhole = (payload: Payload, note: string): DecodedPayload => ({
  payload: { encoding: 'text', value: MASKED, size: payload.size, truncated: false, sha256: sha256(MASKED), note },
  valueHashed: true,
});

/**
 * Masks payload fields. The stored text is re-serialised from the masked JSON and its hash is of
 * the masked text, so neither the value nor a hash of it can be used to confirm a guessed secret.
 */
export function maskPayload(
  decoded: DecodedPayload,
  paths: readonly string[][],
  maxBytes: number,
  hidden?: Set<string>,
): DecodedPayload {
  const { payload } = decoded;
  if (payload.encoding === 'empty') return decoded;
  if (paths.some((p) => p.length === 1 && p[0] === '*')) return maskedWhole(payload, 'Payload masked by configuration');
  if (decoded.json === undefined) return decoded;
  let json: unknown;
  let count: number;
  let text: string;
  try {
    json = structuredClone(decoded.json);
    count = paths.reduce((n, p) => n + maskJson(json, p, hidden), 0);
    if (count === 0) return decoded;
    text = JSON.stringify(json);
  } catch {
    // Nested past what structuredClone and JSON.stringify recurse through (about 10,000 levels):
    // hidden whole rather than shown with the masked fields in it, or the record lost by a throw.
    return maskedWhole(payload, 'Payload masked whole by configuration: nested too deeply to mask field by field');
  }
  const truncated = Buffer.byteLength(text) > maxBytes;
  return {
    payload: {
      encoding: 'json',
      value: truncated ? Buffer.from(text).subarray(0, maxBytes).toString('utf8') : text,
      size: payload.size,
      truncated,
      sha256: sha256(text),
      note: `${count} field${count === 1 ? '' : 's'} masked by configuration`,
    },
    json,
    valueHashed: !truncated,
  };
}
