import {
  epochMs,
  extractCorrelation,
  INVALID_TIME_HEADER,
  isShowableTime,
  type CorrelationRule,
  type EventOrigin,
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
    const value = raw.headers[name];
    headers[name] = Array.isArray(value)
      ? (value as readonly (Uint8Array | string | undefined)[]).map(decodeHeaderValue)
      : decodeHeaderValue(value as Uint8Array | string | undefined);
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
    channel: raw.channel,
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
  if (paths.some((p) => p.length === 1 && p[0] === '*')) {
    return {
      payload: {
        encoding: 'text',
        value: MASKED,
        size: payload.size,
        truncated: false,
        sha256: sha256(MASKED),
        note: 'Payload masked by configuration',
      },
      valueHashed: true,
    };
  }
  if (decoded.json === undefined) return decoded;
  const json = structuredClone(decoded.json);
  const count = paths.reduce((n, p) => n + maskJson(json, p, hidden), 0);
  if (count === 0) return decoded;
  const text = JSON.stringify(json);
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
